// withRetry's waits, on a fake clock: a service's 429 without Retry-After
// (Sigstore's public proxies give none) waits a minute, then two, then four;
// a Retry-After is honoured as asked.
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { RATE_LIMIT_WAIT_MS, TransientHttpError, withRetry } from '../../src/util/retry.js'

beforeEach(() => {
  vi.useFakeTimers({ now: 0 })
})
afterEach(() => {
  vi.useRealTimers()
})

function rateLimitedThenOk(refusals: number, retryAfterMs?: number) {
  const tries: number[] = []
  const fn = async () => {
    tries.push(Date.now())
    if (tries.length <= refusals)
      throw new TransientHttpError('HTTP 429 from rekor', 429, retryAfterMs)
    return 'entry'
  }
  return { fn, tries }
}

const options = {
  attempts: 4,
  baseDelayMs: 500,
  retryable: () => true,
  rateLimitWaitMs: RATE_LIMIT_WAIT_MS,
}

it('waits a minute after a 429 without Retry-After, then twice as long each time', async () => {
  const { fn, tries } = rateLimitedThenOk(3)
  const result = withRetry(fn, options)
  await vi.advanceTimersByTimeAsync(8 * 60_000)
  await expect(result).resolves.toBe('entry')
  expect(tries).toEqual([0, 60_000, 180_000, 420_000])
})

it('honours a Retry-After a 429 gives, instead of the minute', async () => {
  const { fn, tries } = rateLimitedThenOk(1, 3_000)
  const result = withRetry(fn, options)
  await vi.advanceTimersByTimeAsync(10_000)
  await expect(result).resolves.toBe('entry')
  expect(tries).toEqual([0, 3_000])
})

it('says how many tries it took when it gives up', async () => {
  const { fn } = rateLimitedThenOk(10)
  const result = withRetry(fn, options).catch((e: unknown) => e)
  await vi.advanceTimersByTimeAsync(10 * 60_000)
  expect(await result).toMatchObject({ status: 429, attempts: 4 })
})
