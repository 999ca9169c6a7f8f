// The consumer's check of a whole release, shared by the CLI's
// verify-release and the verify action: every selected asset is streamed
// once, hashed as it arrives (never held in memory), and checked against the
// bundle beside it, for the identity the consumer expects.
import { isManagedName } from './bundle-names.js'
import { describeError } from './errors.js'
import { readSmallAsset } from './github/small-asset.js'
import type { Release, ReleaseApi } from './github/types.js'
import { hashAsset } from './phases/hash.js'
import type { BundleVerifier, IdentityPolicy } from './sigstore/verify.js'
import { matchesPatterns } from './util/patterns.js'
import { mapSettled } from './util/pool.js'

export type VerifyStatus = 'ok' | 'missing bundle' | 'does not verify' | 'wrong identity'

export interface AssetVerdict {
  name: string
  bundle: string
  status: VerifyStatus
  /** Why it does not verify, or the identity found instead of the one expected. */
  detail?: string
  /** Who signed it, for `ok`. */
  signer?: string
  sha256?: string
}

export interface VerifyOptions {
  patterns: string[]
  bundleSuffix: string
  policy: IdentityPolicy
  concurrency: number
}

export async function verifyRelease(
  api: ReleaseApi,
  release: Release,
  verifier: BundleVerifier,
  o: VerifyOptions,
): Promise<AssetVerdict[]> {
  const listed = await api.listAssets(release)
  const byName = new Map(listed.map((a) => [a.name, a]))
  const selected = listed.filter(
    (a) => !isManagedName(a.name) && a.state === 'uploaded' && matchesPatterns(a.name, o.patterns),
  )
  const settled = await mapSettled(selected, o.concurrency, async (asset) => {
    const bundle = `${asset.name}${o.bundleSuffix}`
    const bundleAsset = byName.get(bundle)
    if (!bundleAsset) return { name: asset.name, bundle, status: 'missing bundle' } as const
    const digest = await hashAsset(api, asset)
    const sha256 = digest.toString('hex')
    let json: unknown
    try {
      json = JSON.parse((await readSmallAsset(api, bundleAsset)).toString('utf8'))
    } catch (error) {
      const detail = `the bundle is not JSON: ${describeError(error).split('\n')[0]}`
      return { name: asset.name, bundle, status: 'does not verify', detail, sha256 } as const
    }
    const verdict = verifier.check(json, digest, o.policy)
    if (verdict.ok)
      return { name: asset.name, bundle, status: 'ok', signer: verdict.signer, sha256 }
    const detail = verdict.problem === 'wrong identity' ? verdict.signer : verdict.why
    return { name: asset.name, bundle, status: verdict.problem, detail, sha256 }
  })
  return settled.map((s, i) => {
    if (s.ok) return s.value as AssetVerdict
    const name = selected[i]?.name ?? '?'
    // A download that failed is no verdict on the asset: say what failed.
    return {
      name,
      bundle: `${name}${o.bundleSuffix}`,
      status: 'does not verify',
      detail: `could not be checked: ${describeError(s.error).split('\n')[0]}`,
    }
  })
}

/** One line per asset, as `verify-release` prints it. */
export function verdictLine(v: AssetVerdict): string {
  const detail = v.detail ? ` (${v.detail})` : ''
  return `${v.status}${detail}: ${v.name}`
}
