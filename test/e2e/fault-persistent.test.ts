// Every external call the action makes, failing on every try: the run ends
// in one failure that names what failed, leaves no bundle that does not
// verify and no asset changed, and a re-run after the fault clears completes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isTemporaryName } from '../../src/release-names.js'
import { WAIT_SCALE_VARIABLE } from '../../src/util/wait.js'
import type { Stack } from '../stack/index.js'
import { startStack } from '../stack/index.js'
import { CALLS, freshRelease } from '../support/fault-calls.js'
import { identityOf, releaseEvent, verifyAttachedBundles } from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { requestMarks, requestsSince } from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterEach(() => {
  for (const server of Object.values(stack.servers)) server.clearFaults()
})
afterAll(() => stack.stop())

describe('a fault that does not clear', () => {
  it.each(CALLS.map((call) => [call.name, call] as const))(
    '%s: one named failure, nothing broken left, and a re-run completes',
    async (_, call) => {
      const { claims, release, options, expected } = await freshRelease(stack, call)
      const userAssets = release.assets
        .filter((a) => !/\.sigstore\.json(\.sign-release-tmp-\w+)?$/.test(a.name))
        .map((a) => ({ ...a }))
      stack.servers[call.server].fail({
        method: call.method,
        path: call.path,
        fault: { kind: 'status', status: 502 },
        times: 1000,
      })
      const marks = requestMarks(stack)
      const run = await runAction(options)
      if (call.attempts !== undefined) {
        const tries = requestsSince(stack, marks, call.server).filter(
          (r) => r.method === call.method && call.path.test(r.path),
        )
        expect(tries, 'attempts as the README says').toHaveLength(call.attempts)
      }
      if (call.avoidable) {
        // It gets around the call: see `avoidable` in the table.
        expect(run.exitCode, run.log).toBe(0)
        expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
          expected,
        )
        return
      }
      expect(run.exitCode).toBe(1)
      const errors = run.log.split('\n').filter((l) => l.startsWith('::error::'))
      expect(errors, run.log).toHaveLength(1)
      expect(errors[0]).toMatch(/502/)
      // What is on the release verifies, and the user's assets are as they were.
      await verifyAttachedBundles(stack, release, identityOf(stack, claims))
      for (const asset of userAssets) {
        expect(release.assets.find((a) => a.id === asset.id)?.content).toEqual(asset.content)
      }

      if (call.scenario === 'publish') expect(release.draft).toBe(true)

      stack.servers[call.server].clearFaults()
      const again = await runAction(options)
      expect(again.exitCode, again.log).toBe(0)
      if (call.scenario === 'publish') expect(release.draft).toBe(false)
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
        expected,
      )
      // Nothing is left under a temporary name once a run completes, with no wait.
      expect(release.assets.filter((a) => isTemporaryName(a.name)).map((a) => a.name)).toEqual([])
    },
  )
})

describe('a wait longer than the action waits', () => {
  it.each([
    [
      'GitHub',
      'api',
      'GET',
      /\/releases\/\d+\/assets\?/,
      { kind: 'secondary-rate-limit', retryAfter: 120 },
    ],
    ['the token service', 'oidc', 'GET', /token/, { kind: 'too-many-requests', retryAfter: 120 }],
    ['the storage host', 'storage', 'GET', /./, { kind: 'too-many-requests', retryAfter: 120 }],
    [
      'the transparency log',
      'rekor',
      'POST',
      /entries/,
      { kind: 'too-many-requests', retryAfter: 120 },
    ],
    [
      'the timestamp authority',
      'tsa',
      'POST',
      /timestamp/,
      { kind: 'too-many-requests', retryAfter: 120 },
    ],
  ] as const)(
    '%s asks for 120 s: the run stops at once and names the wait',
    async (_, server, method, path, fault) => {
      const { claims, release } = await freshRelease(stack)
      stack.servers[server].fail({ method, path, fault, times: 1000 })
      const started = Date.now()
      const run = await runAction({
        sigstore: 'stack',
        stack,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode).toBe(1)
      expect(Date.now() - started).toBeLessThan(30_000)
      expect(run.log).toMatch(/ask(s|ed) to wait 120 s, longer than this action waits \(60 s\)/)
      expect(run.log.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1)
      await verifyAttachedBundles(stack, release, identityOf(stack, claims))
    },
  )
})

describe('a wait the service asks for', () => {
  it.each([
    ['the transparency log', 'rekor', /entries/],
    ['the timestamp authority', 'tsa', /timestamp/],
  ] as const)(
    '%s asks for 3 s: the retry comes after it, and the run succeeds',
    async (_, server, path) => {
      const { claims, release, options, expected } = await freshRelease(stack)
      stack.servers[server].fail({
        method: 'POST',
        path,
        fault: { kind: 'too-many-requests', retryAfter: 3 },
      })
      // The wait itself is what this checks: at full length, not the suite's shortened waits.
      const run = await runAction({ ...options, env: { [WAIT_SCALE_VARIABLE]: '1' } })
      expect(run.exitCode, run.log).toBe(0)
      expect(stack.servers[server].unspentFaults, 'the fault fired').toBe(0)
      // Without Retry-After the retry would come after 0.5 s; the whole run takes about 1 s.
      expect(run.wallMs).toBeGreaterThanOrEqual(3_000)
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
        expected,
      )
    },
  )
})
