// Each SBOM's attestation: an in-toto statement whose predicate is the SBOM
// and whose subjects are the files it describes, signed as a DSSE envelope
// with the run's key and certificate (no new token or certificate, one log
// entry), stored with GitHub's attestations API as the provenance is, and
// attached beside the SBOM as `<sbom>.intoto.jsonl`. The same statement
// again is kept, and writes nothing; another identity's is kept, as foreign
// bundles are; any other is replaced without a gap.
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info, warning } from '@actions/core'
import { describeError, shortCause, UserError } from '../../errors.js'
import { readSmallAsset } from '../../github/small-asset.js'
import type { Asset, Release, ReleaseApi } from '../../github/types.js'
import { diskNames, type RunOwner } from '../../release-names.js'
import { MAX_SBOM_BYTES, sbomAttestationName, sbomStatement } from '../../sbom-statement.js'
import { placeBundle } from '../place/place-bundle.js'
import { describedItems, type SbomFile } from '../plan/read-sboms.js'
import type { PlanItem } from '../run/items.js'
import type { Outcome } from '../run/outcome.js'
import type { AssetResult } from '../run/results.js'
import type { AttestationsMode } from '../setup/inputs.js'
import { type Signing, signStatement } from '../sign/sign-files.js'
import { storeAttestation } from './store-attestation.js'

/** An attestation holds its SBOM base64-encoded, with the certificate and the log entry beside it. */
const MAX_ATTESTATION_BYTES = 2 * MAX_SBOM_BYTES

export interface SbomRun {
  api: ReleaseApi
  release: Release
  sboms: SbomFile[]
  plan: PlanItem[]
  outcome: Outcome
  listed: Asset[]
  signing: Signing
  outDir: string
  overwrite: boolean
  dryRun: boolean
  attestations: AttestationsMode | 'never'
  owner: RunOwner
}

export interface SbomOutcome {
  results: AssetResult[]
  /** The attestation files written (a dry run keeps them). */
  files: string[]
  /** The run fails with this, after the report, and the release is not published. */
  failure?: UserError
}

export async function writeSbomAttestations(r: SbomRun): Promise<SbomOutcome> {
  const out: SbomOutcome = { results: [], files: [] }
  const failed: string[] = []
  for (const sbom of r.sboms) {
    const name = sbomAttestationName(sbom.name)
    const described = describedItems(sbom, r.plan)
    const describes = described.map((item) => item.name)
    const base = {
      name,
      source: 'sbom' as const,
      bundle: name,
      predicateType: sbom.predicateType,
      describes,
    }
    try {
      const made = await attest(r, sbom, name, described)
      if (made.file) out.files.push(made.file)
      if (made.status) out.results.push({ ...base, ...made.result, status: made.status })
    } catch (error) {
      const why = describeError(error)
      warning(`${name}: ${why}`)
      failed.push(`${name}: ${why}`)
      out.results.push({
        ...base,
        size: 0,
        sha256: '',
        status: 'failed',
        logIndex: null,
        error: why,
        cause: shortCause(error),
      })
    }
  }
  if (failed.length > 0) {
    out.failure = new UserError(
      `${failed.length} SBOM attestation(s) were not written:\n${failed.join('\n')}\n` +
        "Every file's bundle is in place. A re-run keeps them and writes the attestations.",
    )
  }
  return out
}

type Made = {
  status?: AssetResult['status']
  result: Pick<AssetResult, 'size' | 'sha256' | 'logIndex' | 'signer'>
  file?: string
}

async function attest(
  r: SbomRun,
  sbom: SbomFile,
  name: string,
  described: PlanItem[],
): Promise<Made> {
  const subjects = described.map((item) => ({
    name: item.name,
    sha256: r.outcome.sha256Of(item),
  }))
  const payload = sbomStatement(subjects, sbom.predicateType, sbom.document)
  const there = r.listed.find((a) => a.name === name)
  if (there && !r.overwrite) {
    const found = await readThere(r, there)
    if (found && !found.foreign && found.payload.equals(payload)) {
      info(`${name} already attests ${sbom.name} over these ${subjects.length} file(s); kept.`)
      return {
        status: 'unchanged',
        result: { size: there.size, sha256: found.sha256, logIndex: found.logIndex },
      }
    }
    if (found?.foreign) {
      warning(
        `${name} verifies but was signed by ${found.signer}, not by this workflow; it was kept. ` +
          'Set overwrite: true to replace it with one from this workflow.',
      )
      const kept = {
        size: there.size,
        sha256: found.sha256,
        logIndex: found.logIndex,
        signer: found.signer,
      }
      return { status: 'foreign', result: kept }
    }
  }
  if (r.release.immutable) {
    warning(
      `${r.release.tagName} is immutable, so no attestation of ${sbom.name} can be added to it. ` +
        'Sign on a draft before publishing to have one.',
    )
    return { result: { size: 0, sha256: '', logIndex: null } }
  }
  const { json, logIndex } = await signStatement(payload, r.signing, `SBOM attestation ${name}`)
  const data = Buffer.from(`${json}\n`)
  const file = path.join(r.outDir, diskNames([name])[0] as string)
  await writeFile(file, data)
  const sha256 = createHash('sha256').update(data).digest('hex')
  info(`signed ${name}: ${sbom.name} over ${subjects.length} file(s) (log index ${logIndex})`)
  const made: Made = {
    status: there ? 'replaced' : 'signed',
    result: { size: data.length, sha256, logIndex },
    file,
  }
  if (r.dryRun) return made
  // Stored before it is attached, as the provenance is.
  await storeAttestation(r.api, JSON.parse(json), r.attestations, `the SBOM attestation ${name}`)
  await placeBundle(r.api, r.release, name, data, there, r.owner)
  info(`attached ${name}`)
  return made
}

/** The attestation on the release, when it verifies: its statement, who signed it, its log index. */
async function readThere(r: SbomRun, there: Asset) {
  // Read whole, whatever its size: the bundle reader's 1 MiB would cut an SBOM short.
  const data = await readSmallAsset(r.api, there, MAX_ATTESTATION_BYTES)
  try {
    const json = JSON.parse(data.toString('utf8').split('\n')[0] ?? '') as {
      verificationMaterial?: { tlogEntries?: { logIndex?: string }[] }
    }
    const { payload, signer, foreign } = r.signing.verifier.inspectEnvelope(json)
    const logIndex = json.verificationMaterial?.tlogEntries?.[0]?.logIndex ?? null
    return {
      payload,
      signer,
      foreign,
      logIndex,
      sha256: createHash('sha256').update(data).digest('hex'),
    }
  } catch {
    // Not an attestation that verifies: this run's replaces it.
    return undefined
  }
}
