// GitHub's rate limits, modelled by the stack and scaled down to bind in
// seconds: the content-creation limit is waited out and the run completes;
// a used-up primary limit stops the run at once, saying when to re-run, and
// the re-run resumes where it stopped.
import { describe, expect, it } from 'vitest'
import { WAIT_SCALE_VARIABLE } from '../../src/util/wait.js'
import type { LoggedRequest } from '../stack/http.js'
import { startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
  verifyProvenanceFile,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { oneCleanFailure, requestMarks, requestsSince } from '../support/scenario.js'

// The stack's limits hold for real seconds, so the action waits them out at full length.
const REAL_WAITS = { env: { [WAIT_SCALE_VARIABLE]: '1' } }

const assets = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`part-${i}.bin`, `part ${i}`]))

it('paces its uploads through the content-creation limit, and every bundle lands', async () => {
  const stack = await startStack()
  try {
    // 10 uploads per 2 s: 24 bundles cannot all land in the first window.
    stack.github.limits.contentPerWindow = 10
    stack.github.limits.windowMs = 2_000
    const claims = releaseJobClaims({ repository: 'octo-org/content-limit' })
    const release = await seedRelease(stack, { claims, assets: assets(24) })
    const run = await runAction({
      ...REAL_WAITS,
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toMatch(/GitHub secondary rate limit on POST .*retrying in \d+ s/)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(24)
  } finally {
    await stack.stop()
  }
})

it('stops at once when the hourly limit is used up, says when to re-run, and the re-run resumes', async () => {
  const stack = await startStack()
  try {
    const claims = releaseJobClaims({ repository: 'octo-org/hourly-limit' })
    const release = await seedRelease(stack, { claims, assets: assets(30) })
    // Twelve requests are left in this hour: the read, the listing and ten uploads.
    stack.github.limits.limit = 12
    const marks = requestMarks(stack)
    const run = await runAction({
      ...REAL_WAITS,
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(run.exitCode).toBe(1)
    const errors = run.log.split('\n').filter((l) => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    // As GitHub's x-ratelimit-reset gives it: whole seconds, rounded up (which can be the next minute).
    const reset = new Date(Math.ceil(stack.github.limits.resetAt / 1000) * 1000)
      .toISOString()
      .slice(0, 16)
    expect(errors[0]).toContain(`GitHub's rate limit for this token holds until ${reset}`)
    expect(errors[0]).toContain('Re-run after that time')
    // Once the limit was met, no more requests were spent on it.
    const refused = stack.github.limits.used - stack.github.limits.limit
    expect(refused).toBeLessThanOrEqual(16)
    expect(requestsSince(stack, marks, 'api').length).toBeLessThan(20)
    // What landed verifies.
    const landed = await verifyAttachedBundles(stack, release, identityOf(stack, claims))
    expect(landed.length).toBeGreaterThan(0)
    expect(landed.length).toBeLessThan(30)

    // The hour is over.
    stack.github.limits.limit = 5000
    stack.github.limits.resetAt = Date.now()
    const entries = stack.counts().entries
    const again = await runAction({
      ...REAL_WAITS,
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(again.exitCode, again.log).toBe(0)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(30)
    // Only what was missing was signed again, and the provenance over all 30 written.
    expect(stack.counts().entries - entries).toBe(30 - landed.length + 1)
    expect(
      verifyProvenanceFile(stack, release, identityOf(stack, claims)).statement.subject,
    ).toHaveLength(30)
  } finally {
    await stack.stop()
  }
})

it("signs GitHub's largest release (1,000 assets) within the token's 1,000 requests an hour, over two runs", async () => {
  const stack = await startStack()
  try {
    stack.github.limits.limit = 1000
    stack.github.limits.contentPerWindow = 200
    stack.github.limits.windowMs = 1_000
    const claims = releaseJobClaims({ repository: 'octo-org/largest' })
    const release = await seedRelease(stack, { claims, assets: assets(1000) })
    const first = await runAction({
      ...REAL_WAITS,
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    // 1,000 bundle uploads, the reads around them and the uploads refused by
    // the content-creation limit come to more than the hour's budget.
    expect(first.exitCode).toBe(1)
    expect(first.log).toContain("GitHub's rate limit for this token holds until")
    const landed = release.assets.filter((a) => a.name.endsWith('.sigstore.json')).length
    expect(landed).toBeGreaterThan(800)
    const entries = stack.counts().entries

    stack.github.limits.resetAt = Date.now()
    const again = await runAction({
      ...REAL_WAITS,
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(again.exitCode, again.log.slice(-3000)).toBe(0)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(
      1000,
    )
    // The missing bundles, and the provenance over all 1,000.
    expect(stack.counts().entries - entries).toBe(1000 - landed + 1)
    expect(
      verifyProvenanceFile(stack, release, identityOf(stack, claims)).statement.subject,
    ).toHaveLength(1000)
  } finally {
    await stack.stop()
  }
}, 180_000)

describe('a wait GitHub asks for with Retry-After, on any call', () => {
  it.each([
    ['listing the assets', 'api', 'GET', /\/releases\/\d+\/assets\?/, '4'],
    ['uploading a bundle', 'uploads', 'POST', /sigstore\.json/, '4'],
    ['listing the assets, as an HTTP date', 'api', 'GET', /\/releases\/\d+\/assets\?/, 'date'],
  ] as const)('%s: the retry comes after it', async (_, server, method, path, retryAfter) => {
    const stack = await startStack()
    try {
      const claims = releaseJobClaims({ repository: 'octo-org/retry-after' })
      const release = await seedRelease(stack, { claims, assets: assets(1) })
      const marks = requestMarks(stack)
      // 4 s from now, to the second (an HTTP date has no finer grain).
      const date = new Date(Math.ceil((Date.now() + 5_000) / 1000) * 1000)
      stack.servers[server].fail({
        method,
        path,
        fault: {
          kind: 'too-many-requests',
          retryAfter: retryAfter === 'date' ? date.toUTCString() : Number(retryAfter),
        },
      })
      const run = await runAction({
        ...REAL_WAITS,
        sigstore: 'stack',
        stack,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode, run.log).toBe(0)
      const tries = requestsSince(stack, marks, server).filter(
        (r) => r.method === method && path.test(r.path),
      )
      expect(tries.length, 'the 429, then the retry').toBeGreaterThanOrEqual(2)
      const [first, second] = tries as [LoggedRequest, LoggedRequest]
      if (retryAfter === 'date') expect(second.at).toBeGreaterThanOrEqual(date.getTime() - 1_000)
      // Without Retry-After, the first retry comes after 1 s.
      else expect(second.at - first.at).toBeGreaterThanOrEqual(4_000)
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(1)
    } finally {
      await stack.stop()
    }
  })

  it('asks for longer than the action waits: one failure that names the wait, at once', async () => {
    const stack = await startStack()
    try {
      const claims = releaseJobClaims({ repository: 'octo-org/retry-after-long' })
      const release = await seedRelease(stack, { claims, assets: assets(1) })
      stack.servers.api.fail({
        method: 'GET',
        path: /\/releases\/\d+\/assets\?/,
        fault: { kind: 'too-many-requests', retryAfter: 300 },
        times: 1000,
      })
      const run = await runAction({
        ...REAL_WAITS,
        sigstore: 'stack',
        stack,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode).toBe(1)
      expect(run.wallMs).toBeLessThan(20_000)
      const error = oneCleanFailure(run.log)
      expect(error).toContain('asked to wait 300 s, longer than this action waits (60 s)')
    } finally {
      await stack.stop()
    }
  })
})
