// The consumer's check of a whole release, shared by the CLI's
// verify-release and the verify action: every selected asset is streamed
// once, hashed as it arrives (never held in memory), and checked against the
// bundle beside it, for the identity the consumer expects; and against the
// release's provenance, when it has one.
import { isManagedName } from './bundle-names.js'
import { describeError } from './errors.js'
import { readJsonLine, readSmallAsset } from './github/small-asset.js'
import type { Asset, Release, ReleaseApi } from './github/types.js'
import { hashAsset } from './phases/hash.js'
import { type BundleVerifier, type IdentityPolicy, verdictDetail } from './sigstore/verify.js'
import { statementSubjects } from './slsa-provenance.js'
import { matchesPatterns } from './util/patterns.js'
import { mapSettled } from './util/pool.js'

export type VerifyStatus =
  | 'ok'
  | 'missing bundle'
  | 'does not verify'
  | 'wrong identity'
  | 'bad provenance'
  | 'missing provenance'

/** What the release's provenance says of an asset: `ok`, `missing`, or why it fails the asset. */
export type ProvenanceVerdict = 'ok' | 'missing' | string

export interface AssetVerdict {
  name: string
  bundle: string
  status: VerifyStatus
  /** Why it does not verify, or the identity found instead of the one expected. */
  detail?: string
  /** Who signed it, for `ok`. */
  signer?: string
  sha256?: string
  provenance: ProvenanceVerdict
}

export interface VerifyOptions {
  patterns: string[]
  bundleSuffix: string
  policy: IdentityPolicy
  concurrency: number
  /** The provenance file's name on the release (`<repo>-<tag>.intoto.jsonl`). */
  provenance: string
  /** Fail assets that no provenance covers. */
  requireProvenance: boolean
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
  const provenance = await readProvenance(api, byName.get(o.provenance), verifier, o.policy)
  const settled = await mapSettled(selected, o.concurrency, async (asset) => {
    const bundle = `${asset.name}${o.bundleSuffix}`
    const bundleAsset = byName.get(bundle)
    const coveredBy = (sha256?: string) => provenanceOf(provenance, asset.name, sha256)
    if (!bundleAsset) {
      // Hashed only when a provenance can say something of the asset.
      const sha256 = provenance ? (await hashAsset(api, asset)).toString('hex') : undefined
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
    const base = { name: asset.name, bundle, signer: verdict.signer, sha256, provenance: covered }
    if (covered === 'missing' && o.requireProvenance) {
      const detail = provenance
        ? `${o.provenance} does not list it`
        : `the release has no ${o.provenance}`
      return { ...base, status: 'missing provenance', detail }
    }
    if (covered !== 'ok' && covered !== 'missing')
      return { ...base, status: 'bad provenance', detail: covered }
    return { ...base, status: 'ok' }
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
      provenance: 'missing',
    }
  })
}

/** The release's provenance: its subjects by name, or why it cannot be trusted. */
type ReadProvenance = { subjects: Map<string, string> } | { problem: string } | undefined

async function readProvenance(
  api: ReleaseApi,
  asset: Asset | undefined,
  verifier: BundleVerifier,
  policy: IdentityPolicy,
): Promise<ReadProvenance> {
  if (!asset) return undefined
  let json: unknown
  try {
    json = (await readJsonLine(api, asset)).json
  } catch (error) {
    return { problem: `${asset.name} is not a bundle: ${describeError(error).split('\n')[0]}` }
  }
  const verdict = verifier.checkEnvelope(json, policy)
  if (!verdict.ok || !verdict.payload)
    return {
      problem: `${asset.name} ${verdict.ok ? 'is empty' : `${verdict.problem}: ${verdictDetail(verdict)}`}`,
    }
  try {
    const subjects = statementSubjects(verdict.payload)
    return { subjects: new Map(subjects.map((s) => [s.name, s.sha256])) }
  } catch (error) {
    return { problem: `${asset.name}: ${describeError(error).split('\n')[0]}` }
  }
}

function provenanceOf(
  provenance: ReadProvenance,
  name: string,
  sha256: string | undefined,
): ProvenanceVerdict {
  if (!provenance) return 'missing'
  if ('problem' in provenance) return provenance.problem
  const listed = provenance.subjects.get(name)
  if (listed === undefined) return 'missing'
  if (sha256 !== undefined && listed !== sha256)
    return `the provenance gives it another SHA-256 (${listed}, not ${sha256})`
  return 'ok'
}

/** One line per asset, as `verify-release` prints it. */
export function verdictLine(v: AssetVerdict): string {
  const detail = v.detail ? ` (${v.detail})` : ''
  return `${v.status}${detail}: ${v.name}${v.provenance === 'ok' ? ' (provenance ok)' : ''}`
}
