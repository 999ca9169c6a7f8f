// A dry run signs and verifies for real but leaves the release untouched.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { bundleFromJSON } from '@sigstore/bundle'
import { toSignedEntity } from '@sigstore/verify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { releaseJson } from '../stack/github/state.js'
import type { Stack } from '../stack/index.js'
import { startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  stackVerifier,
  workflowPolicy,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { requestMarks, requestsSince } from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

it('leaves the release byte-for-byte unchanged and keeps verified bundles in bundles-dir', async () => {
  const claims = releaseJobClaims({ repository: 'octo-org/dry-run' })
  const assets = { 'x.tar.gz': 'x bytes', 'y.zip': 'y bytes' }
  const release = await seedRelease(stack, { claims, assets })
  const snapshot = () =>
    JSON.stringify({
      release: releaseJson(stack.github.urls, release),
      contents: release.assets.map((a) =>
        a.content.kind === 'bytes' ? a.content.data.toString('base64') : '',
      ),
    })
  const before = snapshot()
  const marks = requestMarks(stack)

  const run = await runAction({
    sigstore: 'stack',
    stack,
    claims,
    event: releaseEvent(release),
    inputs: { 'dry-run': 'true' },
    artifactService: true,
  })
  expect(run.exitCode, run.log).toBe(0)
  expect(snapshot()).toBe(before)
  expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
  expect(requestsSince(stack, marks, 'api').filter((r) => r.method !== 'GET')).toHaveLength(0)

  const dir = run.outputs['bundles-dir'] ?? ''
  expect(dir.startsWith(run.runnerTemp)).toBe(true)
  expect(readdirSync(dir).sort()).toEqual([
    'dry-run-v1.0.0.intoto.jsonl',
    'x.tar.gz.sigstore.json',
    'y.zip.sigstore.json',
  ])
  const verifier = stackVerifier(stack)
  for (const [name, text] of Object.entries(assets)) {
    const bundle = bundleFromJSON(
      JSON.parse(readFileSync(path.join(dir, `${name}.sigstore.json`), 'utf8')),
    )
    verifier.verify(
      toSignedEntity(bundle, Buffer.from(text)),
      workflowPolicy(identityOf(stack, claims)),
    )
  }
  expect(run.summary).toMatch(
    /<h2>🧪 Dry run of v1\.0\.0: \d+ files signed and verified, nothing attached<\/h2>/,
  )

  // The bundles are also a workflow artifact: a zip holding both, with the hash the client reported.
  expect(stack.results.artifacts, run.log).toHaveLength(1)
  const artifact = stack.results.artifacts[0]
  expect(artifact?.name).toBe('sigstore-bundles-v1.0.0')
  const zip = artifact?.data ?? Buffer.alloc(0)
  expect(zip.subarray(0, 4).toString('hex')).toBe('504b0304')
  expect(zip.includes('x.tar.gz.sigstore.json')).toBe(true)
  expect(zip.includes('y.zip.sigstore.json')).toBe(true)
  expect(zip.includes('dry-run-v1.0.0.intoto.jsonl')).toBe(true)
  expect(artifact?.size).toBe(zip.length)
  expect(artifact?.hash).toBe(`sha256:${createHash('sha256').update(zip).digest('hex')}`)
})

it('a dry run without the artifact service keeps the bundles on disk only', async () => {
  const claims = releaseJobClaims({ repository: 'octo-org/dry-run-local' })
  const release = await seedRelease(stack, { claims, assets: { 'z.bin': 'z' } })
  const before = stack.results.artifacts.length
  const run = await runAction({
    sigstore: 'stack',
    stack,
    claims,
    event: releaseEvent(release),
    inputs: { 'dry-run': 'true' },
  })
  expect(run.exitCode, run.log).toBe(0)
  expect(stack.results.artifacts.length).toBe(before)
  expect(readdirSync(run.outputs['bundles-dir'] ?? '').sort()).toEqual([
    'dry-run-local-v1.0.0.intoto.jsonl',
    'z.bin.sigstore.json',
  ])
  expect(release.assets.map((a) => a.name)).toEqual(['z.bin'])
})
