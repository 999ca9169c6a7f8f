import { describe, expect, it } from 'vitest'
import {
  provenanceStatement,
  sameSubjects,
  statementSubjects,
  workflowClaims,
} from '../../src/slsa-provenance.js'

const CLAIMS = {
  repository: 'octo-org/tool',
  ref: 'refs/tags/v1.2.3',
  sha: 'c0ffee'.padEnd(40, '0'),
  // A reusable workflow: the caller's workflow is the build's, the callee is the builder.
  workflow_ref: 'octo-org/tool/.github/workflows/release.yml@refs/tags/v1.2.3',
  job_workflow_ref: 'octo-org/shared/.github/workflows/sign.yml@refs/heads/main',
  event_name: 'push',
  repository_id: 123,
  repository_owner_id: '456',
  runner_environment: 'self-hosted',
  run_id: '789',
  run_attempt: '2',
}

describe('the SLSA provenance statement', () => {
  it('takes every value from the claims, and sorts the subjects by name', () => {
    const statement = provenanceStatement(
      [
        { name: 'b.zip', sha256: 'bb' },
        { name: 'a.tar.gz', sha256: 'aa' },
      ],
      workflowClaims(CLAIMS),
      'https://ghes.example/',
    ) as Record<string, unknown>
    expect(statement.subject).toEqual([
      { name: 'a.tar.gz', digest: { sha256: 'aa' } },
      { name: 'b.zip', digest: { sha256: 'bb' } },
    ])
    expect(statement.predicate).toMatchObject({
      buildDefinition: {
        externalParameters: {
          workflow: {
            ref: 'refs/tags/v1.2.3',
            repository: 'https://ghes.example/octo-org/tool',
            path: '.github/workflows/release.yml',
          },
        },
        internalParameters: {
          github: { repository_id: '123', repository_owner_id: '456', event_name: 'push' },
        },
        resolvedDependencies: [
          {
            uri: 'git+https://ghes.example/octo-org/tool@refs/tags/v1.2.3',
            digest: { gitCommit: CLAIMS.sha },
          },
        ],
      },
      runDetails: {
        builder: {
          id: 'https://ghes.example/octo-org/shared/.github/workflows/sign.yml@refs/heads/main',
        },
        metadata: {
          invocationId: 'https://ghes.example/octo-org/tool/actions/runs/789/attempts/2',
        },
      },
    })
  })

  it('names every claim a token lacks, and the input that does without them', () => {
    const { repository_id: _a, run_attempt: _b, ...rest } = CLAIMS
    expect(() => workflowClaims({ ...rest, runner_environment: '' })).toThrow(
      "Input 'provenance': the OIDC token has no repository_id, runner_environment, run_attempt claim(s)",
    )
  })

  it('reads the subjects back, and refuses what is not an in-toto statement', () => {
    const statement = provenanceStatement(
      [{ name: 'a', sha256: 'AB' }],
      workflowClaims(CLAIMS),
      'https://github.com',
    )
    const payload = Buffer.from(JSON.stringify(statement))
    expect(statementSubjects(payload)).toEqual([{ name: 'a', sha256: 'ab' }])
    expect(() => statementSubjects(Buffer.from('{'))).toThrow('not JSON')
    expect(() => statementSubjects(Buffer.from('{"_type":"x","subject":[]}'))).toThrow(
      'Statement v1',
    )
    const noDigest = { ...statement, subject: [{ name: 'a', digest: { sha512: 'ff' } }] }
    expect(() => statementSubjects(Buffer.from(JSON.stringify(noDigest)))).toThrow('no SHA-256')
  })

  it('compares subjects as sets of names and digests', () => {
    const a = { name: 'a', sha256: '01' }
    const b = { name: 'b', sha256: '02' }
    expect(sameSubjects([a, b], [b, a])).toBe(true)
    expect(sameSubjects([a, b], [a])).toBe(false)
    expect(sameSubjects([a], [{ name: 'a', sha256: '03' }])).toBe(false)
  })
})
