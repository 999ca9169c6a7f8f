// What the runner tells the action about this run: repository, event, URLs.
// Pure: a function of an environment map and the event payload.
import { tmpdir } from 'node:os'
import { UserError } from '../../errors.js'
import type { Visibility } from '../../github/types.js'
import type { RunOwner } from '../../release-names.js'
import type { IdTokenRequest } from '../../sigstore/sign/id-token.js'

export interface RunContext {
  owner: string
  repo: string
  apiUrl: string
  serverUrl: string
  eventName: string
  ref: string
  runnerTemp: string
  /** GITHUB_WORKSPACE: where local file patterns are resolved, and the checkout for git archive. */
  workspace: string
  /** The release named by a release event's payload. */
  eventRelease?: { id: number; tag: string }
  /** Where to ask for OIDC tokens; unset without id-token: write. */
  idTokenRequest?: IdTokenRequest
  /** Set when the Actions artifact service is available. */
  hasArtifactService: boolean
  /** Set when the runner collects a step summary (GITHUB_STEP_SUMMARY). */
  hasStepSummary: boolean
  /** RUNNER_OS: Linux, macOS or Windows. */
  runnerOs: string
  /** The event payload says the repository is public (never assumed when it says nothing). */
  publicRepository: boolean
  /** The repository's visibility, when the event payload gives it. */
  visibility?: Visibility
  /** This workflow run and its attempt (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT). */
  run: RunOwner
}

interface EventPayload {
  release?: { id?: number; tag_name?: string }
  repository?: { private?: boolean; visibility?: string }
}

function visibilityOf(repository: EventPayload['repository']): Visibility | undefined {
  const v = repository?.visibility
  if (v === 'public' || v === 'private' || v === 'internal') return v
  if (repository?.private === true) return 'private'
  if (repository?.private === false) return 'public'
  return undefined
}

type Env = Record<string, string | undefined>

export function readContext(env: Env, event: EventPayload): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const [owner, repo] = repository.split('/')
  if (!owner || !repo) {
    throw new UserError(
      'GITHUB_REPOSITORY is not set. This action runs inside a GitHub Actions workflow.',
    )
  }
  const release = event.release
  return {
    owner,
    repo,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    runnerTemp: env.RUNNER_TEMP || tmpdir(),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    eventRelease:
      typeof release?.id === 'number' && release.tag_name
        ? { id: release.id, tag: release.tag_name }
        : undefined,
    idTokenRequest:
      env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
        ? { url: env.ACTIONS_ID_TOKEN_REQUEST_URL, token: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN }
        : undefined,
    hasArtifactService: Boolean(
      env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_RESULTS_URL || env.ACTIONS_RUNTIME_URL),
    ),
    hasStepSummary: Boolean(env.GITHUB_STEP_SUMMARY),
    runnerOs: env.RUNNER_OS || 'Linux',
    publicRepository: visibilityOf(event.repository) === 'public',
    visibility: visibilityOf(event.repository),
    run: { runId: env.GITHUB_RUN_ID || '0', attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1 },
  }
}
