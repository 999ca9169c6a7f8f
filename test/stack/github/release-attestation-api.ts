// The endpoints a consumer reads GitHub's release attestation through: the
// tag's git ref and tag object, and the attestations found by a digest,
// GET /repos/{owner}/{repo}/attestations/{sha1:…|sha256:…}?predicate_type=release.
// GitHub answers each attestation with the bundle inline, or (now, mostly)
// behind `bundle_url` as snappy-compressed JSON on a storage host; a public
// repository's need no login. A digest nothing was attested under is a 404.
import type http from 'node:http'
import snappy from 'snappyjs'
import { sendJson } from '../http.js'
import type { GitHubState, Urls } from './state.js'
import type { StorageHost } from './storage.js'

const DOCS = 'https://docs.github.com/rest/repos/attestations#list-attestations'

export class ReleaseAttestationApi {
  /** How attestations come back: the bundle inline, or behind bundle_url. */
  delivery: 'inline' | 'url' = 'inline'

  constructor(
    private readonly state: GitHubState,
    private readonly storage: StorageHost,
    private readonly urls: () => Urls,
  ) {}

  /** GET /repos/{owner}/{repo}/git/ref/tags/{tag}: the tag's object, a tag object or a commit. */
  gitRef(
    res: http.ServerResponse,
    visible: boolean,
    owner: string,
    repo: string,
    ref: string,
  ): void {
    const tag = ref.startsWith('tags/') ? ref.slice('tags/'.length) : undefined
    const found = visible && tag ? this.state.tagObject(owner, repo, tag) : undefined
    if (!found) return notFound(res, 'https://docs.github.com/rest/git/refs#get-a-reference')
    const sha = found.tagObject ?? found.commit
    const type = found.tagObject ? 'tag' : 'commit'
    const api = `${this.urls().api}/repos/${owner}/${repo}`
    sendJson(res, 200, {
      ref: `refs/${ref}`,
      node_id: `REF_${sha.slice(0, 8)}`,
      url: `${api}/git/refs/${ref}`,
      object: { sha, type, url: `${api}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}` },
    })
  }

  /** GET /repos/{owner}/{repo}/git/tags/{sha}: an annotated tag's object, pointing at its commit. */
  gitTag(
    res: http.ServerResponse,
    visible: boolean,
    owner: string,
    repo: string,
    sha: string,
  ): void {
    const tag = visible
      ? this.state
          .releasesOf(owner, repo)
          .find((r) => this.state.tagObject(owner, repo, r.tagName)?.tagObject === sha)
      : undefined
    const found = tag && this.state.tagObject(owner, repo, tag.tagName)
    if (!tag || !found) return notFound(res, 'https://docs.github.com/rest/git/tags#get-a-tag')
    const api = `${this.urls().api}/repos/${owner}/${repo}`
    sendJson(res, 200, {
      sha,
      tag: tag.tagName,
      message: `Release ${tag.tagName}\n`,
      url: `${api}/git/tags/${sha}`,
      object: { sha: found.commit, type: 'commit', url: `${api}/git/commits/${found.commit}` },
    })
  }

  /** GET /repos/{owner}/{repo}/attestations/{digest}: what was attested under that digest. */
  byDigest(
    res: http.ServerResponse,
    url: URL,
    visible: boolean,
    owner: string,
    repo: string,
    digest: string,
  ): void {
    const type = url.searchParams.get('predicate_type')
    const key = `${owner}/${repo}`.toLowerCase()
    const found = visible
      ? this.state.releaseAttestations.filter(
          (a) =>
            `${a.owner}/${a.repo}`.toLowerCase() === key &&
            a.digests.includes(digest.toLowerCase()) &&
            (type === null || type === 'release'),
        )
      : []
    if (found.length === 0) return notFound(res, DOCS)
    const repositoryId = 900_000 + (this.state.repo(owner, repo) ? 1 : 0)
    sendJson(res, 200, {
      attestations: found.map((a, i) => {
        if (this.delivery === 'inline')
          return { bundle: a.bundle, repository_id: repositoryId, initiator: 'github' }
        const packed = Buffer.from(snappy.compress(Buffer.from(JSON.stringify(a.bundle))))
        const bundleUrl = this.storage.presign(
          { kind: 'bytes', data: packed },
          `attestation-${i}.json.sn`,
        )
        return {
          bundle: null,
          bundle_url: bundleUrl,
          repository_id: repositoryId,
          initiator: 'github',
        }
      }),
    })
  }
}

function notFound(res: http.ServerResponse, documentation: string): void {
  sendJson(res, 404, { message: 'Not Found', documentation_url: documentation, status: '404' })
}
