// A named phase of the run: one log group, and how long it took.
import { endGroup, info, startGroup } from '@actions/core'

export async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name)
  const started = performance.now()
  try {
    return await fn()
  } finally {
    info(`(${name}: ${((performance.now() - started) / 1000).toFixed(2)} s)`)
    endGroup()
  }
}
