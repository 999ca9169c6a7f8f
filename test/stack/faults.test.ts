// Every fault kind can be scripted on a route, and is seen by a client; the
// request log records what each server received; the storage host can model
// a link of limited capacity.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { releaseJobClaims } from '../support/claims.js'
import { seedRelease } from '../support/fixtures.js'
import { type Stack, startStack } from './index.js'

let stack: Stack
let blobUrl: string
let expectedDigest: string

beforeAll(async () => {
  stack = await startStack()
  const release = await seedRelease(stack, {
    claims: releaseJobClaims({ repository: 'octo/faults' }),
    assets: { 'big.bin': { kind: 'generated', size: 4 << 20, seed: 'faults' } },
  })
  const redirect = await fetch(
    `${stack.github.urls.api}/repos/octo/faults/releases/assets/${release.assets[0]?.id}`,
    {
      headers: { accept: 'application/octet-stream' },
      redirect: 'manual',
    },
  )
  blobUrl = redirect.headers.get('location') ?? ''
  expectedDigest = release.assets[0]?.digest ?? ''
})
afterAll(() => stack.stop())

const releases = () => fetch(`${stack.github.urls.api}/repos/octo/faults/releases`)

describe('fault injection', () => {
  it.each([500, 502, 503] as const)('answers %i once, then recovers', async (status) => {
    stack.servers.api.fail({ path: /\/releases$/, fault: { kind: 'status', status } })
    expect((await releases()).status).toBe(status)
    expect((await releases()).status).toBe(200)
  })

  it('answers a secondary rate limit: 403 with Retry-After', async () => {
    stack.servers.api.fail({
      path: /\/releases$/,
      fault: { kind: 'secondary-rate-limit', retryAfter: 7 },
    })
    const response = await releases()
    expect(response.status).toBe(403)
    expect(response.headers.get('retry-after')).toBe('7')
    expect(((await response.json()) as { message: string }).message).toMatch(/secondary rate limit/)
  })

  it('answers 429 with Retry-After', async () => {
    stack.servers.api.fail({
      path: /\/releases$/,
      fault: { kind: 'too-many-requests', retryAfter: 3 },
    })
    const response = await releases()
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('3')
  })

  it.each(['reset', 'truncate'] as const)('%s cuts a body halfway', async (kind) => {
    stack.servers.storage.fail({ path: /big\.bin/, fault: { kind } })
    // A reset can overtake the headers already sent; either way the body never completes.
    await expect(fetch(blobUrl).then((response) => response.arrayBuffer())).rejects.toThrow()
    expect(stack.servers.storage.unspentFaults).toBe(0)
    expect((await (await fetch(blobUrl)).arrayBuffer()).byteLength).toBe(4 << 20)
  })

  it('stalls a body halfway, keeping the connection open', async () => {
    stack.servers.storage.fail({ path: /big\.bin/, fault: { kind: 'stall' } })
    const response = await fetch(blobUrl, { signal: AbortSignal.timeout(500) })
    expect(response.status).toBe(200)
    await expect(response.arrayBuffer()).rejects.toThrow(/aborted|timeout/i)
  })

  it('slows an answer down', async () => {
    stack.servers.api.fail({ path: /\/releases$/, fault: { kind: 'slow', delayMs: 300 } })
    const started = Date.now()
    expect((await releases()).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
  })

  it('shares a capped link between concurrent downloads, bytes intact', async () => {
    stack.github.storage.bandwidthBytesPerSecond = 16 << 20
    try {
      const started = Date.now()
      const bodies = await Promise.all([1, 2].map(() => fetch(blobUrl).then((r) => r.bytes())))
      // 8 MiB at 16 MiB/s: no sooner than half a second.
      expect(Date.now() - started).toBeGreaterThanOrEqual(450)
      const digests = bodies.map((b) => createHash('sha256').update(b).digest('hex'))
      expect(digests).toEqual([expectedDigest, expectedDigest])
    } finally {
      stack.github.storage.bandwidthBytesPerSecond = 0
    }
  })

  it('loses an answer after the work is done', async () => {
    stack.servers.api.fail({
      method: 'POST',
      path: /\/releases$/,
      fault: { kind: 'lose-response' },
    })
    const before = stack.github.state.releasesOf('octo', 'faults').length
    await expect(
      fetch(`${stack.github.urls.api}/repos/octo/faults/releases`, {
        method: 'POST',
        headers: {
          authorization: `token ${stack.github.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ tag_name: 'v-lost' }),
      }),
    ).rejects.toThrow()
    expect(stack.github.state.releasesOf('octo', 'faults').length).toBe(before + 1)
  })

  it('scopes faults by method and path, and counts them down', async () => {
    stack.servers.api.fail({
      method: 'DELETE',
      path: /\/releases$/,
      fault: { kind: 'status', status: 500 },
      times: 2,
    })
    expect((await releases()).status).toBe(200)
    expect(stack.servers.api.unspentFaults).toBe(2)
    stack.servers.api.clearFaults()
    expect(stack.servers.api.unspentFaults).toBe(0)
  })

  it('logs every request with its method, path and headers', async () => {
    await fetch(blobUrl, { headers: { 'x-probe': 'yes' } })
    const last = stack.servers.storage.requests.at(-1)
    expect(last?.method).toBe('GET')
    expect(last?.path).toContain('/blobs/')
    expect(last?.headers['x-probe']).toBe('yes')
  })
})
