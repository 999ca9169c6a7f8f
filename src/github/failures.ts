// What a failed Octokit call means, said at the adapter's edge: the phases
// see errors that name the operation, never Octokit's error shape.
import { messageOf, UserError } from '../errors.js'
import { MAX_SERVER_WAIT_MS, retryAfterMs, WaitTooLongError } from '../util/retry.js'
import { RateLimitStop } from './rate-limit.js'
import type { LimitAnswer } from './write-pacer.js'

/**
 * Rethrows a failed call as one line that names the operation, the status and
 * GitHub's own words; a 403 on a write says which permission is missing.
 */
export function failed(error: unknown, what: string): never {
  if (error instanceof RateLimitStop) throw error
  if (error instanceof WaitTooLongError) {
    const seconds = Math.ceil(error.askedMs / 1000)
    const after = new Date(Date.now() + error.askedMs).toISOString()
    throw new UserError(
      `GitHub API: could not ${what}: HTTP ${status(error.cause) ?? 'error'}, and GitHub asked to wait ${seconds} s, ` +
        `longer than this action waits (${MAX_SERVER_WAIT_MS / 1000} s). Re-run after ${after}: the re-run keeps every bundle that verifies.`,
      { cause: error },
    )
  }
  const code = status(error)
  // The hourly limit ran out while this request was in flight.
  const until = primaryLimitReset(
    code,
    (error as { response?: { headers?: Record<string, unknown> } }).response?.headers,
  )
  if (until) throw new RateLimitStop(until)
  const message = messageOf(error).split(' - ')[0] ?? ''
  const answered = (error as { response?: unknown }).response !== undefined
  if (code === 403 && answered && !/rate limit/i.test(message)) {
    throw new UserError(
      `GitHub refused to ${what} (HTTP 403: ${message}). The token needs contents: write; ` +
        "add 'permissions: contents: write' to the job, or pass a github-token that has it.",
      { cause: error },
    )
  }
  const why = answered ? `HTTP ${code}: ${message}` : `no usable answer (${message})`
  throw new Error(`GitHub API: could not ${what}: ${why}`, { cause: error })
}

export function status(error: unknown): number | undefined {
  const value = (error as { status?: unknown } | undefined)?.status
  return typeof value === 'number' ? value : undefined
}

/** GitHub's 422 errors[], when the answer has them. */
function validationErrors(error: unknown): { code?: string; field?: string }[] {
  const errors = (error as { response?: { data?: { errors?: unknown } } }).response?.data?.errors
  return status(error) === 422 && Array.isArray(errors) ? errors : []
}

/** True for GitHub's 422 that says the release is at its asset cap (field file_count; the wording varies). */
export function isReleaseFull(error: unknown): boolean {
  return validationErrors(error).some((e) => e.field === 'file_count')
}

/**
 * GitHub's secondary limit on a write (403 or 429 "You have exceeded a
 * secondary rate limit", often without Retry-After), with the wait it asked for.
 */
export function secondaryLimit(error: unknown): LimitAnswer | undefined {
  const raw = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers
  const headers = new Headers()
  for (const [name, value] of Object.entries(raw ?? {}))
    if (typeof value === 'string' || typeof value === 'number') headers.set(name, String(value))
  return secondaryLimitAnswer(status(error), headers, messageOf(error))
}

/**
 * The same, from an answer's parts (the uploads, which bypass Octokit): a
 * 403 that says "secondary rate limit" or asks for a wait, or any 429;
 * never the primary limit, whose answer says remaining 0.
 */
export function secondaryLimitAnswer(
  code: number | undefined,
  headers: Headers,
  message: string,
): LimitAnswer | undefined {
  if (code !== 403 && code !== 429) return undefined
  if (primaryLimitReset(code, headers)) return undefined
  const asked = headers.has('retry-after')
  if (code === 403 && !asked && !/secondary rate limit/i.test(message)) return undefined
  return { retryAfterMs: retryAfterMs(headers) }
}

/** True for GitHub's 422 that says an asset of that name already exists. */
export function isAlreadyExists(error: unknown): boolean {
  return validationErrors(error).some((e) => e.code === 'already_exists')
}

/** When the token's primary limit is used up (403 or 429 with x-ratelimit-remaining 0): its reset. */
export function primaryLimitReset(
  code: number | undefined,
  headers: Record<string, unknown> | Headers | undefined,
): Date | undefined {
  if (code !== 403 && code !== 429) return undefined
  const get = (name: string) =>
    headers instanceof Headers ? headers.get(name) : (headers?.[name] as string | undefined)
  if (String(get('x-ratelimit-remaining')) !== '0') return undefined
  const reset = Number(get('x-ratelimit-reset'))
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined
}
