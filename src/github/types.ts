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
export interface ReleaseApi {
  getRelease(id: number): Promise<Release | undefined>
  /** Finds a release by tag, drafts included. */
  findReleaseByTag(tag: string): Promise<Release | undefined>
  listAssets(releaseId: number): Promise<Asset[]>
  /** Streams an asset's bytes; never buffers the whole asset. */
  downloadAsset(asset: Asset): Promise<AsyncIterable<Uint8Array>>
  uploadAsset(release: Release, name: string, data: Buffer, contentType: string): Promise<Asset>
  deleteAsset(assetId: number): Promise<void>
  publishRelease(releaseId: number): Promise<Release>
}
