// Immutable releases: a published one is refused before any signing; a
// draft signed with publish: true ends published with every bundle.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Stack } from '../stack/index.js'
import { startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { requestMarks, requestsSince } from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

const ASSETS = { 'pkg-1.0.tar.gz': 'sdist', 'pkg-1.0-py3-none-any.whl': 'wheel' }

/** A draft v1.0.0 in a repository with immutable releases, signed by a manual run. */
async function immutableDraft(repository: string) {
  const claims = releaseJobClaims({
    repository,
    event_name: 'workflow_dispatch',
    ref: 'refs/heads/main',
  })
  const release = await seedRelease(stack, {
    claims,
    draft: true,
    immutableRepo: true,
    assets: ASSETS,
  })
  return { claims, release }
}

it('refuses a published immutable release that needs signing, before any certificate or log entry', async () => {
  const claims = releaseJobClaims({ repository: 'octo-org/immutable' })
  const release = await seedRelease(stack, { claims, immutableRepo: true, assets: ASSETS })
  expect(release.immutable).toBe(true)
  const marks = requestMarks(stack)
  const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
  expect(run.exitCode).toBe(1)
  expect(run.log).toMatch(/::error::Release v1\.0\.0 in octo-org\/immutable is immutable/)
  expect(run.log).toContain('publish: true')
  expect(requestsSince(stack, marks, 'fulcio')).toHaveLength(0)
  expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
  expect(requestsSince(stack, marks, 'storage')).toHaveLength(0)
  expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
  expect(release.assets).toHaveLength(2)
})

it('signs a draft and publishes it once every bundle is attached', async () => {
  const claims = releaseJobClaims({
    repository: 'octo-org/immutable-flow',
    event_name: 'workflow_dispatch',
    ref: 'refs/heads/main',
  })
  const release = await seedRelease(stack, {
    claims,
    tag: 'v2.0.0',
    draft: true,
    immutableRepo: true,
    assets: ASSETS,
  })
  const run = await runAction({
    sigstore: 'stack',
    stack,
    claims,
    inputs: { tag: 'v2.0.0', publish: 'true' },
  })
  expect(run.exitCode, run.log).toBe(0)
  expect(release.draft).toBe(false)
  expect(release.immutable).toBe(true)
  expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
    Object.keys(ASSETS).sort(),
  )
  // The only PATCH is the publish, and it comes after the last upload.
  const patches = stack.servers.api.requests.filter((r) => r.method === 'PATCH')
  expect(patches).toHaveLength(1)
})

it('re-runs on a published immutable release whose bundles all verify, with nothing to do', async () => {
  const { claims, release } = await immutableDraft('octo-org/immutable-rerun')
  const inputs = { tag: 'v1.0.0', publish: 'true' }
  const first = await runAction({ sigstore: 'stack', stack, claims, inputs })
  expect(first.exitCode, first.log).toBe(0)
  expect(release.immutable).toBe(true)
  const marks = requestMarks(stack)
  const again = await runAction({ sigstore: 'stack', stack, claims, inputs })
  expect(again.exitCode, again.log).toBe(0)
  expect(again.log).toContain('nothing to sign')
  expect(requestsSince(stack, marks, 'fulcio')).toHaveLength(0)
  expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
  expect(JSON.parse(again.outputs.results ?? '[]')).toEqual(
    expect.arrayContaining([expect.objectContaining({ status: 'unchanged' })]),
  )
})

it('does not publish a draft that gained an asset while the run signed, and a re-run finishes the job', async () => {
  const { claims, release } = await immutableDraft('octo-org/late-asset')
  // While the sdist downloads slowly (after the plan was made), a late build
  // uploads another asset to the draft.
  stack.servers.storage.fail({ path: /pkg-1\.0\.tar\.gz/, fault: { kind: 'slow', delayMs: 1500 } })
  const seen = stack.servers.storage.requests.length
  const late = setInterval(() => {
    const started = stack.servers.storage.requests
      .slice(seen)
      .some((r) => /pkg-1\.0\.tar\.gz/.test(r.path))
    if (!started) return
    clearInterval(late)
    void stack.github.state.addAsset(release, 'late.bin', {
      kind: 'bytes',
      data: Buffer.from('late'),
    })
  }, 20)
  const inputs = { tag: 'v1.0.0', publish: 'true' }
  const run = await runAction({ sigstore: 'stack', stack, claims, inputs })
  clearInterval(late)
  expect(run.exitCode).toBe(1)
  expect(run.log).toMatch(
    /::error::Did not publish v1\.0\.0: late\.bin has no bundle from this run/,
  )
  expect(release.draft).toBe(true)

  const again = await runAction({ sigstore: 'stack', stack, claims, inputs })
  expect(again.exitCode, again.log).toBe(0)
  expect(release.draft).toBe(false)
  expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
    [...Object.keys(ASSETS), 'late.bin'].sort(),
  )
})

it('publishes once when the answer to the publish is lost and the retry is refused as immutable', async () => {
  const { claims, release } = await immutableDraft('octo-org/lost-publish')
  stack.servers.api.fail({
    method: 'PATCH',
    path: /\/releases\/\d+$/,
    fault: { kind: 'lose-response' },
  })
  const run = await runAction({
    sigstore: 'stack',
    stack,
    claims,
    inputs: { tag: 'v1.0.0', publish: 'true' },
  })
  expect(run.exitCode, run.log).toBe(0)
  expect(stack.servers.api.unspentFaults).toBe(0)
  expect(release.draft).toBe(false)
  expect(release.immutable).toBe(true)
  expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
    Object.keys(ASSETS).sort(),
  )
})
