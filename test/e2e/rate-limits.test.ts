// GitHub's limits as github.com enforces them, modelled by the stack with its
// windows scaled to bind in seconds: the 1,000-asset cap, and 80 writes a
// minute and 500 an hour, refused with 403 and no Retry-After. The run plans
// its writes, paces them, waits out what it meets, and never leaves a
// half-signed release; a used-up primary limit stops the run at once, saying
// when to re-run, and the re-run resumes where it stopped.
import { describe, expect, it } from 'vitest'
import { WAIT_SCALE_VARIABLE } from '../../src/util/wait.js'
import type { ReleaseRecord } from '../stack/github/state.js'
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
/** Bundles beside the first n parts that do not verify: each is replaced, three writes. */
const staleBundles = (n: number) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`part-${i}.bin.sigstore.json`, '{"stale": true}']),
  )

/** The pacer's closing line: writes made, secondary-limit answers, time spent waiting. */
function writesLine(log: string): string {
  return /GitHub writes: .*/.exec(log)?.[0] ?? 'no GitHub writes line'
}

const temporaryCopies = (release: ReleaseRecord) =>
  release.assets.filter((a) => a.name.includes('.sign-release-tmp-')).map((a) => a.name)

it("refuses a release that would pass GitHub's 1,000-asset cap before any certificate, log entry or write", async () => {
  const stack = await startStack()
  try {
    const claims = releaseJobClaims({ repository: 'octo-org/over-cap' })
    const release = await seedRelease(stack, { claims, assets: assets(520) })
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode).toBe(1)
    const error = oneCleanFailure(run.log)
    // 520 files, 520 bundles and the provenance.
    expect(error).toContain("leave the release with 1041 assets, over GitHub's cap of 1000")
    expect(error).toContain('bundles: manifest')
    expect(stack.counts()).toMatchObject({ certificates: 0, entries: 0 })
    expect(stack.github.limits.writes).toBe(0)
    expect(release.assets).toHaveLength(520)
  } finally {
    await stack.stop()
  }
})

it('paces 90 bundles past 80 writes a minute: no secondary-limit answer, every bundle lands', async () => {
  const stack = await startStack()
  try {
    const claims = releaseJobClaims({ repository: 'octo-org/paced' })
    const release = await seedRelease(stack, { claims, assets: assets(90) })
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log.slice(-3000)).toBe(0)
    expect(run.log).toContain(
      'Write plan: 92 write(s) to GitHub, 91 new upload(s), 0 replacement(s), the release ends with 181 of 1000 assets.',
    )
    expect(run.log).toMatch(/the writes take at least 1 min; expected to finish by/)
    expect(stack.github.limits.secondaryRefusals).toBe(0)
    expect(writesLine(run.log)).toMatch(/^GitHub writes: 92 made, 0 secondary-limit answer/)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(90)
  } finally {
    await stack.stop()
  }
})

