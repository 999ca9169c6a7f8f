// How the run meets GitHub's rate limits: a short wait is waited out (the
// throttling plugin retries after Retry-After or the limit's reset, and every
// other content-creating request waits with it); a wait
// longer than the run can afford closes the gate, so every later GitHub call
// fails at once with the time to re-run, instead of spending more requests
// on 403s.
import { warning } from '@actions/core'
import { UserError } from '../errors.js'
import { MAX_SERVER_WAIT_MS } from '../util/retry.js'
import { scaled } from '../util/wait.js'

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
  /** Content-creating requests wait until then: GitHub's secondary limit holds them. */
  private holdUntil = 0

  /** For the throttling plugin: true to retry after `retryAfterS`, false to give up. */
  decide(
    which: string,
    retryAfterS: number,
    request: { method: string; url: string },
    retryCount: number,
  ): boolean {
    if (retryAfterS * 1000 > MAX_SERVER_WAIT_MS) {
      this.closedUntil = new Date(Date.now() + retryAfterS * 1000)
      warning(
        `GitHub ${which} on ${request.method} ${request.url}: it asks to wait ${retryAfterS} s, longer than ` +
          `this action waits (${MAX_SERVER_WAIT_MS / 1000} s).`,
      )
      return false
    }
    if (which === 'secondary rate limit') this.hold(retryAfterS * 1000)
    if (retryCount >= RATE_LIMIT_RETRIES) return false
    warning(`GitHub ${which} on ${request.method} ${request.url}; retrying in ${retryAfterS} s.`)
    return true
  }

  /**
   * GitHub refused a content-creating request for `waitMs`: every other one
   * waits too, so a burst of uploads costs one refused request, not one for
   * each upload in flight (each refusal counts against the hourly budget).
   */
  hold(waitMs: number): void {
    this.holdUntil = Math.max(this.holdUntil, Date.now() + scaled(waitMs))
  }

  /** Waits while a secondary limit holds content-creating requests. */
  async pace(): Promise<void> {
    for (let wait = this.holdUntil - Date.now(); wait > 0; wait = this.holdUntil - Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }

  /** Throws once a limit was met that this run cannot wait out. */
  check(): void {
    if (this.closedUntil) throw new RateLimitStop(this.closedUntil)
  }
}
