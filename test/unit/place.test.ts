// Replacing a bundle at GitHub's 1,000-asset cap, where no temporary copy
// fits: delete, then upload; when that upload fails, the old bundle is put
// back. In-process, on the in-memory release, with GitHub's refusals scripted.
import { describe, expect, it } from 'vitest'
import { type Release, ReleaseFullError } from '../../src/github/types.js'
import { placeBundle } from '../../src/signer/place/place-bundle.js'
import { MemoryReleaseApi } from '../support/memory-release-api.js'

const RELEASE: Release = {
  id: 1,
  tagName: 'v1.0.0',
  name: 'v1.0.0',
  draft: false,
  prerelease: false,
  immutable: false,
  uploadUrl: 'memory://uploads{?name,label}',
  htmlUrl: 'memory://release',
}
const OWNER = { runId: '42', attempt: 1 }

function atCap() {
  const api = new MemoryReleaseApi(RELEASE)
  api.add('tool.tar.gz', 'tool')
  const old = api.add('tool.tar.gz.sigstore.json', '{"old": true}')
  // GitHub refuses the temporary copy: the release holds 1,000 assets.
  api.failNext('uploadAsset', new ReleaseFullError('tool.tar.gz.sigstore.json.tmp'))
  return { api, old }
}

const bundleOf = (api: MemoryReleaseApi) => {
  const asset = api.assets.find((a) => a.name === 'tool.tar.gz.sigstore.json')
  return asset && api.bytes.get(asset.id)?.toString()
}

describe('at the asset cap', () => {
  it('deletes the old bundle, then uploads the new one, touching nothing else', async () => {
    const { api, old } = atCap()
    const placed = await placeBundle(
      api,
      RELEASE,
      'tool.tar.gz.sigstore.json',
      Buffer.from('{"new": true}'),
      old,
      OWNER,
    )
    expect(placed.name).toBe('tool.tar.gz.sigstore.json')
    expect(bundleOf(api)).toBe('{"new": true}')
    expect(api.assets.map((a) => a.name).sort()).toEqual([
      'tool.tar.gz',
      'tool.tar.gz.sigstore.json',
    ])
    const writes = api.calls.filter((c) => c.method !== 'downloadAsset').map((c) => c.method)
    expect(writes).toEqual(['uploadAsset', 'deleteAsset', 'uploadAsset'])
  })

  it('puts the old bundle back when the new upload fails', async () => {
    const { api, old } = atCap()
    api.failNext('uploadAsset', new Error('HTTP 502 from uploads'))
    await expect(
      placeBundle(
        api,
        RELEASE,
        'tool.tar.gz.sigstore.json',
        Buffer.from('{"new": true}'),
        old,
        OWNER,
      ),
    ).rejects.toThrow(
      /uploading the new tool\.tar\.gz\.sigstore\.json failed .*; the old one was put back/,
    )
    expect(bundleOf(api)).toBe('{"old": true}')
    expect(api.assets.map((a) => a.name).sort()).toEqual([
      'tool.tar.gz',
      'tool.tar.gz.sigstore.json',
    ])
  })
})
