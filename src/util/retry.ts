// Retries with exponential backoff, for the HTTP calls no library retries for
// us, honouring a wait the server asks for (Retry-After) up to a cap.

import { sleep } from './wait.js'

export interface RetryOptions {
  attempts: number
  /** Delay before the second attempt; doubles each time. */
  baseDelayMs: number
  /** Decides whether an error is worth another attempt. */
  retryable: (error: unknown) => boolean
  onRetry?: (error: unknown, attempt: number) => void
  /**
   * For services that rate-limit without saying for how long (Sigstore's
   * proxies answer 429 with no Retry-After): the first wait after such an
   * answer, doubled on each further one.
   */
  rateLimitWaitMs?: number
}

/** The longest wait a server may ask for; beyond it the run stops and says how long. */
export const MAX_SERVER_WAIT_MS = 60_000

/** An answer worth another try, perhaps after the wait the server asked for. */
export class TransientHttpError extends Error {
  override name = 'TransientHttpError'
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** The server asked for a longer wait than a run can afford. */
export class WaitTooLongError extends Error {
  override name = 'WaitTooLongError'
  constructor(
    message: string,
    /** The wait the server asked for. */
    readonly askedMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  let limited = 0
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) {
        // How many tries it took, for a report that names the cause in a few words.
        if (attempt > 1 && typeof error === 'object' && error !== null && !('attempts' in error))
          Object.assign(error, { attempts: attempt })
        throw error
      }
      const asked = (error as { retryAfterMs?: number } | undefined)?.retryAfterMs
      if (asked !== undefined && asked > MAX_SERVER_WAIT_MS) {
        throw new WaitTooLongError(
          `${error instanceof Error ? error.message : String(error)}; the server asked to wait ` +
            `${Math.ceil(asked / 1000)} s, longer than this action waits (${MAX_SERVER_WAIT_MS / 1000} s). Re-run later.`,
          asked,
          { cause: error },
        )
      }
      options.onRetry?.(error, attempt)
      let backoff = options.baseDelayMs * 2 ** (attempt - 1)
      if (asked === undefined && options.rateLimitWaitMs && statusOf(error) === 429) {
        backoff = Math.max(backoff, options.rateLimitWaitMs * 2 ** limited)
        limited += 1
      }
      await sleep(Math.max(backoff, asked ?? 0))
    }
  }
}

function statusOf(error: unknown): unknown {
  return (error as { status?: unknown } | undefined)?.status
}

/** A service's 429 without Retry-After: wait a minute, then twice as long each time. */
export const RATE_LIMIT_WAIT_MS = 60_000

/** The wait a Retry-After header asks for (seconds, or an HTTP date), in milliseconds. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0)
}
