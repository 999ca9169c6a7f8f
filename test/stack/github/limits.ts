// GitHub's rate limits, as the API and uploads hosts enforce them, with
// github.com's figures by default:
// - the primary limit (requests per hour per token, with x-ratelimit-* headers
//   on every answer, and 403 with remaining 0 once it is used up);
// - the secondary limit on content creation: 80 writes per rolling minute and
//   500 per rolling hour, every write counted (uploads, asset and release
//   POST/PATCH/DELETE, attestations). Past it GitHub answers 403 "You have
//   exceeded a secondary rate limit", with x-ratelimit-remaining far from 0
//   and, often, no Retry-After.
// The windows pass through the wait scale of the run talking to the stand-in
// (SIGN_RELEASE_WAIT_SCALE; the test runner sets `scale` to match), so an
// hour's limit binds in seconds.
import type http from 'node:http'
import { sendJson } from '../http.js'

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

export const SECONDARY_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.'

export class RateLimits {
  /** Requests the token may make until `resetAt`. */
  limit = 5000
  used = 0
  resetAt = Date.now() + HOUR_MS
  /** Writes accepted per rolling minute and per rolling hour (github.com: 80 and 500). */
  writesPerMinute = 80
  writesPerHour = 500
  private waitScale = 1
  /** Seconds of Retry-After on a secondary-limit answer; unset: none, as github.com often answers. */
  retryAfterSeconds?: number
  /** The status of a secondary-limit answer: 403, or the 429 GitHub sometimes gives. */
  secondaryStatus: 403 | 429 = 403
  /** Writes accepted, and writes refused by the secondary limit, since the stand-in started. */
  writes = 0
  secondaryRefusals = 0
  /** When each accepted write arrived, within the last (scaled) hour. */
  private readonly recent: number[] = []

  /** The wait scale of the runs talking to the stand-in: a minute here lasts 60 s × scale. */
  get scale(): number {
    return this.waitScale
  }

  /**
   * Writes counted at another scale are forgotten: at a hundredth, a test's
   * earlier runs fit in seconds, which at full length would all be this minute's.
   */
  set scale(value: number) {
    if (value !== this.waitScale) this.recent.length = 0
    this.waitScale = value
  }

  /** Counts a request against the primary limit. Returns true when it answered the request itself. */
  core(res: http.ServerResponse): boolean {
    if (Date.now() >= this.resetAt) {
      this.used = 0
      this.resetAt = Date.now() + HOUR_MS
    }
    this.used += 1
    const remaining = Math.max(this.limit - this.used, 0)
    res.setHeader('x-ratelimit-limit', String(this.limit))
    res.setHeader('x-ratelimit-remaining', String(remaining))
    res.setHeader('x-ratelimit-reset', String(Math.ceil(this.resetAt / 1000)))
    res.setHeader('x-ratelimit-used', String(Math.min(this.used, this.limit)))
    res.setHeader('x-ratelimit-resource', 'core')
    if (this.used <= this.limit) return false
    sendJson(res, 403, {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-rate-limits',
    })
    return true
  }

  /** Counts a write (content creation). Returns true when it answered the request itself. */
  content(res: http.ServerResponse): boolean {
    const now = Date.now()
    const hour = HOUR_MS * this.scale
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - hour) this.recent.shift()
    const lastMinute = this.recent.filter((t) => t > now - MINUTE_MS * this.scale).length
    if (lastMinute < this.writesPerMinute && this.recent.length < this.writesPerHour) {
      this.recent.push(now)
      this.writes += 1
      return false
    }
    this.secondaryRefusals += 1
    if (this.retryAfterSeconds !== undefined)
      res.setHeader('retry-after', String(this.retryAfterSeconds))
    sendJson(res, this.secondaryStatus, {
      message: SECONDARY_LIMIT_MESSAGE,
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    })
    return true
  }

  /** Lifts the secondary limit, for a test that measures something else (it says why). */
  unlimitedWrites(): void {
    this.writesPerMinute = Number.POSITIVE_INFINITY
    this.writesPerHour = Number.POSITIVE_INFINITY
  }
}
