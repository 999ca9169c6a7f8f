// Paces the run's writes to GitHub (uploads, asset and release changes,
// attestations) within github.com's secondary limits on content creation:
// 80 a minute and 500 an hour. A burst up to a window's budget goes at once;
// past it, each write waits for room. A secondary-limit answer holds every
// write for the wait GitHub asked for or, without Retry-After, a minute, then
// twice as long on each further answer, as GitHub's guidance asks; it is not
// a failure until one write was refused LIMITED_ATTEMPTS times.
//
// Written here because @octokit/plugin-throttling's write group paces by
// concurrency and a fixed gap, not by windows, waits a flat 60 s without
// Retry-After, and never sees the uploads, which go through upload.ts.
import { info, warning } from '@actions/core'
import { formatDuration } from '../util/format.js'
import { MAX_SERVER_WAIT_MS } from '../util/retry.js'
import { scaled } from '../util/wait.js'
import type { RateLimitGate } from './rate-limit.js'

/** github.com's documented secondary limits on content-creating requests. */
export const WRITES_PER_MINUTE = 80
export const WRITES_PER_HOUR = 500
export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
/**
 * Added to each window: the pacer counts a write from when its answer came
 * back, GitHub from when it arrived, and the two clocks are not one.
 */
const WINDOW_MARGIN_MS = 1_000
/** The first wait after a secondary-limit answer without Retry-After (GitHub: at least a minute). */
const LIMITED_WAIT_MS = 60_000
/** The longest of the doubling waits. */
const MAX_LIMITED_WAIT_MS = 16 * 60_000
/** Secondary-limit answers one write takes before it fails. */
const LIMITED_ATTEMPTS = 8

/** A write GitHub refused under its secondary limit, with the wait it asked for, if any. */
export interface LimitAnswer {
  retryAfterMs?: number
}

/**
 * The shortest time `writes` writes can take within GitHub's limits, from
 * the first: a burst of 80, then each write a minute after the one 80
 * before it and an hour after the one 500 before it.
 */
export function minimumWriteTimeMs(writes: number): number {
  const at: number[] = []
  for (let k = 0; k < writes; k++) {
    at.push(
      Math.max(
        k >= WRITES_PER_MINUTE ? (at[k - WRITES_PER_MINUTE] ?? 0) + MINUTE_MS : 0,
        k >= WRITES_PER_HOUR ? (at[k - WRITES_PER_HOUR] ?? 0) + HOUR_MS : 0,
      ),
    )
  }
  return at.at(-1) ?? 0
}

export class WritePacer {
  /** When each accepted write's answer came back, within the last hour's window. */
  private readonly done: number[] = []
  private inFlight = 0
  private holdUntil = 0
  /** Escalations since the last accepted write, and when the last one began. */
  private streak = 0
  private limitedAt = 0
  /** Resolved, and replaced, whenever a write's answer comes back. */
  private changed = signal()
  /** When the hour's window was last said to hold writes, and when the first write went. */
  private toldHourWait = Number.NEGATIVE_INFINITY
  private firstWriteAt?: number
  /** The writes the run's plan says it makes, for when it expects to finish. */
  private planned?: number
  /** Writes made so far, refused by the secondary limit, and the time writes spent waiting for room. */
  writes = 0
  refusals = 0
  /** Wall time during which some write waited, and the writes waiting now. */
  private waitedMs = 0
  private waiting = 0
  private waitingSince = 0

  constructor(
    private readonly gate: RateLimitGate,
    /**
     * Whether GitHub enforces the limits (github.com and GHE.com). GitHub
     * Enterprise Server has them off unless an administrator turns them on:
     * there the pacer starts after the first secondary-limit answer.
     */
    private enforced: boolean,
  ) {}

  /** The run's write plan: how many writes it makes, for the log's expected end. */
  expect(writes: number): void {
    this.planned = writes
  }

  /** Sends one write within the limits, again after each secondary-limit answer. */
  async write<T>(
    what: string,
    send: () => Promise<T>,
    limitOf: (error: unknown) => LimitAnswer | undefined,
  ): Promise<T> {
    for (let refused = 1; ; refused++) {
      const sentAt = await this.slot()
      try {
        const result = await send()
        this.finish(true, sentAt)
        return result
      } catch (error) {
        const limit = limitOf(error)
        // Any other failure may still have counted at GitHub.
        this.finish(limit === undefined, sentAt)
        if (!limit || refused >= LIMITED_ATTEMPTS) throw error
        this.limited(what, limit, sentAt)
      }
    }
  }

