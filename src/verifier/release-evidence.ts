// The release-level evidence a consumer's check reads once: the signed
// checksums manifest (for assets without a bundle of their own) and the
// provenance, each verified for the identity trusted, or set aside as
// another identity's.
import { createHash } from 'node:crypto'
import { describeError } from '../errors.js'
import { readJsonLine, readSmallAsset } from '../github/small-asset.js'
import type { Asset, ReleaseReads } from '../github/types.js'
import {
  type BundleVerifier,
  type IdentityPolicy,
  verdictDetail,
} from '../sigstore/verify/bundle-verifier.js'
import { statementSubjects } from '../slsa-provenance.js'
import type { ProvenanceVerdict } from './verdict.js'

/** The release's checksums manifest, when it has one with a bundle: its entries, or why it cannot be trusted. */
export type ReadManifest =
  | { entries: Map<string, string>; signer?: string; problem?: undefined }
  | { problem: string; status: 'does not verify' | 'wrong identity'; entries?: undefined }
  | undefined

/** Largest manifest read: 1,000 lines of GitHub's longest names stay far below it. */
const MAX_MANIFEST_BYTES = 16 << 20

export async function readManifest(
  api: ReleaseReads,
  asset: Asset | undefined,
  bundle: Asset | undefined,
  verifier: BundleVerifier,
  policy: IdentityPolicy,
): Promise<ReadManifest> {
  if (!asset || !bundle) return undefined
  try {
    const text = await readSmallAsset(api, asset, MAX_MANIFEST_BYTES)
    const json = JSON.parse((await readSmallAsset(api, bundle)).toString('utf8'))
    const verdict = verifier.check(json, createHash('sha256').update(text).digest(), policy)
    if (!verdict.ok) {
      const detail = verdict.problem === 'wrong identity' ? verdict.signer : verdict.why
      return { problem: `${asset.name}: ${detail}`, status: verdict.problem }
    }
    const entries = new Map<string, string>()
    for (const line of text.toString('utf8').split('\n')) {
      const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line)
      if (match) entries.set(match[2] as string, match[1] as string)
    }
    return { entries, signer: verdict.signer }
  } catch (error) {
    const why = describeError(error).split('\n')[0]
    return { problem: `${asset.name} could not be checked: ${why}`, status: 'does not verify' }
  }
}

/**
 * The release's provenance: its subjects by name; or the identity that
 * signed it, when that is not the one trusted; or why it cannot be trusted.
 */
export type ReadProvenance =
  | { subjects: Map<string, string> }
  | { foreign: string }
  | { problem: string }
  | undefined

export async function readProvenance(
  api: ReleaseReads,
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
  // Someone else's provenance is no evidence for or against an asset, as
  // gh attestation verify ignores attestations its policy does not match.
  if (!verdict.ok && verdict.problem === 'wrong identity') return { foreign: verdict.signer }
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

export function provenanceOf(
  provenance: ReadProvenance,
  name: string,
  sha256: string | undefined,
): ProvenanceVerdict {
  if (!provenance) return 'missing'
  if ('foreign' in provenance) return 'foreign'
  if ('problem' in provenance) return provenance.problem
  const listed = provenance.subjects.get(name)
  if (listed === undefined) return 'missing'
  if (sha256 !== undefined && listed !== sha256)
    return `the provenance gives it another SHA-256 (${listed}, not ${sha256})`
  return 'ok'
}
