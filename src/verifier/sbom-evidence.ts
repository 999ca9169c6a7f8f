// The release's SBOM attestations (`<sbom>.intoto.jsonl` beside each SBOM),
// as the consumer's check reads them: each verified for the identity
// trusted, its predicate an SPDX or CycloneDX document, and its subjects the
// files it describes, by name and SHA-256. Another identity's is no
// evidence either way, as for the provenance; one that does not verify
// fails the SBOM it sits beside.
import { describeError } from '../errors.js'
import { readSmallAsset } from '../github/small-asset.js'
import type { Asset, ReleaseReads } from '../github/types.js'
import { PROVENANCE_SUFFIX } from '../release-names.js'
import { isSbomPredicateType, MAX_SBOM_BYTES, statementPredicateType } from '../sbom-statement.js'
import type { BundleVerifier, IdentityPolicy } from '../sigstore/verify/bundle-verifier.js'
import { verdictDetail } from '../sigstore/verify/bundle-verifier.js'
import { statementSubjects } from '../slsa-provenance.js'
import type { SbomVerdict } from './verdict.js'

export interface SbomEvidence {
  /** The attestation's file name, and the SBOM it sits beside. */
  name: string
  sbom: string
  /** What it lists, by name (verified); or why it fails its SBOM; or who else signed it. */
  covers?: Map<string, string>
  problem?: string
  foreign?: string
}

/** Every SBOM attestation of the release: `.intoto.jsonl` files beside an asset, but the provenance. */
export async function readSbomAttestations(
  api: ReleaseReads,
  listed: Asset[],
  verifier: BundleVerifier,
  policy: IdentityPolicy,
  provenance: string,
): Promise<SbomEvidence[]> {
  const names = new Set(listed.map((a) => a.name))
  const attestations = listed.filter(
    (a) =>
      a.name.endsWith(PROVENANCE_SUFFIX) &&
      a.name !== provenance &&
      names.has(a.name.slice(0, -PROVENANCE_SUFFIX.length)),
  )
  const found: SbomEvidence[] = []
  for (const asset of attestations) {
    const sbom = asset.name.slice(0, -PROVENANCE_SUFFIX.length)
    const evidence = await readOne(api, asset, verifier, policy)
    if (evidence) found.push({ name: asset.name, sbom, ...evidence })
  }
  return found
}

async function readOne(
  api: ReleaseReads,
  asset: Asset,
  verifier: BundleVerifier,
  policy: IdentityPolicy,
): Promise<Omit<SbomEvidence, 'name' | 'sbom'> | undefined> {
  let json: unknown
  try {
    // An attestation holds its SBOM (up to 16 MiB) base64-encoded.
    const data = await readSmallAsset(api, asset, 2 * MAX_SBOM_BYTES)
    json = JSON.parse(data.toString('utf8').split('\n')[0] ?? '')
  } catch (error) {
    return { problem: `${asset.name} is not a bundle: ${describeError(error).split('\n')[0]}` }
  }
  const verdict = verifier.checkEnvelope(json, policy)
  if (!verdict.ok && verdict.problem === 'wrong identity') return { foreign: verdict.signer }
  if (!verdict.ok || !verdict.payload) {
    const why = verdict.ok ? 'is empty' : `${verdict.problem}: ${verdictDetail(verdict)}`
    return { problem: `${asset.name} ${why}` }
  }
  // Some other attestation beside a file: not an SBOM's, so no evidence here.
  if (!isSbomPredicateType(statementPredicateType(verdict.payload))) return undefined
  try {
    const subjects = statementSubjects(verdict.payload)
    return { covers: new Map(subjects.map((s) => [s.name, s.sha256])) }
  } catch (error) {
    return { problem: `${asset.name}: ${describeError(error).split('\n')[0]}` }
  }
}

/** What the SBOM attestations say of one asset, and which one says it. */
export function sbomOf(
  evidence: SbomEvidence[],
  name: string,
  sha256: string | undefined,
): { sbom: SbomVerdict; sbomBy?: string } {
  // An SBOM: its own attestation's verdict.
  const own = evidence.find((e) => e.sbom === name)
  if (own?.problem) return { sbom: own.problem, sbomBy: own.name }
  if (own?.covers) return { sbom: 'ok', sbomBy: own.name }
  for (const e of evidence) {
    const listed = e.covers?.get(name)
    if (listed === undefined) continue
    if (sha256 !== undefined && listed !== sha256)
      return {
        sbom: `${e.name} gives it another SHA-256 (${listed}, not ${sha256})`,
        sbomBy: e.name,
      }
    return { sbom: 'ok', sbomBy: e.name }
  }
  return { sbom: 'missing' }
}
