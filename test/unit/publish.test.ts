// The publish phase, in-process against an in-memory release.
import { describe, expect, it } from 'vitest'
import { publishDraft } from '../../src/signer/publish/publish.js'
import { draftRelease, MemoryReleaseApi } from '../support/memory-release-api.js'

/** A draft with one signed asset, as the run first listed it (`before`). */
function signedDraft() {
  const api = new MemoryReleaseApi(draftRelease())
  const app = api.add('app.tar.gz', 'app')
  api.add('app.tar.gz.sigstore.json', '{}')
  return { api, covered: new Map([[app.id, 'app.tar.gz.sigstore.json']]), before: [...api.assets] }
}

describe('publishDraft', () => {
  it('publishes a draft whose every selected asset has its bundle', async () => {
    const { api, covered, before } = signedDraft()
    await publishDraft(api, api.release, covered, ['*'], '.sigstore.json', before)
    expect(api.release.draft).toBe(false)
  })

  it('refuses when an asset arrived that this run did not sign, and leaves the draft', async () => {
    const { api, covered, before } = signedDraft()
    api.add('late.bin', 'late')
    await expect(
      publishDraft(api, api.release, covered, ['*'], '.sigstore.json', before),
    ).rejects.toThrow(/Did not publish v1\.0\.0: late\.bin has no bundle from this run/)
    expect(api.calls.some((c) => c.method === 'publishRelease')).toBe(false)
  })

  it('refuses when a signed bundle has gone from the release', async () => {
    const { api, covered, before } = signedDraft()
    api.assets = api.assets.filter((a) => a.name !== 'app.tar.gz.sigstore.json')
    await expect(
      publishDraft(api, api.release, covered, ['*'], '.sigstore.json', before),
    ).rejects.toThrow(/app\.tar\.gz/)
  })

  it('ignores assets the patterns leave out', async () => {
    const { api, covered, before } = signedDraft()
    api.add('notes.txt', 'notes')
    await publishDraft(api, api.release, covered, ['*.tar.gz'], '.sigstore.json', before)
    expect(api.release.draft).toBe(false)
  })

  it('does nothing for a release that is already published', async () => {
    const { api, covered, before } = signedDraft()
    api.release.draft = false
    await publishDraft(api, api.release, covered, ['*'], '.sigstore.json', before)
    expect(api.calls).toEqual([])
  })

  it('names what a run of its own files would need, for an asset that was there before it and is not selected', async () => {
    const { api, covered } = signedDraft()
    const other = api.add('other.bin', 'other')
    const before = [...api.assets]
    const late = api.add('late.bin', 'late')
    const error = await publishDraft(api, api.release, covered, [], '.sigstore.json', before).catch(
      (e: Error) => e,
    )
    expect(String(error)).toContain(
      "other.bin has no bundle beside it; it was on the release before this run, which signs only its own files (files, source-archive). Add assets: '*', or a pattern that names it, to sign it in this run",
    )
    expect(String(error)).toContain(
      `${late.name} has no bundle beside it; it was added while this run was signing`,
    )
    expect(String(error)).not.toContain(
      `${other.name} has no bundle from this run; it was added or replaced`,
    )
    expect(api.release.draft).toBe(true)
  })
})
