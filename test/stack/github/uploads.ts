// The uploads host named by a release's upload_url.
import { createHash } from 'node:crypto'
import type http from 'node:http'
import { drain, StandInServer, sendJson } from '../http.js'
import { type Authorizer, NOT_ACCESSIBLE } from './api.js'
import type { RateLimits } from './limits.js'
import { assetJson, type GitHubState, githubAssetName, type Urls } from './state.js'

/** github.com's cap on a release's assets (drafts included), enforced since July 2025. */
export const MAX_ASSETS_PER_RELEASE = 1000

export class UploadsHost {
  readonly server: StandInServer

  constructor(
    private readonly state: GitHubState,
    private readonly urls: () => Urls,
    private readonly auth: Authorizer,
    private readonly limits: RateLimits,
  ) {
    this.server = new StandInServer('uploads', (req, res) => this.handle(req, res))
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://uploads')
    const match = /^\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)\/assets$/.exec(url.pathname)
    if (req.method !== 'POST' || !match) {
      await drain(req)
      return sendJson(res, 404, { message: 'Not Found' })
    }
    const access = this.auth(req)
    if (access === 'read') {
      await drain(req)
      return sendJson(res, 403, NOT_ACCESSIBLE)
    }
    if (access !== 'write') {
      await drain(req)
      return sendJson(res, 401, { message: 'Bad credentials' })
    }
    if (this.limits.core(res) || this.limits.content(res)) return void (await drain(req))
    const release = this.state.release(Number(match[3]))
    if (!release || release.owner !== match[1] || release.repo !== match[2]) {
      await drain(req)
      return sendJson(res, 404, { message: 'Not Found' })
    }
    if (req.headers['content-length'] === undefined) {
      await drain(req)
      return sendJson(res, 411, { message: 'Content-Length required' })
    }
    const name = url.searchParams.get('name')
    if (!name) {
      await drain(req)
      return sendJson(res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }],
      })
    }
    if (release.immutable) {
      await drain(req)
      return sendJson(res, 422, {
        message: 'Cannot upload assets to an immutable release.',
        documentation_url: 'https://docs.github.com/rest/releases/assets#upload-a-release-asset',
        status: '422',
      })
    }
    if (release.assets.length >= MAX_ASSETS_PER_RELEASE) {
      await drain(req)
      return sendJson(res, 422, {
        message: 'Validation Failed',
        request_id: 'F00D:5678',
        documentation_url: 'https://docs.github.com/rest/releases/assets#upload-a-release-asset',
        errors: [
          {
            resource: 'ReleaseAsset',
            code: 'custom',
            field: 'file_count',
            message: `file_count limited to ${MAX_ASSETS_PER_RELEASE} assets per release`,
          },
        ],
      })
    }
    const finalName = githubAssetName(name)
    // The name is taken from the moment an upload starts: an asset in state
    // 'starter' holds it while the bytes arrive, and stays behind if they never do.
    if (release.assets.some((a) => a.name === finalName)) {
      await drain(req)
      return sendJson(res, 422, {
        message: 'Validation Failed',
        request_id: 'F00D:1234',
        documentation_url: 'https://docs.github.com/rest/releases/assets#upload-a-release-asset',
        errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
      })
    }
    const asset = await this.state.addAsset(
      release,
      finalName,
      { kind: 'bytes', data: Buffer.alloc(0) },
      {
        label: url.searchParams.get('label'),
        contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
      },
    )
    asset.state = 'starter'
    const data = await drain(req)
    if (data.length !== Number(req.headers['content-length'])) {
      release.assets = release.assets.filter((a) => a !== asset)
      return sendJson(res, 400, { message: 'Body does not match Content-Length' })
    }
    asset.content = { kind: 'bytes', data }
    asset.size = data.length
    asset.digest = createHash('sha256').update(data).digest('hex')
    asset.state = 'uploaded'
    release.updatedAt = new Date().toISOString()
    sendJson(res, 201, assetJson(this.urls(), release, asset))
  }
}
