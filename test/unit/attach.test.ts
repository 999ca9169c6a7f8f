// The attach phase, in-process against an in-memory release.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AssetExistsError } from '../../src/github/types.js'
import { isTemporaryName } from '../../src/release-names.js'
import { attachBundles } from '../../src/signer/place/attach.js'
import { removeLeftovers } from '../../src/signer/place/leftovers.js'
import type { PlanItem, SignedItem } from '../../src/signer/run/items.js'
import { draftRelease, MemoryReleaseApi } from '../support/memory-release-api.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir('attach-test-')

/** A release with one asset, and a freshly made bundle for it on disk. */
function setup(oldBundle?: string) {
  const api = new MemoryReleaseApi(draftRelease())
  const asset = api.add('app.tar.gz', 'app')
  const existingBundle = oldBundle ? api.add('app.tar.gz.sigstore.json', oldBundle) : undefined
  const bundlePath = path.join(dir, `${Math.random()}.json`)
  writeFileSync(bundlePath, '{"new":true}')
  const item: PlanItem = {
    name: asset.name,
    size: asset.size,
    source: 'release',
    asset,
    bundleName: 'app.tar.gz.sigstore.json',
    fileName: 'app.tar.gz.sigstore.json',
    existingBundle,
    action: 'sign',
    reason: 'test',
  }
  const signed: SignedItem = {
    item,
    sha256: asset.digest?.slice('sha256:'.length) ?? '',
    bundlePath,
    logIndex: '1',
  }
  return { api, signed }
}

/** The bundle bytes on the release under its own name. */
function bundleOn(api: MemoryReleaseApi): string | undefined {
  const bundle = api.assets.find((a) => a.name === 'app.tar.gz.sigstore.json')
  return bundle && api.bytes.get(bundle.id)?.toString()
}

/** The run attaching, as its temporary names say. */
const RUN = { runId: '42', attempt: 1 }

