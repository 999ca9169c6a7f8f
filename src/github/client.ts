// The GitHub adapter: the releases API behind the ReleaseApi interface, on an
// Octokit that paces, throttles and retries (octokit.ts).
import { debug } from '@actions/core'
import { messageOf } from '../errors.js'
import { createAttestation } from './attestations.js'
import { DownloadError, streamAsset } from './download.js'
import { failed, isAlreadyExists, isReleaseFull, status } from './failures.js'
import { type AssetData, toAsset, toRelease } from './from-json.js'
import { buildOctokit, type Octokit, REQUEST_TIMEOUT_MS } from './octokit.js'
import { RateLimitGate } from './rate-limit.js'
import {
  type Asset,
  AssetExistsError,
  type Release,
  type ReleaseApi,
  ReleaseFullError,
  type Visibility,
} from './types.js'
import { uploadFile } from './upload.js'
import { WorkflowRuns } from './workflow-runs.js'
import { enforcesWriteLimits, WritePacer } from './write-pacer.js'

export interface GitHubOptions {
  /** Empty for anonymous reads (public repositories only, 60 requests an hour). */
  token: string
  owner: string
  repo: string
  apiUrl: string
  /**
   * GITHUB_SERVER_URL: on github.com and GHE.com writes are paced from the
   * start; on GitHub Enterprise Server, only after a secondary-limit answer.
   */
  serverUrl: string
  /** From the event payload: assets of its published releases download from the web host. */
  publicRepository: boolean
}

export class GitHubReleases implements ReleaseApi {
  private readonly octokit: Octokit
  private readonly repo: { owner: string; repo: string }
  private readonly gate = new RateLimitGate()
  /** Paces this run's writes within GitHub's secondary limits; counts them. */
  readonly pacer: WritePacer
  private readonly runs: WorkflowRuns

  constructor(private readonly options: GitHubOptions) {
    this.repo = { owner: options.owner, repo: options.repo }
    this.pacer = new WritePacer(this.gate, enforcesWriteLimits(options.serverUrl))
    this.octokit = buildOctokit(options.token, options.apiUrl, this.gate, this.pacer)
    this.runs = new WorkflowRuns(this.octokit, { ...options, timeoutMs: REQUEST_TIMEOUT_MS })
  }

  async repositoryVisibility(): Promise<Visibility> {
    try {
      const { data } = await this.octokit.rest.repos.get(this.repo)
      if (data.visibility === 'public' || data.visibility === 'internal') return data.visibility
      // Older GitHub Enterprise Server answers may leave visibility out; private is always there.
      if (data.visibility === 'private' || data.private) return 'private'
      return 'public'
    } catch (error) {
      return failed(error, 'read the repository')
    }
  }

