// Checks made before any network call, with messages a user can act on.

import { InputError, UserError } from '../../errors.js'
import type { IdTokenRequest } from '../../sigstore/sign/id-token.js'
import type { RunContext } from './context.js'
import type { RunInputs } from './inputs.js'

/** Events that run privileged code on untrusted input; a signer has no business there. */
const REFUSED_EVENTS = new Set(['pull_request_target', 'workflow_run'])

/** What to sign: a release by id (from the event) or by tag. */
export type ReleaseTarget = { kind: 'id'; id: number; tag: string } | { kind: 'tag'; tag: string }

export function preflight(
  inputs: RunInputs,
  ctx: RunContext,
): { target: ReleaseTarget; idTokenRequest: IdTokenRequest } {
  if (REFUSED_EVENTS.has(ctx.eventName)) {
    throw new UserError(
      `This action refuses to run on '${ctx.eventName}' events: they run with write access on behalf of untrusted code. ` +
        'Sign from a release event, a tag push, or workflow_dispatch.',
    )
  }
  if (!ctx.idTokenRequest) {
    throw new UserError(
      'Keyless signing needs an OIDC token, but this job cannot request one. ' +
        "Add 'permissions: id-token: write' (and 'contents: write') to the job. " +
        'Pull requests from forks never get an OIDC token.',
    )
  }
  return { target: target(inputs, ctx), idTokenRequest: ctx.idTokenRequest }
}

function target(inputs: RunInputs, ctx: RunContext): ReleaseTarget {
  if (inputs.tag) return { kind: 'tag', tag: inputs.tag }
  if (ctx.eventRelease) return { kind: 'id', ...ctx.eventRelease }
  if (ctx.ref.startsWith('refs/tags/'))
    return { kind: 'tag', tag: ctx.ref.slice('refs/tags/'.length) }
  throw new InputError(
    'tag',
    `is required on '${ctx.eventName || 'unknown'}' events, which carry no release. Set tag: to the release's tag, such as v1.2.3.`,
  )
}
