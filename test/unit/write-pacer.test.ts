// The write pacer on a fake clock: github.com's windows (80 a minute, 500 an
// hour), the waits after a secondary-limit answer, and GitHub Enterprise
// Server, where pacing starts only once GitHub says so.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RateLimitGate, RateLimitStop } from '../../src/github/rate-limit.js'
import { type LimitAnswer, WritePacer } from '../../src/github/write-pacer.js'

/** A write GitHub accepts, noting when it was sent. */
function accepted(sent: number[]) {
  return async () => {
    sent.push(Date.now())
  }
}

const noLimit = (): LimitAnswer | undefined => undefined
const isLimit = (error: unknown) => (error === 'limited' ? {} : undefined)

beforeEach(() => {
  vi.useFakeTimers({ now: 0 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('on github.com', () => {
  it('sends a burst of 80 at once, then each write a minute (and a second) after the one 80 before it', async () => {
    const pacer = new WritePacer(new RateLimitGate(), true)
    const sent: number[] = []
    const all = Promise.all(
      Array.from({ length: 170 }, () => pacer.write('w', accepted(sent), noLimit)),
    )
    await vi.advanceTimersByTimeAsync(200_000)
    await all
    expect(sent.filter((t) => t === 0)).toHaveLength(80)
    expect(sent.filter((t) => t > 0 && t <= 61_000)).toHaveLength(80)
    expect(sent.filter((t) => t > 61_000)).toHaveLength(10)
    // No rolling minute ever holds more than 80.
    for (const t of sent)
      expect(sent.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(80)
  })

  it("waits for the hour's window after 500 writes", async () => {
    const pacer = new WritePacer(new RateLimitGate(), true)
    const sent: number[] = []
    const all = Promise.all(
      Array.from({ length: 510 }, () => pacer.write('w', accepted(sent), noLimit)),
    )
    await vi.advanceTimersByTimeAsync(4_000_000)
    await all
    const last = sent.slice(500)
    expect(Math.min(...last)).toBeGreaterThanOrEqual(3_600_000)
    expect(pacer.writes).toBe(510)
  })

  it('after a secondary-limit answer without Retry-After, waits a minute, then twice as long, and goes on', async () => {
    const pacer = new WritePacer(new RateLimitGate(), true)
    const tries: number[] = []
    let refusals = 2
    const write = pacer.write(
      'w',
      async () => {
        tries.push(Date.now())
        if (refusals-- > 0) throw 'limited'
      },
      isLimit,
    )
    await vi.advanceTimersByTimeAsync(400_000)
    await write
    expect(tries).toEqual([0, 60_000, 180_000])
    expect(pacer.refusals).toBe(2)
  })

  it('a wait longer than the action takes stops every later write at once', async () => {
    const gate = new RateLimitGate()
    const pacer = new WritePacer(gate, true)
    const refused = pacer.write(
      'w',
      async () => {
        throw 'limited'
      },
      () => ({ retryAfterMs: 300_000 }),
    )
    await expect(refused).rejects.toBeInstanceOf(RateLimitStop)
    await expect(pacer.write('w', async () => 1, noLimit)).rejects.toBeInstanceOf(RateLimitStop)
  })
})

describe('on GitHub Enterprise Server', () => {
  it('sends at once until GitHub answers with a secondary limit, then paces', async () => {
    const pacer = new WritePacer(new RateLimitGate(), false)
    const sent: number[] = []
    await Promise.all(Array.from({ length: 200 }, () => pacer.write('w', accepted(sent), noLimit)))
    expect(sent.every((t) => t === 0)).toBe(true)

    let refused = false
    const write = pacer.write(
      'w',
      async () => {
        if (!refused) {
          refused = true
          throw 'limited'
        }
      },
      isLimit,
    )
    await vi.advanceTimersByTimeAsync(61_000)
    await write
    // Paced from now on: the 200 writes of this hour leave room for 300 more.
    const after: number[] = []
    const more = Promise.all(
      Array.from({ length: 90 }, () => pacer.write('w', accepted(after), noLimit)),
    )
    await vi.advanceTimersByTimeAsync(200_000)
    await more
    expect(after.filter((t) => t === after[0])).toHaveLength(79)
  })
})
