// An in-memory ReleaseApi, for testing the phases in-process. It keeps
// GitHub's rules that the phases rely on (unique asset names, 404 on a
// deleted asset, publish once), records every call, and can fail a call on
// request. `onChange` sees the assets after every write, so a test can check
// an invariant at every moment of a run, not only at its end.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import {
  type Asset,
  AssetExistsError,
  type Release,
  type ReleaseApi,
} from '../../src/github/types.js'

type Method = keyof ReleaseApi

export class MemoryReleaseApi implements ReleaseApi {
  readonly calls: { method: Method; arg: string }[] = []
  readonly bytes = new Map<number, Buffer>()
  assets: Asset[] = []
  onChange?: (assets: Asset[]) => void
  private readonly failures: { method: Method; error: Error }[] = []
  private nextId = 1

  constructor(readonly release: Release) {}

  async repositoryVisibility() {
    return 'public' as const
  }

  /** Seeds an asset, as an earlier upload would have left it. */
  add(name: string, data: string | Buffer, createdAt = new Date().toISOString()): Asset {
    const bytes = Buffer.from(data)
    const id = this.nextId++
    const asset: Asset = {
      id,
      name,
      size: bytes.length,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      url: `memory://assets/${id}`,
      state: 'uploaded',
      createdAt,
    }
    this.assets.push(asset)
    this.bytes.set(id, bytes)
    return asset
  }

  /** The next call of `method` throws `error`. */
  failNext(method: Method, error: Error = new Error(`${method} failed (scripted)`)): void {
    this.failures.push({ method, error })
  }

  private enter(method: Method, arg: string | number): void {
    this.calls.push({ method, arg: String(arg) })
    const index = this.failures.findIndex((f) => f.method === method)
    if (index >= 0) throw this.failures.splice(index, 1)[0]?.error
  }

  private changed(): void {
    this.onChange?.(this.assets.map((a) => ({ ...a })))
  }

  async getRelease(id: number) {
    this.enter('getRelease', id)
    return id === this.release.id ? { ...this.release } : undefined
  }

  async findReleaseByTag(tag: string) {
    this.enter('findReleaseByTag', tag)
    return tag === this.release.tagName ? { ...this.release } : undefined
  }

  async listAssets(release: Release) {
    this.enter('listAssets', release.id)
    return this.assets.map((a) => ({ ...a }))
  }

  async downloadAsset(asset: Asset): Promise<AsyncIterable<Uint8Array>> {
    this.enter('downloadAsset', asset.name)
    const bytes = this.bytes.get(asset.id)
    if (!bytes) throw new Error(`no asset ${asset.id}`)
    return (async function* () {
      yield bytes
    })()
  }

  async downloadSourceArchive(tag: string, format: string): Promise<AsyncIterable<Uint8Array>> {
    throw new Error(`no source archive of ${tag} (${format}) in memory`)
  }

  async uploadFile(release: Release, name: string, file: { path: string }, contentType: string) {
    return this.uploadAsset(release, name, readFileSync(file.path), contentType)
  }

  async uploadAsset(_release: Release, name: string, data: Buffer, _contentType: string) {
    this.enter('uploadAsset', name)
    if (this.assets.some((a) => a.name === name)) throw new AssetExistsError(name)
    const asset = this.add(name, data)
    this.changed()
    return { ...asset }
  }

  async renameAsset(assetId: number, name: string) {
    this.enter('renameAsset', `${assetId}->${name}`)
    const asset = this.assets.find((a) => a.id === assetId)
    if (!asset) throw new Error('Not Found')
    if (this.assets.some((a) => a.name === name && a.id !== assetId)) {
      throw new AssetExistsError(name)
    }
    asset.name = name
    this.changed()
    return { ...asset }
  }

  async deleteAsset(assetId: number) {
    this.enter('deleteAsset', assetId)
    this.assets = this.assets.filter((a) => a.id !== assetId)
    this.changed()
  }

  async assetById(assetId: number) {
    this.enter('assetById', assetId)
    const asset = this.assets.find((a) => a.id === assetId)
    return asset && { ...asset }
  }

  /** Other releases of the repository: the drafts this API created. */
  readonly drafts: (Release & { createdAt: string })[] = []

  async createDraft(draft: { tag: string; name: string; body: string }) {
    this.enter('createDraft', draft.tag)
    const created = {
      ...this.release,
      id: 1_000_000 + this.nextId++,
      tagName: draft.tag,
      name: draft.name,
      draft: true,
      immutable: false,
      createdAt: new Date().toISOString(),
    }
    this.drafts.push(created)
    return created
  }

  async deleteRelease(releaseId: number) {
    this.enter('deleteRelease', releaseId)
    const index = this.drafts.findIndex((d) => d.id === releaseId)
    if (index >= 0) this.drafts.splice(index, 1)
  }

  async listReleases() {
    this.enter('listReleases', '')
    return [{ ...this.release, createdAt: new Date(0).toISOString() }, ...this.drafts]
  }

  /** Workflow runs by id, and whether each has finished; any other is unknown. */
  runs = new Map<string, boolean>()

  async workflowRunFinished(runId: string) {
    this.enter('workflowRunFinished', runId)
    return this.runs.get(runId)
  }

  readonly attestations: unknown[] = []

  /** No tags and no release attestations: the in-process tests publish nothing immutable. */
  async tagObjects(tag: string) {
    this.enter('tagObjects', tag)
    return undefined
  }

  async releaseAttestations(digest: string) {
    this.enter('releaseAttestations', digest)
    return []
  }

  async storeAttestation(bundle: unknown) {
    this.enter('storeAttestation', '')
    this.attestations.push(bundle)
    return this.attestations.length
  }

  async publishRelease(releaseId: number) {
    this.enter('publishRelease', releaseId)
    this.release.draft = false
    return { ...this.release }
  }
}

export function draftRelease(): Release {
  return {
    id: 1,
    tagName: 'v1.0.0',
    name: 'v1.0.0',
    draft: true,
    prerelease: false,
    immutable: false,
    htmlUrl: 'https://github.com/o/r/releases/tag/v1.0.0',
    uploadUrl: 'https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}',
  }
}
