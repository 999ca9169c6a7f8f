// The provenance this run is to write, and what the release already holds
// under its name, read before anything is signed.
import { createHash } from 'node:crypto'
import { describeError } from '../../errors.js'
import { readJsonLine } from '../../github/small-asset.js'
import type { Asset, ReleaseApi } from '../../github/types.js'
import { provenanceName } from '../../release-names.js'
import type { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import { type Subject, statementSubjects } from '../../slsa-provenance.js'
import type { RunInputs } from '../setup/inputs.js'

/**
 * The provenance's file name, for a run that writes one. A job that signs
 * only its own files (files or source-archive, no assets: a build-matrix job)
 * writes none: jobs attaching to one draft at once would each cover only
 * their own files. The job that signs the release's assets covers them all.
 */
export function provenanceFor(
  inputs: Pick<RunInputs, 'provenance' | 'assetPatterns'>,
  repo: string,
  tag: string,
): string | undefined {
  if (!inputs.provenance || inputs.assetPatterns.length === 0) return undefined
  return provenanceName(repo, tag)
}

export const JOB_WRITES_NO_PROVENANCE =
  "No provenance from this job: it signs only its own files (files or source-archive, no assets), as a build-matrix job does. The job that signs the release's assets (assets: '*') writes it, over every file."

/** The one field read from a bundle's JSON before it is parsed as a bundle. */
type BundleJson = { verificationMaterial?: { tlogEntries?: { logIndex?: string }[] } }

/** What the release holds under the provenance's name, as found before anything was signed. */
export interface ProvenanceOnRelease {
  asset?: Asset
  /** Its subjects, when it verifies (for this run's identity, or for `signer`). */
  subjects?: Subject[]
  /** The file's SHA-256, and the log index its bundle records. */
  sha256?: string
  logIndex?: string
  /** Why it is no provenance that verifies: it is left alone, unless overwrite. */
  theirs?: string
  /** Another identity's provenance that verifies: who signed it. Kept like a foreign bundle. */
  signer?: string
}

/**
 * Read before anything is signed. A file under the provenance's name that
 * does not verify at all is not replaced without overwrite: that run writes
 * none, and says so. One that verifies for another identity (another
 * workflow's, or another ref's) is that identity's: kept, as `foreign`.
 */
export async function findProvenance(
  api: ReleaseApi,
  listed: Asset[],
  verifier: BundleVerifier,
  name: string,
): Promise<ProvenanceOnRelease> {
  const asset = listed.find((a) => a.name === name)
  if (!asset) return {}
  try {
    const { data, json } = await readJsonLine(api, asset)
    const logIndex = (json as BundleJson)?.verificationMaterial?.tlogEntries?.[0]?.logIndex
    const { payload, signer, foreign } = verifier.inspectEnvelope(json)
    return {
      asset,
      subjects: statementSubjects(payload),
      sha256: createHash('sha256').update(data).digest('hex'),
      logIndex,
      ...(foreign ? { signer } : {}),
    }
  } catch (error) {
    return { asset, theirs: describeError(error).split('\n')[0] ?? '' }
  }
}
