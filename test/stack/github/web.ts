// GitHub's web host, for the one path the action uses there:
// /{owner}/{repo}/releases/download/{tag}/{name} (an asset's
// browser_download_url). It costs no API request. For a published release of
// a public repository it answers 302 to the storage host, with no token
// needed; drafts and private repositories answer 404 to anyone without a
// browser session, which is to say to every workflow.
import type http from 'node:http'
import { StandInServer } from '../http.js'
import type { GitHubState } from './state.js'
import type { StorageHost } from './storage.js'

export class WebHost {
  readonly server: StandInServer

  constructor(
    private readonly state: GitHubState,
    private readonly storage: StorageHost,
  ) {
    this.server = new StandInServer('web', (req, res) => this.handle(req, res))
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://web').pathname
    const match = /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/([^/]+)$/.exec(path)
    const [owner = '', repo = '', tag = '', name = ''] = (match?.slice(1) ?? []).map((p) =>
      decodeURIComponent(p),
    )
    const release = match
      ? this.state.releasesOf(owner, repo).find((r) => !r.draft && r.tagName === tag)
      : undefined
    const asset = release?.assets.find((a) => a.name === name)
    if (req.method !== 'GET' || !asset || this.state.repo(owner, repo)?.private) {
      res.writeHead(404, { 'content-type': 'text/plain', 'content-length': 9 })
      res.end('Not Found')
      return
    }
    res.writeHead(302, {
      location: this.storage.presign(asset.content, asset.name),
      'content-length': 0,
    })
    res.end()
  }
}
