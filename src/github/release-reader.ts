// The GitHub adapter's reads: releases and their assets, streamed, on an
// Octokit that throttles and retries (octokit.ts). The consumer's check uses
// it alone; the signer's client (release-writer.ts) adds the writes.
import { debug } from '@actions/core'
import { messageOf } from '../errors.js'
import { DownloadError, streamAsset } from './download.js'
import { failed, status } from './failures.js'
import { toAsset, toRelease } from './from-json.js'
import { buildOctokit, type Octokit } from './octokit.js'
import { RateLimitGate } from './rate-limit.js'
import { releaseAttestations, tagObjects } from './release-attestations.js'
import type { Asset, Release, ReleaseReads, Visibility } from './types.js'
import type { WritePacer } from './write-pacer.js'

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

export class GitHubReleaseReader implements ReleaseReads {
  protected readonly octokit: Octokit
  protected readonly repo: { owner: string; repo: string }

  constructor(
    protected readonly options: GitHubOptions,
    protected readonly gate = new RateLimitGate(),
    pacer?: WritePacer,
  ) {
    this.repo = { owner: options.owner, repo: options.repo }
    this.octokit = buildOctokit(options.token, options.apiUrl, gate, pacer)
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

  async listReleases(): Promise<(Release & { createdAt: string })[]> {
    const releases = await this.octokit
      .paginate(this.octokit.rest.repos.listReleases, { ...this.repo, per_page: 100 })
      .catch((error) => failed(error, 'list the releases'))
    return releases.map((data) => ({ ...toRelease(data), createdAt: data.created_at }))
  }

  tagObjects(tag: string): Promise<{ sha: string; commit: string } | undefined> {
    return tagObjects(this.octokit, this.repo, tag)
  }

  releaseAttestations(digest: string): Promise<unknown[]> {
    return releaseAttestations(this.octokit, this.repo, digest)
  }
}
