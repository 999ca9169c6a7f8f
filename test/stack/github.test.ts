// The GitHub emulator behaves like GitHub where this action depends on it,
// and its responses have the shapes of GitHub's OpenAPI description.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { releaseJobClaims } from '../support/claims.js'
import { seedRelease } from '../support/fixtures.js'
import type { ReleaseRecord } from './github/state.js'
import { type Stack, startStack } from './index.js'

const require = createRequire(import.meta.url)
const spec = JSON.parse(
  readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
) as { components: unknown }
const ajv = new Ajv({ strict: false, allErrors: true })
// The description's formats (uri, date-time, int64) are checked, not ignored.
addFormats.default(ajv)
ajv.addSchema({ $id: 'github', components: spec.components })
const schema = (name: string) => ajv.getSchema(`github#/components/schemas/${name}`)

let stack: Stack
let auth: Record<string, string>
let release: ReleaseRecord
let draft: ReleaseRecord

beforeAll(async () => {
  stack = await startStack()
  auth = { authorization: `Bearer ${stack.github.token}` }
  const claims = releaseJobClaims({ repository: 'octo/emu' })
  release = await seedRelease(stack, {
    claims,
    tag: 'v1.0.0',
    assets: { 'a.tar.gz': 'aaaa', 'b.zip': 'bb' },
  })
  draft = await seedRelease(stack, { claims, tag: 'v2.0.0', draft: true, assets: { 'c.txt': 'c' } })
})
afterAll(() => stack.stop())

const api = (path: string, init: RequestInit = {}) => fetch(`${stack.github.urls.api}${path}`, init)

