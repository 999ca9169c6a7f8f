// What the release already holds under the checksums manifest's name, read
// before anything is signed: this action's own manifest, or a user's file
// that the run refuses to touch.
import { UserError } from '../../errors.js'
import { readSmallAsset } from '../../github/small-asset.js'
import type { Asset, ReleaseApi } from '../../github/types.js'
import type { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import type { BundleSuffix } from '../setup/inputs.js'

const MAX_MANIFEST_BYTES = 16 << 20

/** What the release already holds under the manifest's name, as the plan found it. */
export interface ManifestOnRelease {
  asset?: Asset
  /** Its bundle verifies and names this workflow: this action wrote it, so it may be replaced. */
  ours: boolean
}

/**
 * Checked before anything is signed: an asset under the manifest's name that
 * is not a checksums file this action could have written is a user's file,
 * and the run refuses to touch it.
 */
export async function findManifest(
  api: ReleaseApi,
  listed: Asset[],
  verifier: BundleVerifier,
  name: string,
  suffix: BundleSuffix,
): Promise<ManifestOnRelease> {
  const asset = listed.find((a) => a.name === name)
  if (!asset) return { ours: false }
  const bundle = listed.find((a) => a.name === `${name}${suffix}`)
  if (bundle) {
    try {
      const json = JSON.parse((await readSmallAsset(api, bundle)).toString('utf8'))
      // Whether this workflow signed that name, whatever bytes it signed then.
      const signed = Buffer.from(json?.messageSignature?.messageDigest?.digest ?? '', 'base64')
      if (!verifier.inspect(json, signed).foreign) return { asset, ours: true }
    } catch {
      // Not a bundle of ours; decided by the content below.
    }
  }
  if (
    asset.size > MAX_MANIFEST_BYTES ||
    !isManifest((await readSmallAsset(api, asset, MAX_MANIFEST_BYTES)).toString('utf8'))
  ) {
    throw new UserError(
      `Input 'checksums': the release already has an asset named ${name} that is not a checksums file this action wrote. ` +
        'It is left as it is, and nothing was signed. Choose another name for checksums, or delete that asset.',
    )
  }
  return { asset, ours: false }
}

function isManifest(text: string): boolean {
  return text.split('\n').every((line) => line === '' || /^[0-9a-f]{64} [ *]\S.*$/.test(line))
}
