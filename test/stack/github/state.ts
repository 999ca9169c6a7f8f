// The emulator's model of repositories, releases and assets, and the JSON
// shapes GitHub gives them (checked against GitHub's OpenAPI description).
import { createHash } from 'node:crypto'
import type { Content } from './content.js'
import { contentDigest, contentSize } from './content.js'

export interface AssetRecord {
  id: number
  name: string
  label: string | null
  contentType: string
  content: Content
  size: number
  /** Hex SHA-256; null for assets uploaded before GitHub listed digests. */
  digest: string | null
  state: 'uploaded' | 'open' | 'starter'
  createdAt: string
  updatedAt: string
}

export interface ReleaseRecord {
  id: number
  owner: string
  repo: string
  tagName: string
  targetCommitish: string
  name: string | null
  body: string | null
  draft: boolean
  prerelease: boolean
  immutable: boolean
  createdAt: string
  publishedAt: string | null
  updatedAt: string
  assets: AssetRecord[]
}

export interface RepoRecord {
  owner: string
  repo: string
  /** Repository setting: releases become immutable when published. */
  immutableReleases: boolean
  private: boolean
  /** An organization's internal repository: private to outsiders, as GitHub reports it. */
  internal: boolean
}

export interface Urls {
  api: string
  uploads: string
  server: string
  /** The web host that serves browser_download_url (github.com itself, in production). */
  web: string
}

let nextId = 1000

export class GitHubState {
  readonly repos = new Map<string, RepoRecord>()
  readonly releases: ReleaseRecord[] = []
  /** Tags per repository (lower-case owner/repo). A published release's tag exists. */
  private readonly tags = new Map<string, Set<string>>()
  /** Generated source archives differ on every request (GitHub promises contents, not bytes). */
  unstableArchives = false
  /** Workflow runs by id (the test runner registers each run of the action), and their status. */
  readonly workflowRuns = new Map<string, 'in_progress' | 'completed'>()
  /** Attestations stored through POST /repos/{owner}/{repo}/attestations, with their ids. */
  readonly attestations: { id: number; owner: string; repo: string; bundle: unknown }[] = []
  /** Whether the job token may store attestations (a workflow with attestations: write). */
  attestationsWritable = true
  /**
   * Whether the job token may read workflow runs (a workflow's permissions
   * that leave out actions: read): when false, GitHub answers 403.
   */
  workflowRunsReadable = true

  /** Release attestations GitHub made on publishing, with the digests they are found by. */
  readonly releaseAttestations: {
    owner: string
    repo: string
    digests: string[]
    bundle: unknown
  }[] = []
  /** Tags made annotated: their tag object's sha (the commit stays that of the tag name). */
  private readonly annotated = new Set<string>()

  /**
   * A tag's git objects: its commit, and for an annotated tag the tag
   * object; undefined while the tag does not exist (a draft's).
   */
  tagObject(
    owner: string,
    repo: string,
    tag: string,
  ): { commit: string; tagObject?: string } | undefined {
    if (!this.hasTag(owner, repo, tag)) return undefined
    const key = `${owner}/${repo}@${tag}`.toLowerCase()
    const commit = createHash('sha1').update(`commit ${key}`).digest('hex')
    if (!this.annotated.has(key)) return { commit }
    return { commit, tagObject: createHash('sha1').update(`tag ${key}`).digest('hex') }
  }

  /** Makes the tag annotated, as `git tag -a` does: a tag object that points at the commit. */
  annotate(owner: string, repo: string, tag: string): void {
    this.annotated.add(`${owner}/${repo}@${tag}`.toLowerCase())
  }

  addTag(owner: string, repo: string, tag: string): void {
    const key = `${owner}/${repo}`.toLowerCase()
    this.tags.set(key, new Set([...(this.tags.get(key) ?? []), tag]))
  }

  hasTag(owner: string, repo: string, tag: string): boolean {
    return this.tags.get(`${owner}/${repo}`.toLowerCase())?.has(tag) ?? false
  }

