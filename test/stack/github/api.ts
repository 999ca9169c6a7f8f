// The REST API host: releases, assets and source archives, with GitHub's
// pagination, visibility rules for drafts, and immutable-release refusals.
import type http from 'node:http'
import { gzipSync } from 'node:zlib'
import { drain, readJson, StandInServer, sendJson } from '../http.js'
import type { RateLimits } from './limits.js'
import type { ReleaseAttestationApi } from './release-attestation-api.js'
import {
  type AssetRecord,
  assetJson,
  type GitHubState,
  githubAssetName,
  type ReleaseRecord,
  releaseJson,
  type Urls,
} from './state.js'
import type { StorageHost } from './storage.js'

/** What a request's token may do: push access sees drafts and may write; read access may only read. */
export type Access = 'anonymous' | 'read' | 'write' | 'invalid'
export type Authorizer = (req: http.IncomingMessage) => Access

export const NOT_ACCESSIBLE = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest/releases/assets#upload-a-release-asset',
  status: '403',
}

type Route = {
  method: string
  pattern: RegExp
  run: (ctx: Ctx, ...params: string[]) => Promise<void> | void
}

interface Ctx {
  req: http.IncomingMessage
  res: http.ServerResponse
  url: URL
  /** The token has push access: it sees drafts and may write. */
  authed: boolean
  access: Access
}

const IMMUTABLE_REFUSAL = {
  message: 'Cannot modify an immutable release.',
  documentation_url: 'https://docs.github.com/rest/releases/releases',
  status: '422',
}

export class ApiHost {
  readonly server: StandInServer
  private readonly routes: Route[]

