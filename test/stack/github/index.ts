// The GitHub emulator: REST API host, uploads host and storage host.
import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import { type Access, ApiHost } from './api.js'
import { RateLimits } from './limits.js'
import { ReleaseAttestationApi } from './release-attestation-api.js'
import { GitHubReleaseAttestor } from './release-attestor.js'
import { GitHubState, type ReleaseRecord, type Urls } from './state.js'
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
  /** GitHub's own Sigstore instance, which signs immutable releases' attestations. */
  private attestor?: GitHubReleaseAttestor

  constructor() {
    const auth = (req: http.IncomingMessage): Access => {
      const token = /^(?:token|Bearer) (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      if (token === undefined) return req.headers.authorization ? 'invalid' : 'anonymous'
      if (token === this.token) return 'write'
      return token === this.readOnlyToken ? 'read' : 'invalid'
    }
    this.api = new ApiHost(
      this.state,
      this.storage,
      () => this.urls,
      auth,
      this.limits,
      new ReleaseAttestationApi(this.state, this.storage, () => this.urls),
      // As GitHub does: publishing a release that is immutable attests it.
      (release) => (release.immutable ? this.attestRelease(release) : Promise.resolve()),
    )
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

  /** GitHub's own Sigstore instance (its CA, its TSA, its trusted root). */
  get releaseAttestor(): GitHubReleaseAttestor {
    if (!this.attestor) throw new Error('the GitHub emulator is not started')
    return this.attestor
  }

  /**
   * GitHub's release attestation of the release as it is now, found by the
   * tag's git object and by each asset's digest; what publishing an
   * immutable release does (a test may call it for a release it seeded).
   */
  async attestRelease(release: ReleaseRecord): Promise<void> {
    const tag = this.state.tagObject(release.owner, release.repo, release.tagName)
    if (!tag) throw new Error(`${release.tagName} has no tag yet`)
    const tagSha = tag.tagObject ?? tag.commit
    const bundle = await this.releaseAttestor.attest(release, {
      tagSha,
      repositoryId: 900_001,
      ownerId: 41_000,
    })
    const digests = [
      `sha1:${tagSha}`,
      ...release.assets.filter((a) => a.digest).map((a) => `sha256:${a.digest}`),
    ]
    this.state.releaseAttestations.push({
      owner: release.owner,
      repo: release.repo,
      digests,
      bundle,
    })
  }

  async start(): Promise<this> {
    this.attestor = await GitHubReleaseAttestor.create()
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
