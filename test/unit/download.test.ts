// Downloads follow the storage redirect without credentials, and give up on
// a stalled body instead of hanging.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DownloadError, streamAsset } from '../../src/github/download.js'
import type { Asset } from '../../src/github/types.js'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { seedRelease } from '../support/fixtures.js'

let stack: Stack
let asset: Asset

beforeAll(async () => {
  stack = await startStack()
  const release = await seedRelease(stack, {
    claims: releaseJobClaims({ repository: 'octo/download' }),
    assets: { 'big.bin': { kind: 'generated', size: 8 << 20, seed: 'download' } },
  })
  const record = release.assets[0]
  if (!record) throw new Error('no asset')
  asset = {
    id: record.id,
    name: record.name,
    size: record.size,
    digest: `sha256:${record.digest}`,
    url: `${stack.github.urls.api}/repos/octo/download/releases/assets/${record.id}`,
    state: 'uploaded',
  }
})
afterAll(() => stack.stop())

async function drain(body: AsyncIterable<Uint8Array>): Promise<number> {
  let size = 0
  for await (const chunk of body) size += chunk.length
  return size
}

it('streams the whole asset', async () => {
  expect(await drain(await streamAsset(asset, stack.github.token))).toBe(8 << 20)
})

it('abandons a body that stops arriving, as a retryable error', async () => {
  stack.servers.storage.fail({ path: /big\.bin/, fault: { kind: 'stall' } })
  const started = Date.now()
  const failure = await drain(await streamAsset(asset, stack.github.token, 300)).catch(
    (e: unknown) => e,
  )
  expect(failure).toBeInstanceOf(DownloadError)
  expect((failure as DownloadError).retryable).toBe(true)
  expect((failure as Error).message).toMatch(/stalled/)
  expect(Date.now() - started).toBeLessThan(5_000)
})

it('abandons a server that never answers', async () => {
  stack.servers.storage.fail({ path: /big\.bin/, fault: { kind: 'slow', delayMs: 2_000 } })
  const failure = await streamAsset(asset, stack.github.token, 300).catch((e: unknown) => e)
  expect(failure).toBeInstanceOf(DownloadError)
  expect((failure as Error).message).toMatch(/no answer for 0.3 s/)
})
