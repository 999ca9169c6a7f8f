// What the consumer's check says of each asset, and the line it prints for it.

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