  constructor(
    private readonly state: GitHubState,
    private readonly storage: StorageHost,
    private readonly urls: () => Urls,
    private readonly auth: Authorizer,
    private readonly limits: RateLimits,
    /** The release attestation endpoints, and what GitHub does when a release is published. */
    readonly releaseAttestations: ReleaseAttestationApi,
    private readonly published: (release: ReleaseRecord) => Promise<void>,
  ) {
    this.server = new StandInServer('api', (req, res) => this.handle(req, res))
    const repo = '/repos/([^/]+)/([^/]+)'
    this.routes = [
      {
        method: 'GET',
        pattern: re(repo),
        run: (c, o, r) => this.repository(c, o, r),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/releases`),
        run: (c, o, r) => this.listReleases(c, o, r),
      },
      {
        method: 'POST',
        pattern: re(`${repo}/releases`),
        run: (c, o, r) => this.createRelease(c, o, r),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/releases/tags/(.+)`),
        run: (c, o, r, t) => this.releaseByTag(c, o, r, t),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/releases/assets/(\\d+)`),
        run: (c, o, r, id) => this.getAsset(c, o, r, id),
      },
      {
        method: 'DELETE',
        pattern: re(`${repo}/releases/assets/(\\d+)`),
        run: (c, o, r, id) => this.deleteAsset(c, o, r, id),
      },
      {
        method: 'PATCH',
        pattern: re(`${repo}/releases/assets/(\\d+)`),
        run: (c, o, r, id) => this.updateAsset(c, o, r, id),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/releases/(\\d+)/assets`),
        run: (c, o, r, id) => this.listAssets(c, o, r, id),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/releases/(\\d+)`),
        run: (c, o, r, id) => this.getRelease(c, o, r, id),
      },
      {
        method: 'DELETE',
        pattern: re(`${repo}/releases/(\\d+)`),
        run: (c, o, r, id) => this.deleteRelease(c, o, r, id),
      },
      {
        method: 'PATCH',
        pattern: re(`${repo}/releases/(\\d+)`),
        run: (c, o, r, id) => this.updateRelease(c, o, r, id),
      },
      {
        method: 'POST',
        pattern: re(`${repo}/attestations`),
        run: (c, o, r) => this.createAttestation(c, o, r),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/attestations/([^/]+)`),
        run: (c, o, r, d) =>
          this.releaseAttestations.byDigest(c.res, c.url, this.readable(c, o, r), o, r, d),
      },
      {
        method: 'GET',
        // Octokit sends the ref's slash encoded (tags%2Fv1.0.0); GitHub reads it either way.
        pattern: re(`${repo}/git/ref/(.+)`),
        run: (c, o, r, ref) =>
          this.releaseAttestations.gitRef(c.res, this.readable(c, o, r), o, r, ref),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/git/tags/([0-9a-f]{40})`),
        run: (c, o, r, sha) =>
          this.releaseAttestations.gitTag(c.res, this.readable(c, o, r), o, r, sha),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/actions/runs/(\\d+)`),
        run: (c, o, r, id) => this.workflowRun(c, o, r, id),
      },
      {
        method: 'GET',
        pattern: re(`${repo}/(tarball|zipball)/(.+)`),
        run: (c, o, r, kind, ref) => this.archive(c, o, r, kind, ref),
      },
    ]
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://api')
    const access = this.auth(req)
    const authed = access === 'write'
    if (access === 'invalid') {
      await drain(req)
      return sendJson(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      })
    }
    if (this.limits.core(res)) return void (await drain(req))
    res.setHeader('x-github-api-version-selected', '2022-11-28')
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname)
      if (match && route.method === req.method) {
        const params = match.slice(1).map((p) => decodeURIComponent(p))
        if (route.method !== 'GET' && access === 'read') {
          await drain(req)
          return sendJson(res, 403, NOT_ACCESSIBLE)
        }
        // Every write counts against the secondary limit on content creation.
        if (route.method !== 'GET' && access === 'write' && this.limits.content(res))
          return void (await drain(req))
        return route.run({ req, res, url, authed, access }, ...params)
      }
    }
    await drain(req)
    sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })
  }

  private notFound(ctx: Ctx): void {
    sendJson(ctx.res, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
    })
  }

  /** Whether the caller may read the repository: anyone, for a public one. */
  private readable(ctx: Ctx, owner: string, repo: string): boolean {
    const record = this.state.repo(owner, repo)
    return (
      record !== undefined && (!record.private || ctx.access === 'write' || ctx.access === 'read')
    )
  }

  /** Drafts are visible only to callers with push access. */
  private visible(ctx: Ctx, owner: string, repo: string, id: string): ReleaseRecord | undefined {
    const release = this.state.release(Number(id))
    if (!release || !sameRepo(release, owner, repo)) return undefined
    if (release.draft && !ctx.authed) return undefined
    return release
  }

  /** GET /repos/{owner}/{repo}: the fields a client reads its visibility from. */
  private repository(ctx: Ctx, owner: string, repo: string): void {
    const record = this.state.repo(owner, repo)
    if (!record || (record.private && !ctx.authed)) return this.notFound(ctx)
    sendJson(ctx.res, 200, {
      name: record.repo,
      full_name: `${record.owner}/${record.repo}`,
      owner: { login: record.owner },
      private: record.private,
      visibility: record.internal ? 'internal' : record.private ? 'private' : 'public',
    })
  }

  /**
   * POST /repos/{owner}/{repo}/attestations: stores a Sigstore bundle for
   * `gh attestation verify`. A job without attestations: write gets 403, and
   * a body without a bundle 422, as GitHub answers.
   */
  private async createAttestation(ctx: Ctx, owner: string, repo: string): Promise<void> {
    const input = await readJson<{ bundle?: { mediaType?: unknown } }>(ctx.req)
    if (!ctx.authed || !this.state.repo(owner, repo)) return this.notFound(ctx)
    if (!this.state.attestationsWritable) {
      return sendJson(ctx.res, 403, {
        ...NOT_ACCESSIBLE,
        documentation_url: 'https://docs.github.com/rest/repos/attestations#create-an-attestation',
      })
    }
    if (typeof input.bundle?.mediaType !== 'string') {
      return sendJson(ctx.res, 422, {
        message: 'Invalid request: bundle must be a Sigstore bundle with a mediaType.',
        documentation_url: 'https://docs.github.com/rest/repos/attestations#create-an-attestation',
        status: '422',
      })
    }
    const id = this.state.attestations.length + 1
    this.state.attestations.push({ id, owner, repo, bundle: input.bundle })
    sendJson(ctx.res, 201, { id })
  }

  /** GET /repos/{owner}/{repo}/actions/runs/{run_id}: the run's status, as far as this stand-in needs it. */
  private workflowRun(ctx: Ctx, owner: string, repo: string, id: string): void {
    if (!this.state.repo(owner, repo)) return this.notFound(ctx)
    // A token without actions: read is refused; anyone may read a public repository's runs.
    if (!this.state.workflowRunsReadable && ctx.access !== 'anonymous') {
      return sendJson(ctx.res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run',
        status: '403',
      })
    }
    const status = this.state.workflowRuns.get(id)
    if (!status) return this.notFound(ctx)
    sendJson(ctx.res, 200, {
      id: Number(id),
      status,
      conclusion: status === 'completed' ? 'failure' : null,
      run_attempt: 1,
      html_url: `${this.urls().server}/${owner}/${repo}/actions/runs/${id}`,
    })
  }

  private listReleases(ctx: Ctx, owner: string, repo: string): void {
    if (!this.state.repo(owner, repo)) return this.notFound(ctx)
    const all = this.state.releasesOf(owner, repo).filter((r) => ctx.authed || !r.draft)
    this.paginate(
      ctx,
      all.map((r) => releaseJson(this.urls(), r)),
    )
  }

  private listAssets(ctx: Ctx, owner: string, repo: string, id: string): void {
    const release = this.visible(ctx, owner, repo, id)
    if (!release) return this.notFound(ctx)
    this.paginate(
      ctx,
      release.assets.map((a) => assetJson(this.urls(), release, a)),
    )
  }

  private paginate(ctx: Ctx, items: unknown[]): void {
    const perPage = Math.min(
      Math.max(Number(ctx.url.searchParams.get('per_page') ?? 30) || 30, 1),
      100,
    )
    const page = Math.max(Number(ctx.url.searchParams.get('page') ?? 1) || 1, 1)
    const last = Math.max(Math.ceil(items.length / perPage), 1)
    const link = (p: number) => {
      const u = new URL(ctx.url.pathname, this.urls().api)
      u.searchParams.set('per_page', String(perPage))
      u.searchParams.set('page', String(p))
      return u.toString()
    }
    const links: string[] = []
    if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`, `<${link(1)}>; rel="first"`)
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`)
    const headers: Record<string, string> = links.length ? { link: links.join(', ') } : {}
    sendJson(ctx.res, 200, items.slice((page - 1) * perPage, page * perPage), headers)
  }

  private releaseByTag(ctx: Ctx, owner: string, repo: string, tag: string): void {
    // Published releases only: drafts have no tag until they are published.
    const release = this.state.releasesOf(owner, repo).find((r) => !r.draft && r.tagName === tag)
    if (!release) return this.notFound(ctx)
    sendJson(ctx.res, 200, releaseJson(this.urls(), release))
  }

  private getRelease(ctx: Ctx, owner: string, repo: string, id: string): void {
    const release = this.visible(ctx, owner, repo, id)
    if (!release) return this.notFound(ctx)
    sendJson(ctx.res, 200, releaseJson(this.urls(), release))
  }

  private async createRelease(ctx: Ctx, owner: string, repo: string): Promise<void> {
    const input = await readJson<{ tag_name?: string; draft?: boolean }>(ctx.req)
    if (!ctx.authed || !this.state.repo(owner, repo)) return this.notFound(ctx)
    if (!input.tag_name) {
      return sendJson(ctx.res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Release', code: 'missing_field', field: 'tag_name' }],
      })
    }
    const release = this.state.createRelease(owner, repo, { ...input, tag_name: input.tag_name })
    if (!release.draft) await this.published(release)
    sendJson(ctx.res, 201, releaseJson(this.urls(), release))
  }

  /** DELETE a release: its assets go with it; its tag, if it has one, stays (as on GitHub). */
  private deleteRelease(ctx: Ctx, owner: string, repo: string, id: string): void {
    const release = ctx.authed ? this.visible(ctx, owner, repo, id) : undefined
    if (!release) return this.notFound(ctx)
    this.state.deleteRelease(release)
    ctx.res.writeHead(204)
    ctx.res.end()
  }

  private async updateRelease(ctx: Ctx, owner: string, repo: string, id: string): Promise<void> {
    const input = await readJson<Partial<Record<string, unknown>>>(ctx.req)
    const release = ctx.authed ? this.visible(ctx, owner, repo, id) : undefined
    if (!release) return this.notFound(ctx)
    if (release.immutable) {
      const onlyText = Object.keys(input).every((k) => k === 'name' || k === 'body')
      if (!onlyText) return sendJson(ctx.res, 422, IMMUTABLE_REFUSAL)
    }
    if (typeof input.tag_name === 'string') release.tagName = input.tag_name
    if (typeof input.target_commitish === 'string') release.targetCommitish = input.target_commitish
    if (typeof input.name === 'string' || input.name === null) release.name = input.name
    if (typeof input.body === 'string' || input.body === null) release.body = input.body
    if (typeof input.prerelease === 'boolean') release.prerelease = input.prerelease
    if (input.draft === false && release.draft) {
      this.state.publish(release)
      await this.published(release)
    }
    if (input.draft === true && !release.draft) {
      release.draft = true
      release.publishedAt = null
    }
    release.updatedAt = new Date().toISOString()
    sendJson(ctx.res, 200, releaseJson(this.urls(), release))
  }

  private getAsset(ctx: Ctx, owner: string, repo: string, id: string): void {
    const found = this.state.asset(Number(id))
    if (!found || !sameRepo(found.release, owner, repo) || (found.release.draft && !ctx.authed)) {
      return this.notFound(ctx)
    }
    if (ctx.req.headers.accept?.includes('application/octet-stream')) {
      return this.redirectToStorage(ctx, found.asset)
    }
    sendJson(ctx.res, 200, assetJson(this.urls(), found.release, found.asset))
  }

  private redirectToStorage(ctx: Ctx, asset: AssetRecord): void {
    ctx.res.writeHead(302, {
      location: this.storage.presign(asset.content, asset.name),
      'content-length': 0,
    })
    ctx.res.end()
  }

  private deleteAsset(ctx: Ctx, owner: string, repo: string, id: string): void {
    const found = ctx.authed ? this.state.asset(Number(id)) : undefined
    if (!found || !sameRepo(found.release, owner, repo)) return this.notFound(ctx)
    if (found.release.immutable) return sendJson(ctx.res, 422, IMMUTABLE_REFUSAL)
    found.release.assets = found.release.assets.filter((a) => a.id !== found.asset.id)
    ctx.res.writeHead(204)
    ctx.res.end()
  }

  /** Renames an asset (or sets its label), with the same renaming rules as an upload. */
  private async updateAsset(ctx: Ctx, owner: string, repo: string, id: string): Promise<void> {
    const input = await readJson<{ name?: string; label?: string }>(ctx.req)
    const found = ctx.authed ? this.state.asset(Number(id)) : undefined
    if (!found || !sameRepo(found.release, owner, repo)) return this.notFound(ctx)
    if (found.release.immutable) return sendJson(ctx.res, 422, IMMUTABLE_REFUSAL)
    if (typeof input.name === 'string') {
      const name = githubAssetName(input.name)
      if (found.release.assets.some((a) => a.name === name && a.id !== found.asset.id)) {
        return sendJson(ctx.res, 422, {
          message: 'Validation Failed',
          documentation_url: 'https://docs.github.com/rest/releases/assets#update-a-release-asset',
          errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
        })
      }
      found.asset.name = name
    }
    if (typeof input.label === 'string') found.asset.label = input.label
    found.asset.updatedAt = new Date().toISOString()
    sendJson(ctx.res, 200, assetJson(this.urls(), found.release, found.asset))
  }

  /**
   * GitHub's generated source archives: 302 to the archive host (codeload),
   * built on request. Only tags that exist have archives; a draft's tag is
   * made when it is published. With `unstableArchives`, every request gets
   * different bytes, as GitHub does not promise the same bytes twice.
   */
  private archive(ctx: Ctx, owner: string, repo: string, kind: string, ref: string): void {
    if (!this.state.repo(owner, repo)) return this.notFound(ctx)
    const tag = ref.replace(/^refs\/tags\//, '')
    if (!this.state.hasTag(owner, repo, tag)) return this.notFound(ctx)
    const ext = kind === 'tarball' ? 'tar.gz' : 'zip'
    const variant = this.state.unstableArchives ? `#${this.archivesServed++}` : ''
    const content = {
      kind: 'bytes' as const,
      data: archiveBytes(ext, `${owner}/${repo}@${tag}${variant}`),
    }
    const name = `${repo}-${tag.replaceAll('/', '-')}.${ext}`
    ctx.res.writeHead(302, {
      location: this.storage.presign(content, name, { chunked: true }),
      'content-length': 0,
    })
    ctx.res.end()
  }
  private archivesServed = 0
}

/**
 * Bytes that start as GitHub's archives do, with content derived from the
 * seed: a real gzip stream for .tar.gz, and 4 KiB after a zip's local-file
 * signature for .zip.
 */
function archiveBytes(ext: string, seed: string): Buffer {
  const text = Buffer.alloc(16 * 1024, `${seed}\n`)
  if (ext === 'tar.gz') return gzipSync(text)
  return Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), text]).subarray(0, 4096)
}

function re(path: string): RegExp {
  return new RegExp(`^${path}/?$`)
}

function sameRepo(release: ReleaseRecord, owner: string, repo: string): boolean {
  return `${release.owner}/${release.repo}`.toLowerCase() === `${owner}/${repo}`.toLowerCase()
}
