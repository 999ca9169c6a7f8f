// How the run meets GitHub's rate limits on reads: a short wait is waited
// out (the throttling plugin retries after Retry-After or the limit's reset);
// a wait longer than the run can afford closes the gate, so every later
// GitHub call fails at once with the time to re-run, instead of spending more
// requests on 403s. Writes are paced, and their secondary-limit answers
// waited out, by write-pacer.ts.
import { warning } from '@actions/core'
import { UserError } from '../errors.js'
import { MAX_SERVER_WAIT_MS } from '../util/retry.js'

/** How many times a rate-limited request is tried again before the run fails. */
const RATE_LIMIT_RETRIES = 3

/** GitHub asked for a wait longer than the run waits; nothing more is sent to it. */
export class RateLimitStop extends UserError {
  override name = 'RateLimitStop'
  constructor(readonly until: Date) {
    super(
      `GitHub's rate limit for this token holds until ${until.toISOString()}, longer than this action waits ` +
        `(${MAX_SERVER_WAIT_MS / 1000} s). Re-run after that time: the re-run keeps every bundle that verifies and resumes where this one stopped.`,
    )
  }
}

export class RateLimitGate {
  private closedUntil?: Date

  /**
   * For the throttling plugin: true to retry after `retryAfterS`, false to
   * give up. A write's secondary limit is left to the write pacer.
   */
  decide(
    which: string,
    retryAfterS: number,
    request: { method: string; url: string },
    retryCount: number,
  ): boolean {
    if (retryAfterS * 1000 > MAX_SERVER_WAIT_MS) {
      this.close(
        new Date(Date.now() + retryAfterS * 1000),
        `${which} on ${request.method} ${request.url}`,
      )
      return false
    }
    if (which === 'secondary rate limit' && request.method !== 'GET') return false
    if (retryCount >= RATE_LIMIT_RETRIES) return false
    warning(`GitHub ${which} on ${request.method} ${request.url}; retrying in ${retryAfterS} s.`)
    return true
  }

  /** GitHub asked for a wait longer than the run waits: nothing more is sent. */
  close(until: Date, what: string): void {
    this.closedUntil = until
    warning(
      `GitHub ${what}: it asks to wait ${Math.ceil((until.getTime() - Date.now()) / 1000)} s, longer than ` +
        `this action waits (${MAX_SERVER_WAIT_MS / 1000} s).`,
    )
  }

  /** Throws once a limit was met that this run cannot wait out. */
  check(): void {
    if (this.closedUntil) throw new RateLimitStop(this.closedUntil)
  }
}
