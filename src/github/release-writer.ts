// The signer's GitHub client: the reads (release-reader.ts) and the writes,
// uploads streamed from disk and every write paced within GitHub's limits
// (write-pacer.ts), behind the ReleaseApi interface.
import { createAttestation } from './attestations.js'
import { failed, isAlreadyExists, isReleaseFull, status } from './failures.js'
import { type AssetData, toAsset, toRelease } from './from-json.js'
import { REQUEST_TIMEOUT_MS } from './octokit.js'
import { RateLimitGate } from './rate-limit.js'
import { type GitHubOptions, GitHubReleaseReader } from './release-reader.js'
import {
  type Asset,
  AssetExistsError,
  type Release,
  type ReleaseApi,
  ReleaseFullError,
} from './types.js'
import { uploadFile } from './upload.js'
import { WorkflowRuns } from './workflow-runs.js'
import { enforcesWriteLimits, WritePacer } from './write-pacer.js'

export class GitHubReleases extends GitHubReleaseReader implements ReleaseApi {
  /** Paces this run's writes within GitHub's secondary limits; counts them. */
  readonly pacer: WritePacer
  private readonly runs: WorkflowRuns

  constructor(options: GitHubOptions) {
    const gate = new RateLimitGate()
    const pacer = new WritePacer(gate, enforcesWriteLimits(options.serverUrl))
    super(options, gate, pacer)
    this.pacer = pacer
    this.runs = new WorkflowRuns(this.octokit, { ...options, timeoutMs: REQUEST_TIMEOUT_MS })
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

  async deleteRelease(releaseId: number): Promise<void> {
    await this.octokit.rest.repos
      .deleteRelease({ ...this.repo, release_id: releaseId })
      .catch((error) => {
        // A retry after a lost answer finds the release gone: the delete happened.
        if (status(error) === 404) return
        failed(error, `delete release ${releaseId}`)
      })
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
