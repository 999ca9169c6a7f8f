// Where the bytes come from. A published release of a public repository is
// downloaded from the web host (browser_download_url), which costs no API
// request and needs no token; drafts and private repositories through the
// API. Neither path ever sends the token to the storage host.
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

const ASSETS = { 'one.tar.gz': 'one', 'two.tar.gz': 'two', 'three.zip': 'three' }

function downloadsThrough(marks: Record<string, number>) {
  const api = requestsSince(stack, marks, 'api').filter(
    (r) => r.headers.accept === 'application/octet-stream',
  )
  const web = requestsSince(stack, marks, 'web')
  const storage = requestsSince(stack, marks, 'storage')
  for (const r of [...web, ...storage]) expect(r.headers.authorization).toBeUndefined()
  return { api: api.length, web: web.length, storage: storage.length }
}

it('a published release of a public repository downloads from the web host, with no API request and no token', async () => {
  const claims = releaseJobClaims({ repository: 'octo-org/public' })
  const release = await seedRelease(stack, { claims, assets: ASSETS })
  const marks = requestMarks(stack)
  const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
  expect(run.exitCode, run.log).toBe(0)
  expect(downloadsThrough(marks)).toEqual({ api: 0, web: 3, storage: 3 })
  // Read the release, list its assets, list them again before attaching (uploads go to their
  // own host), and store the provenance's attestation.
  expect(requestsSince(stack, marks, 'api').map((r) => `${r.method} ${r.path}`)).toEqual([
    expect.stringMatching(/^GET \/repos\/octo-org\/public\/releases\/\d+$/),
    expect.stringMatching(/^GET .*\/assets/),
    expect.stringMatching(/^GET .*\/assets/),
    'POST /repos/octo-org/public/attestations',
  ])
  expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
})

it('a private repository downloads through the API, with the token, and never from the web host', async () => {
  const claims = releaseJobClaims({ repository: 'octo-org/private' })
  const release = await seedRelease(stack, { claims, privateRepo: true, assets: ASSETS })
  const marks = requestMarks(stack)
  const run = await runAction({
    sigstore: 'stack',
    stack,
    claims,
    event: releaseEvent(release, 'published', true),
  })
  expect(run.exitCode, run.log).toBe(0)
  expect(downloadsThrough(marks)).toEqual({ api: 3, web: 0, storage: 3 })
  expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
})

it('a draft downloads through the API, even in a public repository', async () => {
  const claims = releaseJobClaims({
    repository: 'octo-org/public-draft',
    event_name: 'workflow_dispatch',
    ref: 'refs/heads/main',
  })
  await seedRelease(stack, { claims, draft: true, assets: ASSETS })
  const marks = requestMarks(stack)
  const run = await runAction({
    sigstore: 'stack',
    stack,
    claims,
    event: { inputs: { tag: 'v1.0.0' }, repository: { private: false } },
    inputs: { tag: 'v1.0.0' },
  })
  expect(run.exitCode, run.log).toBe(0)
  expect(downloadsThrough(marks)).toEqual({ api: 3, web: 0, storage: 3 })
})

it('falls back to the API when the web host does not serve the asset', async () => {
  // The payload says public, but the repository has since been made private.
  const claims = releaseJobClaims({ repository: 'octo-org/turned-private' })
  const release = await seedRelease(stack, { claims, privateRepo: true, assets: ASSETS })
  const marks = requestMarks(stack)
  const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
  expect(run.exitCode, run.log).toBe(0)
  expect(downloadsThrough(marks)).toEqual({ api: 3, web: 3, storage: 3 })
  expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
})
