// The SLSA provenance this action writes: an in-toto Statement v1 whose
// predicate has the shape actions/attest-build-provenance writes, so tools
// that read theirs read this one. Every value comes from the OIDC token's
// claims, the same ones Fulcio writes into the certificate, so the statement
// and the certificate cannot disagree. Pure: claims and subjects in, JSON out.
import { UserError } from './errors.js'

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1'
/** The DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'
const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1'

/** One file the statement covers. */
export interface Subject {
  name: string
  sha256: string
}

/** The claims of a GitHub Actions ID token that the provenance is made from. */
export interface WorkflowClaims {
  repository: string
  ref: string
  sha: string
  workflow_ref: string
  job_workflow_ref: string
  event_name: string
  repository_id: string
  repository_owner_id: string
  runner_environment: string
  run_id: string
  run_attempt: string
}

const REQUIRED: (keyof WorkflowClaims)[] = [
  'repository',
  'ref',
  'sha',
  'workflow_ref',
  'job_workflow_ref',
  'event_name',
  'repository_id',
  'repository_owner_id',
  'runner_environment',
  'run_id',
  'run_attempt',
]

/** The claims the provenance needs; checked before anything is signed. */
export function workflowClaims(claims: Record<string, unknown>): WorkflowClaims {
  const missing = REQUIRED.filter((name) => {
    const value = claims[name]
    return !(typeof value === 'string' && value !== '') && typeof value !== 'number'
  })
  if (missing.length > 0) {
    throw new UserError(
      `Input 'provenance': the OIDC token has no ${missing.join(', ')} claim(s), which the provenance is made from. ` +
        'GitHub.com and current GitHub Enterprise Server give them; elsewhere set provenance: false.',
    )
  }
  return Object.fromEntries(REQUIRED.map((name) => [name, String(claims[name])])) as never
}

/** The statement over `subjects` (sorted by name), for the workflow run the claims describe. */
export function provenanceStatement(
  subjects: Subject[],
  claims: WorkflowClaims,
  serverUrl: string,
): object {
  const server = serverUrl.replace(/\/+$/, '')
  // `owner/repo/.github/workflows/release.yml@refs/tags/v1` → the path and the ref.
  const workflow = claims.workflow_ref.slice(claims.repository.length + 1)
  const at = workflow.lastIndexOf('@')
  return {
    _type: STATEMENT_TYPE,
    subject: sortSubjects(subjects).map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: {
          workflow: {
            ref: workflow.slice(at + 1),
            repository: `${server}/${claims.repository}`,
            path: workflow.slice(0, at),
          },
        },
        internalParameters: {
          github: {
            event_name: claims.event_name,
            repository_id: claims.repository_id,
            repository_owner_id: claims.repository_owner_id,
            runner_environment: claims.runner_environment,
          },
        },
        resolvedDependencies: [
          {
            uri: `git+${server}/${claims.repository}@${claims.ref}`,
            digest: { gitCommit: claims.sha },
          },
        ],
      },
      runDetails: {
        builder: { id: `${server}/${claims.job_workflow_ref}` },
        metadata: {
          invocationId: `${server}/${claims.repository}/actions/runs/${claims.run_id}/attempts/${claims.run_attempt}`,
        },
      },
    },
  }
}

/** The subjects of a statement (a DSSE payload); throws unless it is an in-toto statement with SHA-256 subjects. */
export function statementSubjects(payload: Buffer): Subject[] {
  let statement: { _type?: unknown; subject?: unknown }
  try {
    statement = JSON.parse(payload.toString('utf8'))
  } catch {
    throw new Error('the payload is not JSON')
  }
  if (statement?._type !== STATEMENT_TYPE || !Array.isArray(statement.subject))
    throw new Error('the payload is not an in-toto Statement v1')
  return statement.subject.map((s: { name?: unknown; digest?: { sha256?: unknown } }) => {
    if (typeof s?.name !== 'string' || typeof s.digest?.sha256 !== 'string')
      throw new Error('a subject has no name or no SHA-256')
    return { name: s.name, sha256: s.digest.sha256.toLowerCase() }
  })
}

/** The same files with the same digests, in any order. */
export function sameSubjects(a: Subject[], b: Subject[]): boolean {
  const key = (list: Subject[]) =>
    sortSubjects(list)
      .map((s) => `${s.sha256} ${s.name}`)
      .join('\n')
  return key(a) === key(b)
}

function sortSubjects(subjects: Subject[]): Subject[] {
  return [...subjects].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
}