  /** Waits until a write may go; returns when it went. */
  private async slot(): Promise<number> {
    for (let waited = false; ; waited = true) {
      this.gate.check()
      const now = Date.now()
      const until = Math.max(this.holdUntil, this.enforced ? this.windowsFree(now) : 0)
      if (until <= now) {
        if (waited && --this.waiting === 0) this.waitedMs += now - this.waitingSince
        this.inFlight += 1
        this.firstWriteAt ??= now
        return now
      }
      if (!waited && this.waiting++ === 0) this.waitingSince = now
      const changed = this.changed.promise
      // Woken by a write's answer, or at the time room is due (a minute at most:
      // a timer past 2^31 ms, or Infinity, would fire at once).
      const due = Math.min(until - now, scaled(MINUTE_MS))
      await Promise.race([changed, new Promise((resolve) => setTimeout(resolve, due))])
    }
  }

  /** One line for the log: the writes made, and what GitHub's limits cost them. */
  summary(): string {
    return (
      `GitHub writes: ${this.writes} made, ${this.refusals} secondary-limit answer(s), ` +
      `${formatDuration(this.waitedMs)} spent waiting for GitHub's limits.`
    )
  }

  /**
   * When both windows have room for one more write; Infinity when only a
   * write in flight can make room (its answer wakes the waiters).
   */
  private windowsFree(now: number): number {
    const hour = scaled(HOUR_MS + WINDOW_MARGIN_MS)
    while (this.done.length > 0 && (this.done[0] ?? 0) <= now - hour) this.done.shift()
    const minute = scaled(MINUTE_MS + WINDOW_MARGIN_MS)
    const inMinute = this.done.filter((t) => t > now - minute)
    const free = (inWindow: number[], budget: number, window: number) => {
      const over = inWindow.length + this.inFlight - budget + 1
      if (over <= 0) return now
      const exit = inWindow[over - 1]
      return exit === undefined ? Number.POSITIVE_INFINITY : exit + window
    }
    const minuteFree = free(inMinute, WRITES_PER_MINUTE, minute)
    const hourFree = free(this.done, WRITES_PER_HOUR, hour)
    // Said once an hour at most, not for every write the window holds.
    const hold = hourFree > now && hourFree !== Number.POSITIVE_INFINITY
    if (hold && now - this.toldHourWait > scaled(HOUR_MS)) {
      this.toldHourWait = now
      const end =
        this.planned === undefined || this.firstWriteAt === undefined
          ? ''
          : `; the ${this.planned} planned are expected to be done by ${new Date(this.firstWriteAt + scaled(minimumWriteTimeMs(this.planned))).toISOString()}`
      info(
        `GitHub allows ${WRITES_PER_HOUR} writes an hour: ${this.writes + this.inFlight} sent, so the next waits ` +
          `${formatDuration(hourFree - now)} for the hour's window (until ${new Date(hourFree).toISOString()})${end}.`,
      )
    }
    return Math.max(minuteFree, hourFree)
  }

  private finish(counted: boolean, sentAt: number): void {
    this.inFlight -= 1
    if (counted) {
      this.done.push(Date.now())
      this.writes += 1
      if (sentAt > this.limitedAt) this.streak = 0
    }
    const { resolve } = this.changed
    this.changed = signal()
    resolve()
  }

  /** GitHub refused a write under its secondary limit: every write waits. */
  private limited(what: string, limit: LimitAnswer, sentAt: number): void {
    this.refusals += 1
    this.enforced = true
    this.gate.check()
    const asked = limit.retryAfterMs
    if (asked !== undefined && asked > MAX_SERVER_WAIT_MS) {
      this.gate.close(new Date(Date.now() + asked), `secondary rate limit on ${what}`)
      this.gate.check()
    }
    // Writes that were already in flight when the last answer came add no wait of their own.
    if (sentAt <= this.limitedAt && this.holdUntil > Date.now()) return
    this.streak += 1
    this.limitedAt = Date.now()
    const wait = asked ?? Math.min(LIMITED_WAIT_MS * 2 ** (this.streak - 1), MAX_LIMITED_WAIT_MS)
    this.holdUntil = Math.max(this.holdUntil, Date.now() + scaled(wait))
    warning(
      `GitHub secondary rate limit on ${what}` +
        `${asked === undefined ? ' (no Retry-After)' : ''}; every write waits ${formatDuration(wait)}, then goes on.`,
    )
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {}
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** github.com and GHE.com enforce the secondary limits; GitHub Enterprise Server has them off by default. */
export function enforcesWriteLimits(serverUrl: string): boolean {
  const host = URL.canParse(serverUrl) ? new URL(serverUrl).hostname : ''
  return host === 'github.com' || host.endsWith('.ghe.com')
}
