// How the GitHub client retries a request that failed in a way worth another
// try: server errors, 429s the throttling plugin left alone (it handles
// GitHub's rate limits), resets, timeouts and broken answers. Written here
// because @octokit/plugin-retry waits 1, 4 and 9 s whatever GitHub's
// Retry-After says; withRetry waits out Retry-After (seconds or an HTTP date)
// up to the action's cap, and stops at once, naming the wait, when GitHub
// asks for longer.
import { debug } from '@actions/core'
import type { GitHub } from '@actions/github/lib/utils'
import { messageOf } from '../errors.js'
import { retryAfterMs, withRetry } from '../util/retry.js'
import { secondaryLimit, status } from './failures.js'
import { RateLimitStop } from './rate-limit.js'

/** Attempts at each GitHub request that fails in a way worth another try. */
const ATTEMPTS = 4

/** Server errors, 429s the throttling plugin left alone, resets, timeouts and broken answers. */
function worthAnotherTry(error: unknown, method: string): boolean {
  if (error instanceof RateLimitStop) return false
  // A write's secondary limit was waited out by the write pacer already.
  if (method !== 'GET' && secondaryLimit(error)) return false
  const code = status(error)
  return code === undefined || code >= 500 || code === 429
}

/** The error, with the wait GitHub asked for (Retry-After) where withRetry reads it. */
function withRetryAfter(error: unknown): unknown {
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } })
    .response?.headers
  const value = headers?.['retry-after']
  if (value !== undefined && typeof error === 'object' && error !== null) {
    const asked = retryAfterMs(new Headers({ 'retry-after': String(value) }))
    if (asked !== undefined) Object.assign(error, { retryAfterMs: asked })
  }
  return error
}

/** Wraps every request of the client in withRetry. */
export function retryEachRequest(octokit: InstanceType<typeof GitHub>): void {
  octokit.hook.wrap('request', (request, opts) =>
    withRetry(
      () =>
        Promise.resolve()
          .then(() => request(opts))
          .catch((error: unknown) => {
            throw withRetryAfter(error)
          }),
      {
        attempts: ATTEMPTS,
        baseDelayMs: 1_000,
        retryable: (error) => worthAnotherTry(error, opts.method),
        onRetry: (error, attempt) =>
          debug(
            `GitHub ${opts.method} ${opts.url}: attempt ${attempt} failed (${messageOf(error)})`,
          ),
      },
    ),
  )
}