describe('GitHub emulator', () => {
  it('answers with release and asset objects that match the OpenAPI schemas', async () => {
    const validRelease = schema('release')
    const validAsset = schema('release-asset')
    if (!validRelease || !validAsset) throw new Error('schemas not found')
    const one = await (
      await api(`/repos/octo/emu/releases/${release.id}`, { headers: auth })
    ).json()
    expect(validRelease(one), JSON.stringify(validRelease.errors)).toBe(true)
    const list = (await (
      await api('/repos/octo/emu/releases', { headers: auth })
    ).json()) as unknown[]
    for (const item of list)
      expect(validRelease(item), JSON.stringify(validRelease.errors)).toBe(true)
    const assets = (await (
      await api(`/repos/octo/emu/releases/${release.id}/assets`)
    ).json()) as unknown[]
    for (const item of assets)
      expect(validAsset(item), JSON.stringify(validAsset.errors)).toBe(true)
    expect(assets[0]).toMatchObject({
      size: 4,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    })
  })

  it('creates a draft as GitHub does (no tag), and deletes a release with its assets', async () => {
    const validRelease = schema('release')
    if (!validRelease) throw new Error('schema not found')
    const created = await api('/repos/octo/emu/releases', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ tag_name: 'scratch-1', name: 'Scratch', body: 'b', draft: true }),
    })
    expect(created.status).toBe(201)
    const json = (await created.json()) as { id: number; draft: boolean; upload_url: string }
    expect(validRelease(json), JSON.stringify(validRelease.errors)).toBe(true)
    expect(json.draft).toBe(true)
    // A draft creates no tag: the by-tag lookup does not find it.
    expect((await api('/repos/octo/emu/releases/tags/scratch-1', { headers: auth })).status).toBe(
      404,
    )
    const record = stack.github.state.releases.find((r) => r.id === json.id)
    if (!record) throw new Error('not created')
    const asset = await stack.github.state.addAsset(record, 'x.bin', {
      kind: 'bytes',
      data: Buffer.from('x'),
    })
    const read = await api('/repos/octo/emu/releases', {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.github.readOnlyToken}` },
      body: JSON.stringify({ tag_name: 'scratch-2', draft: true }),
    })
    expect(read.status).toBe(403)
    const deleted = await api(`/repos/octo/emu/releases/${json.id}`, {
      method: 'DELETE',
      headers: auth,
    })
    expect(deleted.status).toBe(204)
    expect((await api(`/repos/octo/emu/releases/${json.id}`, { headers: auth })).status).toBe(404)
    const assetAfter = await api(`/repos/octo/emu/releases/assets/${asset.id}`, { headers: auth })
    expect(assetAfter.status).toBe(404)
  })

  it('stores attestations as GitHub does: 201 with an id, 403 without attestations: write, 422 without a bundle', async () => {
    const spec201 = (
      JSON.parse(
        readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
      ) as {
        paths: Record<
          string,
          { post: { responses: Record<string, { content: Record<string, { schema: object }> }> } }
        >
      }
    ).paths['/repos/{owner}/{repo}/attestations']?.post.responses['201']?.content[
      'application/json'
    ]?.schema
    if (!spec201) throw new Error('no response schema')
    const validCreated = ajv.compile(spec201)
    const post = (body: unknown) =>
      api('/repos/octo/emu/attestations', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const bundle = { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: {} }
    const created = await post({ bundle })
    expect(created.status).toBe(201)
    const json = await created.json()
    expect(validCreated(json), JSON.stringify(validCreated.errors)).toBe(true)
    expect(stack.github.state.attestations.at(-1)?.bundle).toEqual(bundle)
    expect((await post({})).status).toBe(422)
    stack.github.state.attestationsWritable = false
    try {
      const refused = await post({ bundle })
      expect(refused.status).toBe(403)
      expect(((await refused.json()) as { message: string }).message).toBe(
        'Resource not accessible by integration',
      )
    } finally {
      stack.github.state.attestationsWritable = true
    }
  })

  it('finds only published releases by tag, and shows drafts only to a token with push access', async () => {
    expect((await api('/repos/octo/emu/releases/tags/v1.0.0')).status).toBe(200)
    expect((await api('/repos/octo/emu/releases/tags/v2.0.0', { headers: auth })).status).toBe(404)
    const anonymous = (await (await api('/repos/octo/emu/releases')).json()) as { id: number }[]
    expect(anonymous.map((r) => r.id)).not.toContain(draft.id)
    const authed = (await (await api('/repos/octo/emu/releases', { headers: auth })).json()) as {
      id: number
    }[]
    expect(authed.map((r) => r.id)).toContain(draft.id)
    expect((await api(`/repos/octo/emu/releases/${draft.id}`)).status).toBe(404)
  })

  it('paginates with Link headers and at most 100 per page', async () => {
    const claims = releaseJobClaims({ repository: 'octo/paged' })
    for (let i = 0; i < 105; i++) await seedRelease(stack, { claims, tag: `t${i}`, assets: {} })
    const first = await api('/repos/octo/paged/releases?per_page=500')
    expect(((await first.json()) as unknown[]).length).toBe(100)
    expect(first.headers.get('link')).toMatch(/page=2>; rel="next"/)
    const second = await api('/repos/octo/paged/releases?per_page=100&page=2')
    expect(((await second.json()) as unknown[]).length).toBe(5)
    expect(second.headers.get('link')).not.toContain('rel="next"')
    expect((await (await api('/repos/octo/paged/releases')).json()) as unknown[]).toHaveLength(30)
  })

  it('redirects asset downloads to a storage host that refuses credentials', async () => {
    const asset = release.assets[0]
    const response = await api(`/repos/octo/emu/releases/assets/${asset?.id}`, {
      headers: { accept: 'application/octet-stream', ...auth },
      redirect: 'manual',
    })
    expect(response.status).toBe(302)
    const location = response.headers.get('location') ?? ''
    expect(location.startsWith(stack.servers.storage.url)).toBe(true)
    const withAuth = await fetch(location, { headers: auth })
    expect(withAuth.status).toBe(400)
    expect(await withAuth.text()).toContain('Only one auth mechanism allowed')
    const plain = await fetch(location)
    expect(await plain.text()).toBe('aaaa')
  })

  it('uploads through the upload_url template, with GitHub renaming, Content-Length and duplicate rules', async () => {
    const json = (await (
      await api(`/repos/octo/emu/releases/${release.id}`, { headers: auth })
    ).json()) as { upload_url: string }
    expect(json.upload_url).toBe(
      `${stack.servers.uploads.url}/repos/octo/emu/releases/${release.id}/assets{?name,label}`,
    )
    const target = json.upload_url.replace(
      '{?name,label}',
      `?name=${encodeURIComponent('my file (1).txt')}`,
    )
    const upload = () =>
      fetch(target, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain' },
        body: 'hello',
      })
    const created = await upload()
    expect(created.status).toBe(201)
    expect(((await created.json()) as { name: string }).name).toBe('my.file.1.txt')
    const duplicate = await upload()
    expect(duplicate.status).toBe(422)
    expect(((await duplicate.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'already_exists',
    )
    const chunked = await fetch(target.replace('my', 'other'), {
      method: 'POST',
      headers: auth,
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('x'))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(411)
  })

  it('refuses uploads and deletes on an immutable release, and publishing makes it immutable', async () => {
    const claims = releaseJobClaims({ repository: 'octo/locked' })
    const locked = await seedRelease(stack, {
      claims,
      draft: true,
      immutableRepo: true,
      assets: { 'x.bin': 'x' },
    })
    expect(locked.immutable).toBe(false)
    const patched = await api(`/repos/octo/locked/releases/${locked.id}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ draft: false }),
    })
    expect(((await patched.json()) as { immutable: boolean }).immutable).toBe(true)
    const url = `${stack.servers.uploads.url}/repos/octo/locked/releases/${locked.id}/assets?name=y.bin`
    const refused = await fetch(url, { method: 'POST', headers: auth, body: 'y' })
    expect(refused.status).toBe(422)
    expect(((await refused.json()) as { message: string }).message).toBe(
      'Cannot upload assets to an immutable release.',
    )
    const deleted = await api(`/repos/octo/locked/releases/assets/${locked.assets[0]?.id}`, {
      method: 'DELETE',
      headers: auth,
    })
    expect(deleted.status).toBe(422)
    const redraft = await api(`/repos/octo/locked/releases/${locked.id}`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ draft: true }),
    })
    expect(redraft.status).toBe(422)
  })

  it('serves source archives of existing tags through the storage host, chunked', async () => {
    for (const kind of ['tarball', 'zipball']) {
      for (const ref of ['v1.0.0', 'refs/tags/v1.0.0']) {
        const response = await api(`/repos/octo/emu/${kind}/${ref}`, { redirect: 'manual' })
        expect(response.status).toBe(302)
        const body = await fetch(response.headers.get('location') ?? '')
        expect(body.headers.get('content-length')).toBeNull()
        const bytes = Buffer.from(await body.arrayBuffer())
        expect(bytes.subarray(0, 2).toString('hex')).toBe(kind === 'tarball' ? '1f8b' : '504b')
      }
      const missing = await api(`/repos/octo/emu/${kind}/refs/tags/v9.9.9`, { redirect: 'manual' })
      expect(missing.status).toBe(404)
    }
  })

  it('gives different archive bytes per request when archives are unstable', async () => {
    const digestOf = async () => {
      const response = await api('/repos/octo/emu/tarball/v1.0.0', { redirect: 'manual' })
      const body = await fetch(response.headers.get('location') ?? '')
      return createHash('sha256')
        .update(Buffer.from(await body.arrayBuffer()))
        .digest('hex')
    }
    expect(await digestOf()).toBe(await digestOf())
    stack.github.state.unstableArchives = true
    try {
      expect(await digestOf()).not.toBe(await digestOf())
    } finally {
      stack.github.state.unstableArchives = false
    }
  })
})
