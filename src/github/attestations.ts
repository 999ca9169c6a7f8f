// GitHub's attestations API (POST /repos/{owner}/{repo}/attestations): where
// `gh attestation verify` finds a Sigstore bundle without being given a file.
import type { GitHub } from '@actions/github/lib/utils'
import { messageOf } from '../errors.js'
import { failed, status } from './failures.js'
import { AttestationsRefused } from './types.js'

/** Stores the bundle; returns the attestation's id. */
export async function createAttestation(
  octokit: InstanceType<typeof GitHub>,
  repo: { owner: string; repo: string },
  bundle: unknown,
): Promise<number> {
  try {
    const { data } = await octokit.rest.repos.createAttestation({
      ...repo,
      bundle: bundle as never,
    })
    return data.id ?? 0
  } catch (error) {
    const code = status(error)
    // 403: no attestations: write. 404: the repository's plan has no
    // attestations (private repositories on GitHub Free), or an older GHES.
    if (code === 403 || code === 404) {
      const message = messageOf(error).split(' - ')[0] ?? ''
      throw new AttestationsRefused(`HTTP ${code}: ${message}`, { cause: error })
    }
    return failed(error, 'store the attestation')
  }
}
