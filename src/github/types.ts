// The parts of GitHub's release and asset objects this action relies on.

export interface Asset {
  id: number
  name: string
  size: number
  /** `sha256:<hex>`; missing on assets uploaded before mid-2025. */
  digest: string | null
  /** API URL of the asset; with Accept: application/octet-stream it yields the bytes. */
  url: string
  state: string
  /** When the asset was uploaded (created_at; a rename does not change it). */
  createdAt?: string
  /** The Content-Type GitHub serves it with. */
  contentType?: string
  /**
   * browser_download_url, for an asset of a published release in a public
   * repository: fetched from the web host with no token, it costs no API request.
   */
  webUrl?: string
}

export interface Release {
  id: number
  tagName: string
  name: string | null
  draft: boolean
  prerelease: boolean
  immutable: boolean
  htmlUrl: string
  /** RFC 6570 template, e.g. https://uploads.github.com/repos/o/r/releases/1/assets{?name,label} */
  uploadUrl: string
}

/** The hex SHA-256 GitHub lists for an asset, if it lists one. */
export function listedSha256(asset: Asset): string | undefined {
  return asset.digest?.replace(/^sha256:/, '')
}

/** The narrow surface of GitHub's releases API that the phases use. */
/** Who can see a repository, as GitHub reports it. */
export type Visibility = 'public' | 'private' | 'internal'

/** What the consumer's check needs of GitHub: reads only. */
export interface ReleaseReads {
  /** The repository's visibility (GET /repos/{owner}/{repo}). */
  repositoryVisibility(): Promise<Visibility>
  getRelease(id: number): Promise<Release | undefined>
  /** Finds a release by tag, drafts included. */
  findReleaseByTag(tag: string): Promise<Release | undefined>
  listAssets(release: Release): Promise<Asset[]>
  /** Streams an asset's bytes; never buffers the whole asset. */
  downloadAsset(asset: Asset): Promise<AsyncIterable<Uint8Array>>
  /**
   * Streams GitHub's generated source archive of a tag; never buffers it.
   * GitHub builds it on request and does not promise the same bytes twice.
   */
  downloadSourceArchive(tag: string, format: 'tar.gz' | 'zip'): Promise<AsyncIterable<Uint8Array>>
  /** One asset as it is now; undefined when it is gone. */
  assetById(assetId: number): Promise<Asset | undefined>
  /** Every release of the repository, drafts included, with when each was created. */
  listReleases(): Promise<(Release & { createdAt: string })[]>
  /** The tag's git object (an annotated tag's object, or the commit) and its commit; undefined: no such tag. */
  tagObjects(tag: string): Promise<{ sha: string; commit: string } | undefined>
  /** The bundles of the release attestations GitHub itself made that a digest (`sha1:…`) finds. */
  releaseAttestations(digest: string): Promise<unknown[]>
}

/** The signer's reads and writes. */
export interface ReleaseApi extends ReleaseReads {
  /** Throws AssetExistsError when the release already has an asset of that name. */
  uploadAsset(release: Release, name: string, data: Buffer, contentType: string): Promise<Asset>
  /**
   * Uploads a local file, streamed from disk; never buffers it. Throws
   * AssetExistsError when the release already has an asset of that name.
   */
  uploadFile(
    release: Release,
    name: string,
    file: { path: string; size: number },
    contentType: string,
  ): Promise<Asset>
  /** Throws AssetExistsError when the release already has an asset of that name. */
  renameAsset(assetId: number, name: string): Promise<Asset>
  /** Succeeds when the asset is already gone. */
  deleteAsset(assetId: number): Promise<void>
  /** Succeeds when the release is already published. */
  publishRelease(releaseId: number): Promise<Release>
  /** A new draft release; a draft creates no tag. */
  createDraft(draft: { tag: string; name: string; body: string }): Promise<Release>
  /** Deletes a release and its assets; succeeds when it is already gone. */
  deleteRelease(releaseId: number): Promise<void>
  /**
   * Whether a workflow run of this repository has finished; undefined when
   * the token may not read workflow runs (it needs actions: read) or GitHub
   * does not say.
   */
  workflowRunFinished(runId: string): Promise<boolean | undefined>
  /**
   * Stores a Sigstore bundle with GitHub's attestations API, for `gh
   * attestation verify`; returns its id. Throws AttestationsRefused when the
   * token may not (no attestations: write) or the repository's plan has none.
   */
  storeAttestation(bundle: unknown): Promise<number>
}

/** GitHub will not store attestations for this token or repository (HTTP 403 or 404). */
export class AttestationsRefused extends Error {
  override name = 'AttestationsRefused'
}

/** The release already has an asset of this name (GitHub's 422 already_exists). */
export class AssetExistsError extends Error {
  override name = 'AssetExistsError'
  constructor(
    readonly assetName: string,
    options?: ErrorOptions,
  ) {
    super(`the release already has an asset named ${assetName}`, options)
  }
}

/** github.com's cap on a release's assets, drafts included. */
export const MAX_RELEASE_ASSETS = 1000

/**
 * The release is at GitHub's cap of 1,000 assets (422 with field
 * file_count): an upload cannot land until an asset is deleted.
 */
export class ReleaseFullError extends Error {
  override name = 'ReleaseFullError'
  constructor(
    readonly assetName: string,
    options?: ErrorOptions,
  ) {
    super(
      `GitHub refused ${assetName}: the release is at GitHub's cap of ${MAX_RELEASE_ASSETS} assets`,
      options,
    )
  }
}
