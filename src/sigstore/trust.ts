// The trusted root that bundles are verified against: a file the user gives,
// or Sigstore's TUF-distributed root for the chosen instance.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { type TrustMaterial, toTrustMaterial } from '@sigstore/verify'
import { InputError } from '../errors.js'
import type { SigstoreInputs } from '../inputs.js'

const STAGING_TUF_MIRROR = 'https://tuf-repo-cdn.sigstage.dev'

export async function loadTrustMaterial(
  sigstore: SigstoreInputs,
  cacheDir: string,
): Promise<TrustMaterial> {
  if (sigstore.trustedRootPath) {
    let json: unknown
    try {
      json = JSON.parse(await readFile(sigstore.trustedRootPath, 'utf8'))
    } catch (error) {
      throw new InputError(
        'trusted-root',
        `could not read ${sigstore.trustedRootPath} as JSON: ${String(error)}`,
      )
    }
    try {
      return toTrustMaterial(TrustedRoot.fromJSON(json))
    } catch (error) {
      throw new InputError(
        'trusted-root',
        `${sigstore.trustedRootPath} is not a Sigstore trusted root: ${String(error)}`,
      )
    }
  }
  // Loaded only when needed: a run given a trusted root never touches TUF.
  const { getTrustedRoot } = await import('@sigstore/tuf')
  const root = await getTrustedRoot({
    cachePath: path.join(cacheDir, 'tuf'),
    ...(sigstore.instance === 'staging' ? { mirrorURL: STAGING_TUF_MIRROR, forceInit: true } : {}),
  })
  return toTrustMaterial(root)
}
