// The consumer's check of a whole release, shared by the CLI's
// verify-release and the verify action: every selected asset is streamed
// once, hashed as it arrives (never held in memory), and checked against the
// bundle beside it, for the identity the consumer expects; and against the
// release's provenance, when it has one. An asset with no bundle of its own
// (a release signed with bundles: manifest) is checked against the signed
// checksums manifest instead (release-evidence.ts reads both). The SBOM
// attestations say which SBOM covers each asset (sbom-evidence.ts).

import { describeError } from '../errors.js'
import { hashAsset } from '../github/hash-asset.js'
import { readSmallAsset } from '../github/small-asset.js'
import type { Asset, Release, ReleaseReads } from '../github/types.js'
import { isManagedName } from '../release-names.js'
import type { BundleVerifier, IdentityPolicy } from '../sigstore/verify/bundle-verifier.js'
import { matchesPatterns } from '../util/patterns.js'
import { mapSettled } from '../util/pool.js'
import { provenanceOf, readManifest, readProvenance } from './release-evidence.js'
import { readSbomAttestations, sbomOf } from './sbom-evidence.js'
import type { AssetVerdict } from './verdict.js'

export interface VerifyOptions {
  patterns: string[]
  bundleSuffix: string
  policy: IdentityPolicy
  concurrency: number
  /** The provenance file's name on the release (`<repo>-<tag>.intoto.jsonl`). */
  provenance: string
  /** Fail assets that no provenance covers. */
  requireProvenance: boolean
  /** The checksums manifest that covers assets without a bundle of their own (bundles: manifest). */
  checksums: string
  /** Fail assets that no verified SBOM attestation covers (SBOMs and the manifest aside). */
  requireSbom?: boolean
}

export async function verifyRelease(
  api: ReleaseReads,
  release: Release,
  verifier: BundleVerifier,
  o: VerifyOptions,
  /** The release's assets, when the caller has listed them already. */
  listed?: Asset[],
): Promise<AssetVerdict[]> {
  listed ??= await api.listAssets(release)
  const byName = new Map(listed.map((a) => [a.name, a]))
  const selected = listed.filter(
    (a) => !isManagedName(a.name) && a.state === 'uploaded' && matchesPatterns(a.name, o.patterns),
  )
  const provenance = await readProvenance(api, byName.get(o.provenance), verifier, o.policy)
  const sboms = await readSbomAttestations(api, listed, verifier, o.policy, o.provenance)
  const manifestBundle = `${o.checksums}${o.bundleSuffix}`
  const manifest = await readManifest(
    api,
    byName.get(o.checksums),
    byName.get(manifestBundle),
    verifier,
    o.policy,
  )
  const settled = await mapSettled(selected, o.concurrency, async (asset) => {
    const bundle = `${asset.name}${o.bundleSuffix}`
    const bundleAsset = byName.get(bundle)
    const coveredBy = (sha256?: string) => provenanceOf(provenance, asset.name, sha256)
    const listed = manifest?.entries?.get(asset.name)
    if (!bundleAsset && manifest && (listed || manifest.problem)) {
      const sha256 = (await hashAsset(api, asset)).toString('hex')
      const base = {
        name: asset.name,
        bundle: manifestBundle,
        coveredBy: o.checksums,
        sha256,
        provenance: coveredBy(sha256),
      }
      if (!manifest.entries) return { ...base, status: manifest.status, detail: manifest.problem }
      if (listed !== sha256) {
        const detail = `${o.checksums} gives it another SHA-256 (${listed}, not ${sha256})`
        return { ...base, status: 'does not verify' as const, detail }
      }
      return finish({ ...base, signer: manifest.signer })
    }
    if (!bundleAsset) {
      // Hashed only when a provenance or an SBOM attestation can say something of the asset.
      const sha256 =
        provenance || sboms.length > 0 ? (await hashAsset(api, asset)).toString('hex') : undefined
      const status = 'missing bundle' as const
      return { name: asset.name, bundle, status, sha256, provenance: coveredBy(sha256) }
    }
    const digest = await hashAsset(api, asset)
    const sha256 = digest.toString('hex')
    let json: unknown
    try {
      json = JSON.parse((await readSmallAsset(api, bundleAsset)).toString('utf8'))
    } catch (error) {
      const detail = `the bundle is not JSON: ${describeError(error).split('\n')[0]}`
      const status = 'does not verify' as const
      return { name: asset.name, bundle, status, detail, sha256, provenance: coveredBy(sha256) }
    }
    const verdict = verifier.check(json, digest, o.policy)
    const covered = coveredBy(sha256)
    if (!verdict.ok) {
      const detail = verdict.problem === 'wrong identity' ? verdict.signer : verdict.why
      return {
        name: asset.name,
        bundle,
        status: verdict.problem,
        detail,
        sha256,
        provenance: covered,
      }
    }
    return finish({ name: asset.name, bundle, signer: verdict.signer, sha256, provenance: covered })
  })
  /** The verdict on an asset whose signature verified: the provenance has the last word. */
  function finish(base: Omit<AssetVerdict, 'status'>): AssetVerdict {
    const uncovered = base.provenance === 'missing' || base.provenance === 'foreign'
    if (uncovered && o.requireProvenance) {
      const detail = !provenance
        ? `the release has no ${o.provenance}`
        : 'foreign' in provenance
          ? `${o.provenance} was signed by ${provenance.foreign}, not the identity trusted`
          : `${o.provenance} does not list it`
      return { ...base, status: 'missing provenance', detail }
    }
    if (!uncovered && base.provenance !== 'ok')
      return { ...base, status: 'bad provenance', detail: base.provenance }
    return { ...base, status: 'ok' }
  }
  /** The SBOM attestations' word, after the rest: a contradiction fails the asset, as may no cover. */
  function withSbom(v: AssetVerdict): AssetVerdict {
    const said = sbomOf(sboms, v.name, v.sha256)
    const judged = { ...v, ...said }
    if (v.status !== 'ok') return judged
    if (said.sbom !== 'ok' && said.sbom !== 'missing')
      return { ...judged, status: 'bad sbom', detail: said.sbom }
    const exempt = sboms.some((e) => e.sbom === v.name) || v.name === o.checksums
    if (said.sbom === 'missing' && o.requireSbom && !exempt) {
      const detail = sboms.some((e) => e.covers)
        ? 'no SBOM attestation that verifies lists it'
        : 'the release has no SBOM attestation that verifies'
      return { ...judged, status: 'missing sbom', detail }
    }
    return judged
  }
  const signer = provenance && 'foreign' in provenance ? provenance.foreign : undefined
  return settled.map((s, i) => {
    if (s.ok) {
      const v = withSbom(s.value as AssetVerdict)
      return v.provenance === 'foreign' ? { ...v, provenanceSigner: signer } : v
    }
    const name = selected[i]?.name ?? '?'
    // A download that failed is no verdict on the asset: say what failed.
    return {
      name,
      bundle: `${name}${o.bundleSuffix}`,
      status: 'does not verify',
      detail: `could not be checked: ${describeError(s.error).split('\n')[0]}`,
      provenance: 'missing',
    }
  })
}
