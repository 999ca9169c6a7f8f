// What the consumer's check says of each asset and of the release, and the
// lines it prints for them.
import type { ReleaseVerdict } from './github-release-check.js'

export type VerifyStatus =
  | 'ok'
  | 'missing bundle'
  | 'does not verify'
  | 'wrong identity'
  | 'bad provenance'
  | 'missing provenance'
  | 'bad sbom'
  | 'missing sbom'

/**
 * What the release's provenance says of an asset: `ok`, `missing`, `foreign`
 * (signed by another identity than the one trusted: no evidence either
 * way), or why it fails the asset.
 */
export type ProvenanceVerdict = 'ok' | 'missing' | 'foreign' | string

/**
 * What the release's SBOM attestations say of an asset: `ok` (a verified
 * SBOM attestation lists it with this SHA-256; for an SBOM, its own
 * attestation verified), `missing`, or why it fails the asset.
 */
export type SbomVerdict = 'ok' | 'missing' | string

export interface AssetVerdict {
  name: string
  bundle: string
  status: VerifyStatus
  /** Why it does not verify, or the identity found instead of the one expected. */
  detail?: string
  /** Who signed it, for `ok`. */
  signer?: string
  /** The signed checksums manifest it was checked against, when it has no bundle of its own. */
  coveredBy?: string
  sha256?: string
  provenance: ProvenanceVerdict
  /** Who signed the release's provenance, when it is `foreign`. */
  provenanceSigner?: string
  sbom?: SbomVerdict
  /** The SBOM attestation that covers it (for an SBOM, its own). */
  sbomBy?: string
  /** An immutable release's: whether GitHub's release attestation lists it with this SHA-256. */
  github?: 'ok' | 'not covered' | 'changed since published'
}

/** One line per asset, as `verify-release` prints it. */
export function verdictLine(v: AssetVerdict): string {
  const detail = v.detail ? ` (${v.detail})` : ''
  const by = v.coveredBy ? ` (by ${v.coveredBy})` : ''
  const provenance =
    v.provenance === 'ok'
      ? ' (provenance ok)'
      : v.provenance === 'foreign' && v.status === 'ok'
        ? ` (provenance by another identity, not checked: ${v.provenanceSigner})`
        : ''
  const sbom = v.sbom === 'ok' ? ` (SBOM ${v.sbomBy})` : ''
  return `${v.status}${detail}: ${v.name}${by}${provenance}${sbom}`
}

/** Whether the release as a whole fails: GitHub's attestation, or no immutability when it is required. */
export function releaseFails(r: ReleaseVerdict, requireImmutable: boolean): boolean {
  return r.immutable ? r.githubAttestation !== 'ok' : requireImmutable
}

/** The release's line, as verify-release prints it after the assets'. */
export function releaseLine(r: ReleaseVerdict, requireImmutable: boolean): string {
  if (!r.immutable) {
    return `${requireImmutable ? 'not immutable' : 'mutable'}: the release is not immutable, so GitHub made no release attestation of it`
  }
  if (r.githubAttestation === 'ok')
    return `ok: GitHub's release attestation covers the release (${r.covers} assets, immutable)`
  return `${r.githubAttestation === 'missing' ? 'missing' : 'does not verify'}: GitHub's release attestation (${r.githubAttestation})`
}
