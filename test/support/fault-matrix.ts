// Every external call the action makes, under every fault the stack can
// script once: the run succeeds and every bundle verifies. The matrix is
// split across test files (fault-matrix-1 to -3), one part each, so that
// the suite's workers share it instead of one of them running it alone.
// (fault-persistent.test.ts covers faults that do not clear.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Fault } from '../stack/http.js'
import type { Stack } from '../stack/index.js'
import { startStack } from '../stack/index.js'
import { CALLS, freshRelease } from './fault-calls.js'
import { identityOf, verifyAttachedBundles } from './fixtures.js'
import { runAction } from './runner.js'

/** Defines the matrix's cases for `part` (1 to `parts`) of the calls. */
export function faultMatrix(part: number, parts: number): void {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack()
  })
  afterEach(() => {
    for (const server of Object.values(stack.servers)) server.clearFaults()
  })
  afterAll(() => stack.stop())

  const FAULTS: Fault[] = [
    { kind: 'status', status: 502 },
    { kind: 'html', status: 502 },
    { kind: 'html', status: 200 },
    { kind: 'truncate' },
    { kind: 'reset' },
    { kind: 'too-many-requests', retryAfter: 1 },
  ]

  const SECONDARY_LIMIT: Fault = { kind: 'secondary-rate-limit', retryAfter: 1 }

  const calls = CALLS.filter((_, i) => i % parts === part - 1)
  const cases = calls.flatMap((call) =>
    [...FAULTS, ...(call.github ? [SECONDARY_LIMIT] : [])].map(
      (fault) => [call.name, describeFault(fault), call, fault] as const,
    ),
  )

  function describeFault(fault: Fault): string {
    return 'status' in fault ? `${fault.kind} ${fault.status}` : fault.kind
  }

  describe('a fault that clears', () => {
    it.each(cases)('%s: %s once', async (_, __, call, fault) => {
      // One asset is enough for each call to be made once, and met by the fault.
      const { claims, release, options, expected } = await freshRelease(stack, call, 1)
      stack.servers[call.server].fail({ method: call.method, path: call.path, fault })
      const run = await runAction(options)
      expect(run.exitCode, run.log).toBe(0)
      expect(stack.servers[call.server].unspentFaults, 'the fault fired').toBe(0)
      if (call.scenario === 'publish') expect(release.draft).toBe(false)
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
        expected,
      )
    })
  })
}
