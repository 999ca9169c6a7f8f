// The OIDC claims of a typical release workflow run.
import type { JobClaims } from '../stack/oidc.js'

export function releaseJobClaims(overrides: Partial<JobClaims> = {}): JobClaims {
  const repository = overrides.repository ?? 'octo-org/octo-repo'
  const ref = overrides.ref ?? 'refs/tags/v1.0.0'
  return {
    repository,
    ref,
    sha: 'a'.repeat(40),
    workflow_ref: `${repository}/.github/workflows/release.yml@${ref}`,
    job_workflow_ref: `${repository}/.github/workflows/release.yml@${ref}`,
    event_name: 'release',
    runner_environment: 'github-hosted',
    ...overrides,
  }
}