it.each([403, 429] as const)(
  'a stricter limit than documented, answered %s without Retry-After: waited out, every bundle lands, no temporary copy left',
  async (status) => {
    const stack = await startStack()
    try {
      // A quarter of the documented minute: the pacer's bursts of 80 meet refusals.
      stack.github.limits.writesPerMinute = 20
      stack.github.limits.secondaryStatus = status
      const claims = releaseJobClaims({ repository: 'octo-org/stricter' })
      const release = await seedRelease(stack, {
        claims,
        assets: { ...assets(30), ...staleBundles(5) },
      })
      const run = await runAction({
        sigstore: 'stack',
        stack,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode, run.log.slice(-3000)).toBe(0)
      expect(stack.github.limits.secondaryRefusals).toBeGreaterThan(0)
      expect(run.log).toMatch(
        /GitHub secondary rate limit on .* \(no Retry-After\); every write waits 1 min, then goes on/,
      )
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(
        30,
      )
      expect(temporaryCopies(release)).toEqual([])
      verifyProvenanceFile(stack, release, identityOf(stack, claims))
    } finally {
      await stack.stop()
    }
  },
)

it("replaces 170 stale bundles (over 500 writes) by waiting for the hour's window, with no secondary-limit answer", async () => {
  const stack = await startStack()
  try {
    const claims = releaseJobClaims({ repository: 'octo-org/hourly' })
    const release = await seedRelease(stack, {
      claims,
      assets: { ...assets(170), ...staleBundles(170) },
    })
    // An hour of GitHub's limits in 3.6 s.
    const run = await runAction({
      env: { [WAIT_SCALE_VARIABLE]: '0.001' },
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(run.exitCode, run.log.slice(-3000)).toBe(0)
    expect(run.log).toContain(
      'Write plan: 512 write(s) to GitHub, 1 new upload(s), 170 replacement(s)',
    )
    expect(run.log).toMatch(/the writes take at least 1 h; expected to finish by/)
    expect(run.log).toMatch(
      /GitHub allows 500 writes an hour: 500 sent, so the next waits .*; the 512 planned are expected to be done by/,
    )
    // Said once for each wait of the hour's window, not for each write it held.
    expect(run.log.match(/GitHub allows 500 writes an hour/g)).toHaveLength(1)
    expect(stack.github.limits.secondaryRefusals).toBe(0)
    expect(writesLine(run.log)).toMatch(/^GitHub writes: 512 made, 0 secondary-limit answer/)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(170)
    expect(temporaryCopies(release)).toEqual([])
  } finally {
    await stack.stop()
  }
}, 120_000)

it('at exactly 1,000 assets, replaces a stale bundle by delete then upload, touching nothing else', async () => {
  const stack = await startStack()
  try {
    const claims = releaseJobClaims({ repository: 'octo-org/at-cap' })
    // Two files, their bundles, the provenance and 995 files left unsigned: 1,000 assets.
    const notes = Object.fromEntries(
      Array.from({ length: 995 }, (_, i) => [`notes-${i}.txt`, `notes ${i}`]),
    )
    const release = await seedRelease(stack, { claims, assets: { ...assets(2), ...notes } })
    const options = {
      env: { [WAIT_SCALE_VARIABLE]: '0.002' },
      sigstore: 'stack' as const,
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { assets: '*.bin' },
    }
    const first = await runAction(options)
    expect(first.exitCode, first.log.slice(-3000)).toBe(0)
    expect(release.assets).toHaveLength(1000)

    // part-1.bin is uploaded again with other bytes: its bundle and the provenance are stale.
    const stale = release.assets.find((a) => a.name === 'part-1.bin')
    release.assets = release.assets.filter((a) => a !== stale)
    await stack.github.state.addAsset(release, 'part-1.bin', {
      kind: 'bytes',
      data: Buffer.from('part 1, rebuilt'),
    })
    const replaced = /^part-1\.bin(\.sigstore\.json)?$|\.intoto\.jsonl$/
    const untouched = release.assets.filter((a) => !replaced.test(a.name)).map((a) => a.id)
    const again = await runAction(options)
    expect(again.exitCode, again.log.slice(-3000)).toBe(0)
    expect(again.log).toContain(
      "part-1.bin.sigstore.json: the release is at GitHub's cap of 1000 assets, leaving no room for a temporary copy",
    )
    expect(release.assets).toHaveLength(1000)
    expect(release.assets.filter((a) => untouched.includes(a.id)).map((a) => a.id)).toEqual(
      untouched,
    )
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(2)
    verifyProvenanceFile(stack, release, identityOf(stack, claims))
  } finally {
    await stack.stop()
  }
}, 120_000)

it('a 30-file release never waits for the limits: its writes fit in one burst', async () => {
  const stack = await startStack()
  try {
    const claims = releaseJobClaims({ repository: 'octo-org/small' })
    const release = await seedRelease(stack, { claims, assets: assets(30) })
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    expect(writesLine(run.log)).toBe(
      "GitHub writes: 32 made, 0 secondary-limit answer(s), 0 s spent waiting for GitHub's limits.",
    )
    expect(run.log).not.toMatch(/the writes take at least/)
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

describe('a wait GitHub asks for with Retry-After, on any call', () => {
  it.each([
    ['listing the assets', 'api', 'GET', /\/releases\/\d+\/assets\?/, '2'],
    ['uploading a bundle', 'uploads', 'POST', /sigstore\.json/, '2'],
    ['listing the assets, as an HTTP date', 'api', 'GET', /\/releases\/\d+\/assets\?/, 'date'],
  ] as const)('%s: the retry comes after it', async (_, server, method, path, retryAfter) => {
    const stack = await startStack()
    try {
      const claims = releaseJobClaims({ repository: 'octo-org/retry-after' })
      const release = await seedRelease(stack, { claims, assets: assets(1) })
      const marks = requestMarks(stack)
      // 2 s from now, to the second (an HTTP date has no finer grain).
      const date = new Date(Math.ceil((Date.now() + 3_000) / 1000) * 1000)
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
      else expect(second.at - first.at).toBeGreaterThanOrEqual(2_000)
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