  async getRelease(id: number): Promise<Release | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getRelease({ ...this.repo, release_id: id })
      return toRelease(data)
    } catch (error) {
      if (status(error) === 404) return undefined
      return failed(error, `read release ${id}`)
    }
  }

  async findReleaseByTag(tag: string): Promise<Release | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getReleaseByTag({ ...this.repo, tag })
      return toRelease(data)
    } catch (error) {
      if (status(error) !== 404) failed(error, `look up the release tagged ${tag}`)
    }
    // The by-tag endpoint sees published releases only; drafts are found by
    // listing every page.
    try {
      for await (const page of this.octokit.paginate.iterator(
        this.octokit.rest.repos.listReleases,
        { ...this.repo, per_page: 100 },
      )) {
        const found = page.data.find((r) => r.tag_name === tag)
        if (found) return toRelease(found)
      }
    } catch (error) {
      failed(error, `list the releases to find the draft tagged ${tag}`)
    }
    return undefined
  }

  async listAssets(release: Release): Promise<Asset[]> {
    const releaseId = release.id
    // GitHub's web host serves published assets of public repositories to
    // anyone: downloading there spares the API budget (1,000 requests an hour).
    const viaWeb = this.options.publicRepository && !release.draft
    const assets = await this.octokit
      .paginate(this.octokit.rest.repos.listReleaseAssets, {
        ...this.repo,
        release_id: releaseId,
        per_page: 100,
      })
      .catch((error) => failed(error, `list the assets of release ${releaseId}`))
    return assets.map((data) => toAsset(data, viaWeb))
  }

  async downloadAsset(asset: Asset): Promise<AsyncIterable<Uint8Array>> {
    if (asset.webUrl) {
      try {
        return await streamAsset({ name: asset.name, url: asset.webUrl }, undefined)
      } catch (error) {
        // Not served there after all (the repository turned private, say): use the API.
        if (!(error instanceof DownloadError) || error.retryable) throw error
        debug(`${asset.name}: ${messageOf(error)}; downloading through the API instead`)
      }
    }
    this.gate.check()
    return streamAsset(asset, this.options.token)
  }

  async downloadSourceArchive(
    tag: string,
    format: 'tar.gz' | 'zip',
  ): Promise<AsyncIterable<Uint8Array>> {
    const { owner, repo } = this.repo
    const kind = format === 'zip' ? 'zipball' : 'tarball'
    const ref = `refs/tags/${tag.split('/').map(encodeURIComponent).join('/')}`
    const url = `${this.options.apiUrl}/repos/${owner}/${repo}/${kind}/${ref}`
    this.gate.check()
    // The API answers 302 to the archive host, which is followed without the token.
    return streamAsset({ name: `the ${format} source archive of ${tag}`, url }, this.options.token)
  }

  async uploadAsset(
    release: Release,
    name: string,
    data: Buffer,
    contentType: string,
  ): Promise<Asset> {
    const { data: asset } = await this.octokit.rest.repos
      .uploadReleaseAsset({
        ...this.repo,
        release_id: release.id,
        // The upload host comes from the release (it differs on GHES), never from the API URL.
        url: release.uploadUrl,
        name,
        data: data as unknown as string,
        // fetch sets Content-Length itself for a Buffer body, and refuses one set by hand.
        headers: { 'content-type': contentType },
      })
      .catch((error) => {
        if (isAlreadyExists(error)) throw new AssetExistsError(name, { cause: error })
        if (isReleaseFull(error)) throw new ReleaseFullError(name, { cause: error })
        return failed(error, `upload ${name}`)
      })
    return toAsset(asset)
  }

  async uploadFile(
    release: Release,
    name: string,
    file: { path: string; size: number },
    contentType: string,
  ): Promise<Asset> {
    const data = await uploadFile(
      {
        uploadUrl: release.uploadUrl,
        name,
        path: file.path,
        size: file.size,
        contentType,
        token: this.options.token,
      },
      this.pacer,
    )
    return toAsset(data as AssetData)
  }

  async renameAsset(assetId: number, name: string): Promise<Asset> {
    const { data } = await this.octokit.rest.repos
      .updateReleaseAsset({ ...this.repo, asset_id: assetId, name })
      .catch((error) => {
        if (isAlreadyExists(error)) throw new AssetExistsError(name, { cause: error })
        return failed(error, `rename asset ${assetId} to ${name}`)
      })
    return toAsset(data)
  }

  async createDraft(draft: { tag: string; name: string; body: string }): Promise<Release> {
    try {
      const { data } = await this.octokit.rest.repos.createRelease({
        ...this.repo,
        tag_name: draft.tag,
        name: draft.name,
        body: draft.body,
        draft: true,
      })
      return toRelease(data)
    } catch (error) {
      return failed(error, `create the draft release ${draft.tag}`)
    }
  }

  async assetById(assetId: number): Promise<Asset | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getReleaseAsset({
        ...this.repo,
        asset_id: assetId,
      })
      return toAsset(data)
    } catch (error) {
      if (status(error) === 404) return undefined
      return failed(error, `read asset ${assetId}`)
    }
  }

  async deleteRelease(releaseId: number): Promise<void> {
    await this.octokit.rest.repos
      .deleteRelease({ ...this.repo, release_id: releaseId })
      .catch((error) => {
        // A retry after a lost answer finds the release gone: the delete happened.
        if (status(error) === 404) return
        failed(error, `delete release ${releaseId}`)
      })
  }

  async listReleases(): Promise<(Release & { createdAt: string })[]> {
    const releases = await this.octokit
      .paginate(this.octokit.rest.repos.listReleases, { ...this.repo, per_page: 100 })
      .catch((error) => failed(error, 'list the releases'))
    return releases.map((data) => ({ ...toRelease(data), createdAt: data.created_at }))
  }

  workflowRunFinished(runId: string): Promise<boolean | undefined> {
    return this.runs.finished(runId)
  }

  storeAttestation(bundle: unknown): Promise<number> {
    return createAttestation(this.octokit, this.repo, bundle)
  }

  async deleteAsset(assetId: number): Promise<void> {
    await this.octokit.rest.repos
      .deleteReleaseAsset({ ...this.repo, asset_id: assetId })
      .catch((error) => {
        // A retry after a lost answer finds the asset gone: the delete happened.
        if (status(error) === 404) return
        failed(error, `delete asset ${assetId}`)
      })
  }

  async publishRelease(releaseId: number): Promise<Release> {
    try {
      const { data } = await this.octokit.rest.repos.updateRelease({
        ...this.repo,
        release_id: releaseId,
        draft: false,
      })
      return toRelease(data)
    } catch (error) {
      // A retry after a lost answer is refused (the release is published, and
      // may now be immutable): read it back before calling it a failure.
      const now = await this.getRelease(releaseId).catch(() => undefined)
      if (now && !now.draft) return now
      return failed(error, `publish release ${releaseId}`)
    }
  }
}
