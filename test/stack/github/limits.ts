// GitHub's rate limits, as the API and uploads hosts enforce them: the
// primary limit (requests per hour per token, with x-ratelimit-* headers on
// every answer, and 403 with remaining 0 once it is used up), and the
// secondary limit on content-creating requests (403 with Retry-After when
// too many land within a window). The defaults never bind; tests scale them
// down to reach them in seconds.
import type http from 'node:http'
import { sendJson } from '../http.js'

export class RateLimits {
  /** Requests the token may make until `resetAt`. */
  limit = 5000
  used = 0
  resetAt = Date.now() + 3_600_000
  /** Content-creating requests (uploads) allowed within one window. */
  contentPerWindow = Number.POSITIVE_INFINITY
  windowMs = 60_000
  private readonly recent: number[] = []

  /** Counts a request against the primary limit. Returns true when it answered the request itself. */
  core(res: http.ServerResponse): boolean {
    if (Date.now() >= this.resetAt) {
      this.used = 0
      this.resetAt = Date.now() + 3_600_000
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

  /** Counts a content-creating request. Returns true when it answered the request itself. */
  content(res: http.ServerResponse): boolean {
    const now = Date.now()
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - this.windowMs)
      this.recent.shift()
    if (this.recent.length < this.contentPerWindow) {
      this.recent.push(now)
      return false
    }
    const freeAt = (this.recent[0] ?? now) + this.windowMs
    res.setHeader('retry-after', String(Math.max(Math.ceil((freeAt - now) / 1000), 1)))
    sendJson(res, 403, {
      message:
        'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    })
    return true
  }
}
