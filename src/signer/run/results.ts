// Each file's result, as the outputs, the log and the step summary report it.
import { listedSha256 } from '../../github/types.js'
import type { PlanItem, SubjectSource } from './items.js'

/**
 * One word per outcome, for files and the provenance alike. `covered`:
 * under bundles: manifest, hashed and listed in the signed checksums
 * manifest, whose bundle is `bundle`.
 */
export type ResultStatus =
  | 'signed'
  | 'replaced'
  | 'unchanged'
  | 'foreign'
  | 'failed'
  | 'covered'
  /** GitHub's release attestation: it verifies and lists every file on the release, or not. */
  | 'verified'
  | 'incomplete'

export interface AssetResult {
  name: string
  /** Where it came from: release, file, source-archive, checksums or sbom (an SBOM and its attestation); or the provenance file. */
  source: SubjectSource | 'provenance' | 'github'
  size: number
  sha256: string
  bundle: string
  status: ResultStatus
  logIndex: string | null
  /** Why the asset failed, for status `failed`; and its cause in a few words. */
  error?: string
  cause?: string
  /** Who signed a kept bundle, for status `foreign`. */
  signer?: string
  /** An SBOM attestation's predicate type, and the files it describes. */
  predicateType?: string
  describes?: string[]
  /** GitHub's release attestation: how many files it lists. */
  covers?: number
}

/** The result for a planned asset; `signed` is its attached (or, on a dry run, kept) bundle. */
export function resultFor(
  item: PlanItem,
  signed: { sha256: string; logIndex?: string } | undefined,
  failure: { error?: string; cause?: string } = {},
): AssetResult {
  const listed =
    item.digest?.toString('hex') ?? (item.asset ? listedSha256(item.asset) : undefined) ?? ''
  const base = { name: item.name, source: item.source, size: item.size, bundle: item.bundleName }
  if (item.action === 'keep') {
    const sha256 = listed
    if (item.foreignSigner) {
      const signer = item.foreignSigner
      return { ...base, sha256, status: 'foreign', logIndex: item.logIndex ?? null, signer }
    }
    return { ...base, sha256, status: 'unchanged', logIndex: item.logIndex ?? null }
  }
  if (!signed) {
    return {
      ...base,
      sha256: listed,
      status: 'failed',
      logIndex: null,
      error: failure.error ?? 'not signed',
      ...(failure.cause ? { cause: failure.cause } : {}),
    }
  }
  if (item.action === 'cover')
    return { ...base, sha256: signed.sha256, status: 'covered', logIndex: null }
  return {
    ...base,
    sha256: signed.sha256,
    status: item.existingBundle ? 'replaced' : 'signed',
    logIndex: signed.logIndex ?? null,
  }
}
