// The GitHub emulator: REST API host, uploads host and storage host.
import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import { type Access, ApiHost } from './api.js'
import { RateLimits } from './limits.js'
import { GitHubState, type Urls } from './state.js'
import { StorageHost } from './storage.js'
import { UploadsHost } from './uploads.js'
import { WebHost } from './web.js'

export class GitHubEmulator {
  readonly state = new GitHubState()
  /** The token a workflow's GITHUB_TOKEN would hold; it has push access. */
  readonly token = `ghs_${randomBytes(18).toString('base64url')}`
  /** A token of a job with only 'contents: read'. */
  readonly readOnlyToken = `ghs_${randomBytes(18).toString('base64url')}`
  readonly storage = new StorageHost()
  /** The token's rate limits; tests scale them down. */
  readonly limits = new RateLimits()
  readonly api: ApiHost
  readonly uploads: UploadsHost
  readonly web: WebHost
  serverUrl = 'https://github.com'

  constructor() {
    const auth = (req: http.IncomingMessage): Access => {
      const token = /^(?:token|Bearer) (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      if (token === undefined) return req.headers.authorization ? 'invalid' : 'anonymous'
      if (token === this.token) return 'write'
      return token === this.readOnlyToken ? 'read' : 'invalid'
    }
    this.api = new ApiHost(this.state, this.storage, () => this.urls, auth, this.limits)
    this.uploads = new UploadsHost(this.state, () => this.urls, auth, this.limits)
    this.web = new WebHost(this.state, this.storage)
  }

  get urls(): Urls {
    return {
      api: this.api.server.url,
      uploads: this.uploads.server.url,
      server: this.serverUrl,
      web: this.web.server.url,
    }
  }

  async start(): Promise<this> {
    await Promise.all([
      this.api.server.start(),
      this.uploads.server.start(),
      this.storage.server.start(),
      this.web.server.start(),
    ])
    return this
  }

  async stop(): Promise<void> {
    await Promise.all([
      this.api.server.stop(),
      this.uploads.server.stop(),
      this.storage.server.stop(),
      this.web.server.stop(),
    ])
  }
}
