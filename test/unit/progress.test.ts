import { afterEach, expect, it, vi } from 'vitest'
import { Progress } from '../../src/util/progress.js'

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

it('prints percentage and throughput at most once per interval', () => {
  vi.useFakeTimers({ now: 0 })
  const lines: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk))
    return true
  })
  const progress = new Progress('model.bin', 4 << 20, 5_000)
  progress.add(1 << 20)
  expect(lines).toHaveLength(0)
  vi.setSystemTime(5_000)
  progress.add(1 << 20)
  vi.setSystemTime(6_000)
  progress.add(1 << 20)
  expect(lines).toEqual(['  model.bin: 50% of 4.0 MiB, 409.6 KiB/s\n'])
})
