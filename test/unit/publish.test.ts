// The publish phase, in-process against an in-memory release.
import { describe, expect, it } from 'vitest'
import { publishDraft } from '../../src/phases/publish.js'
import { draftRelease, MemoryReleaseApi } from '../support/memory-release-api.js'

function signedDraft() {
  const api = new MemoryReleaseApi(draftRelease())
  const app = api.add('app.tar.gz', 'app')
  api.add('app.tar.gz.sigstore.json', '{}')
  return { api, covered: new Map([[app.id, 'app.tar.gz.sigstore.json']]) }
}

describe('publishDraft', () => {
  it('publishes a draft whose every selected asset has its bundle', async () => {
    const { api, covered } = signedDraft()
    await publishDraft(api, api.release, covered, ['*'], '.sigstore.json')
    expect(api.release.draft).toBe(false)
  })

  it('refuses when an asset arrived that this run did not sign, and leaves the draft', async () => {
    const { api, covered } = signedDraft()
    api.add('late.bin', 'late')
    await expect(publishDraft(api, api.release, covered, ['*'], '.sigstore.json')).rejects.toThrow(
      /Did not publish v1\.0\.0: late\.bin has no bundle from this run/,
    )
    expect(api.calls.some((c) => c.method === 'publishRelease')).toBe(false)
  })

  it('refuses when a signed bundle has gone from the release', async () => {
    const { api, covered } = signedDraft()
    api.assets = api.assets.filter((a) => a.name !== 'app.tar.gz.sigstore.json')
    await expect(publishDraft(api, api.release, covered, ['*'], '.sigstore.json')).rejects.toThrow(
      /app\.tar\.gz/,
    )
  })

  it('ignores assets the patterns leave out', async () => {
    const { api, covered } = signedDraft()
    api.add('notes.txt', 'notes')
    await publishDraft(api, api.release, covered, ['*.tar.gz'], '.sigstore.json')
    expect(api.release.draft).toBe(false)
  })

  it('does nothing for a release that is already published', async () => {
    const { api, covered } = signedDraft()
    api.release.draft = false
    await publishDraft(api, api.release, covered, ['*'], '.sigstore.json')
    expect(api.calls).toEqual([])
  })
})