describe('attachBundles', () => {
  it('uploads a first bundle under its name, once', async () => {
    const { api, signed } = setup()
    const [result] = await attachBundles(api, api.release, [signed], 4, RUN)
    expect(result?.ok).toBe(true)
    expect(api.calls.filter((c) => c.method === 'uploadAsset').map((c) => c.arg)).toEqual([
      'app.tar.gz.sigstore.json',
    ])
    expect(bundleOn(api)).toBe('{"new":true}')
  })

  it('replaces a bundle with one always on the release, old or new', async () => {
    const { api, signed } = setup('{"old":true}')
    const moments: string[] = []
    api.onChange = (assets) => {
      const held = assets
        .filter((a) => a.name === 'app.tar.gz.sigstore.json' || isTemporaryName(a.name))
        .map((a) => api.bytes.get(a.id)?.toString())
      expect(held.length, 'some bundle is on the release').toBeGreaterThan(0)
      moments.push(held.join(' '))
    }
    const [result] = await attachBundles(api, api.release, [signed], 4, RUN)
    expect(result?.ok).toBe(true)
    expect(moments).toEqual([
      '{"old":true} {"new":true}', // the new one is up under a temporary name
      '{"new":true}', // the old one is deleted
      '{"new":true}', // the new one takes its name
    ])
    expect(api.assets.map((a) => a.name).sort()).toEqual(['app.tar.gz', 'app.tar.gz.sigstore.json'])
  })

  it('leaves the old bundle untouched when the upload of its replacement fails', async () => {
    const { api, signed } = setup('{"old":true}')
    api.failNext('uploadAsset')
    const [result] = await attachBundles(api, api.release, [signed], 4, RUN)
    expect(result?.ok).toBe(false)
    expect(bundleOn(api)).toBe('{"old":true}')
    expect(api.calls.some((c) => c.method === 'deleteAsset')).toBe(false)
  })

  it('uploads the bundle under its name again when the rename into place fails', async () => {
    const { api, signed } = setup('{"old":true}')
    api.failNext('renameAsset')
    const [result] = await attachBundles(api, api.release, [signed], 4, RUN)
    expect(result?.ok).toBe(true)
    expect(bundleOn(api)).toBe('{"new":true}')
    expect(api.assets.some((a) => isTemporaryName(a.name))).toBe(false)
  })

  it('replaces a bundle that another upload put there first', async () => {
    const { api, signed } = setup()
    const upload = api.uploadAsset.bind(api)
    let raced = false
    api.uploadAsset = async (release, name: string, data, type) => {
      if (!raced) {
        raced = true
        api.add(name, '{"racing":true}')
        throw new AssetExistsError(name)
      }
      return upload(release, name, data, type)
    }
    const [result] = await attachBundles(api, api.release, [signed], 4, RUN)
    expect(result?.ok).toBe(true)
    expect(bundleOn(api)).toBe('{"new":true}')
    expect(api.assets.filter((a) => a.name.endsWith('.sigstore.json'))).toHaveLength(1)
  })

  it('attaches nothing for an asset replaced while it was signed', async () => {
    const { api, signed } = setup()
    api.assets = api.assets.filter((a) => a.name !== 'app.tar.gz')
    api.add('app.tar.gz', 'a different upload')
    const [result] = await attachBundles(api, api.release, [signed], 4, RUN)
    expect(result?.ok).toBe(false)
    expect(String(result && !result.ok && result.error)).toMatch(/replaced or removed/)
    expect(api.calls.some((c) => c.method === 'uploadAsset')).toBe(false)
  })

  it('removes its own temporary copy when the old bundle cannot be deleted, and keeps the old one', async () => {
    const { api, signed } = setup('{"old":true}')
    const old = api.assets.find((a) => a.name === 'app.tar.gz.sigstore.json')
    const deleteAsset = api.deleteAsset.bind(api)
    api.deleteAsset = async (id: number) => {
      if (id === old?.id) throw new Error('GitHub API: could not delete asset: HTTP 502')
      return deleteAsset(id)
    }
    const [result] = await attachBundles(api, api.release, [signed], 4, RUN)
    expect(result?.ok).toBe(false)
    expect(api.calls.filter((c) => c.method === 'uploadAsset').map((c) => c.arg)).toEqual([
      expect.stringMatching(/^app\.tar\.gz\.sigstore\.json\.sign-release-tmp-r42a1-[0-9a-f]{8}$/),
    ])
    expect(api.assets.some((a) => isTemporaryName(a.name))).toBe(false)
    expect(bundleOn(api)).toBe('{"old":true}')
  })

  it('marks its temporary copy as given up on when GitHub will not delete it, and any later run removes it at once', async () => {
    const { api, signed } = setup('{"old":true}')
    api.deleteAsset = async () => {
      throw new Error('GitHub API: could not delete asset: HTTP 502')
    }
    const [result] = await attachBundles(api, api.release, [signed], 4, RUN)
    expect(result?.ok).toBe(false)
    const left = api.assets.filter((a) => isTemporaryName(a.name))
    expect(left.map((a) => a.name)).toEqual([
      expect.stringMatching(/\.sign-release-tmp-r42a1-gone-[0-9a-f]{8}$/),
    ])
    // A later run of another workflow, which cannot tell whether run 42 is over.
    const later = new MemoryReleaseApi(api.release)
    later.assets = api.assets.map((a) => ({ ...a }))
    await removeLeftovers(later, later.assets, { runId: '99', attempt: 1 })
    expect(later.assets.filter((a) => isTemporaryName(a.name))).toEqual([])
    expect(later.calls.some((c) => c.method === 'workflowRunFinished')).toBe(false)
  })

  it('removes at once what an earlier attempt of this run, or a finished run, left; keeps what a live run holds', async () => {
    const { api, signed } = setup()
    const now = new Date().toISOString()
    const base = 'app.tar.gz.sigstore.json.sign-release-tmp-'
    api.add(`${base}r42a0-00000001`, '{}', now) // attempt 0 of this run: over
    api.add(`${base}r7a1-00000002`, '{}', now) // run 7 has finished
    api.add(`${base}r8a1-00000003`, '{}', now) // run 8 is still at work
    api.add(`${base}r9a1-00000004`, '{}', now) // nobody says whether run 9 is over
    api.add(`${base}r42a1-00000005`, '{}', now) // another job of this very attempt
    api.add(`${base}00000006`, '{}', now) // the older form, young
    api.runs.set('7', true)
    api.runs.set('8', false)
    await attachBundles(api, api.release, [signed], 4, RUN)
    expect(api.assets.filter((a) => isTemporaryName(a.name)).map((a) => a.name)).toEqual([
      `${base}r8a1-00000003`,
      `${base}r9a1-00000004`,
      `${base}r42a1-00000005`,
      `${base}00000006`,
    ])
    // One question per run, and none about this run itself.
    expect(api.calls.filter((c) => c.method === 'workflowRunFinished').map((c) => c.arg)).toEqual([
      '7',
      '8',
      '9',
    ])
  })

  it("never deletes a finished run's replacement that was renamed into place after the listing", async () => {
    const { api } = setup()
    const temp = api.add(
      'app.tar.gz.sigstore.json.sign-release-tmp-r7a1-00000001',
      '{"theirs":true}',
    )
    const staleListing = [...api.assets]
    // Run 7 renamed its replacement into place, then finished.
    await api.renameAsset(temp.id, 'app.tar.gz.sigstore.json')
    api.runs.set('7', true)
    await removeLeftovers(api, staleListing, RUN)
    expect(bundleOn(api)).toBe('{"theirs":true}')
    expect(api.calls.some((c) => c.method === 'deleteAsset')).toBe(false)
  })

  it('removes replacements an interrupted run left under a temporary name', async () => {
    const { api, signed } = setup()
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString()
    api.add('app.tar.gz.sigstore.json.sign-release-tmp-0123abcd', '{"left":true}', anHourAgo)
    await attachBundles(api, api.release, [signed], 4, RUN)
    expect(api.assets.some((a) => isTemporaryName(a.name))).toBe(false)
  })
})