  repo(owner: string, repo: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${repo}`.toLowerCase())
  }

  addRepo(
    owner: string,
    repo: string,
    opts: { immutableReleases?: boolean; private?: boolean; internal?: boolean } = {},
  ): RepoRecord {
    const record = {
      owner,
      repo,
      immutableReleases: opts.immutableReleases ?? false,
      private: (opts.private ?? false) || (opts.internal ?? false),
      internal: opts.internal ?? false,
    }
    this.repos.set(`${owner}/${repo}`.toLowerCase(), record)
    return record
  }

  releasesOf(owner: string, repo: string): ReleaseRecord[] {
    const key = `${owner}/${repo}`.toLowerCase()
    return this.releases
      .filter((r) => `${r.owner}/${r.repo}`.toLowerCase() === key)
      .sort((a, b) => b.id - a.id)
  }

  release(id: number): ReleaseRecord | undefined {
    return this.releases.find((r) => r.id === id)
  }

  asset(id: number): { release: ReleaseRecord; asset: AssetRecord } | undefined {
    for (const release of this.releases) {
      const asset = release.assets.find((a) => a.id === id)
      if (asset) return { release, asset }
    }
    return undefined
  }

  createRelease(
    owner: string,
    repo: string,
    input: {
      tag_name: string
      target_commitish?: string
      name?: string | null
      body?: string | null
      draft?: boolean
      prerelease?: boolean
    },
  ): ReleaseRecord {
    const now = new Date().toISOString()
    const draft = input.draft ?? false
    const release: ReleaseRecord = {
      id: nextId++,
      owner,
      repo,
      tagName: input.tag_name,
      targetCommitish: input.target_commitish ?? 'main',
      name: input.name ?? null,
      body: input.body ?? null,
      draft,
      prerelease: input.prerelease ?? false,
      immutable: !draft && (this.repo(owner, repo)?.immutableReleases ?? false),
      createdAt: now,
      publishedAt: draft ? null : now,
      updatedAt: now,
      assets: [],
    }
    this.releases.push(release)
    if (!draft) this.addTag(owner, repo, release.tagName)
    return release
  }

  deleteRelease(release: ReleaseRecord): void {
    const index = this.releases.indexOf(release)
    if (index >= 0) this.releases.splice(index, 1)
  }

  publish(release: ReleaseRecord): void {
    if (!release.draft) return
    release.draft = false
    this.addTag(release.owner, release.repo, release.tagName)
    release.publishedAt = new Date().toISOString()
    release.immutable = this.repo(release.owner, release.repo)?.immutableReleases ?? false
  }

  async addAsset(
    release: ReleaseRecord,
    name: string,
    content: Content,
    /** digest: null models an asset uploaded before GitHub listed digests. */
    opts: { label?: string | null; contentType?: string; digest?: string | null } = {},
  ): Promise<AssetRecord> {
    const now = new Date().toISOString()
    const asset: AssetRecord = {
      id: nextId++,
      name: githubAssetName(name),
      label: opts.label ?? null,
      contentType: opts.contentType ?? 'application/octet-stream',
      content,
      size: contentSize(content),
      digest: opts.digest === undefined ? await contentDigest(content) : opts.digest,
      state: 'uploaded',
      createdAt: now,
      updatedAt: now,
    }
    release.assets.push(asset)
    return asset
  }
}

/**
 * GitHub renames uploaded assets: characters outside letters, digits and
 * `._-+` become periods, runs of periods collapse, and leading or trailing
 * periods are dropped ("my file (1).zip" becomes "my.file.1.zip").
 */
export function githubAssetName(name: string): string {
  return name
    .replace(/[^A-Za-z0-9._+-]+/g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+|\.+$/g, '')
}

export function simpleUser(urls: Urls, login = 'release-bot') {
  const api = `${urls.api}/users/${login}`
  return {
    login,
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    gravatar_id: '',
    url: api,
    html_url: `${urls.server}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'Bot',
    site_admin: false,
  }
}

export function assetJson(urls: Urls, release: ReleaseRecord, asset: AssetRecord) {
  const repoPath = `${release.owner}/${release.repo}`
  return {
    url: `${urls.api}/repos/${repoPath}/releases/assets/${asset.id}`,
    id: asset.id,
    node_id: `RA_${asset.id}`,
    name: asset.name,
    label: asset.label,
    uploader: simpleUser(urls),
    content_type: asset.contentType,
    state: asset.state,
    size: asset.size,
    digest: asset.digest === null ? null : `sha256:${asset.digest}`,
    download_count: 0,
    created_at: asset.createdAt,
    updated_at: asset.updatedAt,
    browser_download_url: `${urls.web}/${repoPath}/releases/download/${encodeURIComponent(
      release.tagName,
    )}/${encodeURIComponent(asset.name)}`,
  }
}

export function releaseJson(urls: Urls, release: ReleaseRecord) {
  const repoPath = `${release.owner}/${release.repo}`
  const api = `${urls.api}/repos/${repoPath}`
  const htmlTag = release.draft ? `untagged-${release.id}` : encodeURIComponent(release.tagName)
  return {
    url: `${api}/releases/${release.id}`,
    html_url: `${urls.server}/${repoPath}/releases/tag/${htmlTag}`,
    assets_url: `${api}/releases/${release.id}/assets`,
    upload_url: `${urls.uploads}/repos/${repoPath}/releases/${release.id}/assets{?name,label}`,
    tarball_url: release.draft ? null : `${api}/tarball/${encodeURIComponent(release.tagName)}`,
    zipball_url: release.draft ? null : `${api}/zipball/${encodeURIComponent(release.tagName)}`,
    id: release.id,
    node_id: `RE_${release.id}`,
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: release.immutable,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    updated_at: release.updatedAt,
    author: simpleUser(urls),
    assets: release.assets.map((a) => assetJson(urls, release, a)),
  }
}
