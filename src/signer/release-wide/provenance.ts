// The SLSA provenance. One in-toto statement over every file that
// ends the run with a bundle from this run's identity, signed as a DSSE
// envelope with the run's key and certificate (no second token or
// certificate), logged and timestamped like every bundle, checked, stored
// with GitHub's attestations API, and attached as `<repo>-<tag>.intoto.jsonl`.
// The file is this action's own, like the checksums manifest: kept when it
// already covers exactly these files, otherwise replaced without a gap.
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info, warning } from '@actions/core'
import { describeError, shortCause, UserError } from '../../errors.js'
import type { Asset, Release, ReleaseApi } from '../../github/types.js'
import { diskNames, type RunOwner } from '../../release-names.js'
import {
  provenanceStatement,
  type Subject,
  sameSubjects,
  type WorkflowClaims,
} from '../../slsa-provenance.js'
import { placeBundle } from '../place/place-bundle.js'
import type { ProvenanceOnRelease } from '../plan/provenance-on-release.js'
import type { AssetResult } from '../run/results.js'
import type { AttestationsMode } from '../setup/inputs.js'
import { type Signing, signStatement } from '../sign/sign-files.js'
import { describeNames, signedEarlier, stillTrueUncovered } from './provenance-subjects.js'
import { storeAttestation } from './store-attestation.js'

export interface ProvenanceRun {
  api: ReleaseApi
  release: Release
  repo: string
  name: string
  /** The planned files that end the run with a bundle from this run's identity: signed now or kept. */
  subjects: Subject[]
  /** Every file the plan looked at, whatever became of it. */
  planned: string[]
  /** The assets as the run first listed them, and the bundles' suffix: for the assets it did not select. */
  listed: Asset[]
  bundleSuffix: string
  found: ProvenanceOnRelease
  overwrite: boolean
  signing: Signing
  claims: WorkflowClaims
  serverUrl: string
  /** Where the bundle file is written (the run's bundles folder). */
  outDir: string
  /** A dry run writes the file only; a rehearsal attaches it to its copy but stores nothing. */
  dryRun: boolean
  /** `never`: a rehearsal, whose copy is deleted again. */
  attestations: AttestationsMode | 'never'
  owner: RunOwner
}

/** What the phase came to: the provenance made or kept (none: nothing to cover), or why it failed. */
export interface ProvenanceOutcome {
  made?: ProvenanceResult
  /** The run fails with this, after the report, and the release is not published. */
  failure?: UserError
}

/** The phase. A failure is the run's, once the report is written; the files' bundles stay. */
export async function writeProvenance(r: ProvenanceRun): Promise<ProvenanceOutcome> {
  try {
    return { made: await makeProvenance(r) }
  } catch (error) {
    const failure = new UserError(
      `The provenance ${r.name} was not written: ${describeError(error)}\n` +
        "Every other file's bundle is in place. A re-run keeps them and writes the provenance.",
      { cause: error },
    )
    return { failure }
  }
}

/** The provenance's entry in the results: made, kept, failed, or none. */
export function provenanceEntries(name: string | undefined, o: ProvenanceOutcome): AssetResult[] {
  if (o.failure && name) {
    const error = describeError(o.failure.cause ?? o.failure)
    const cause = shortCause(o.failure.cause ?? o.failure)
    return [{ ...result(name, 0, ''), status: 'failed', logIndex: null, error, cause }]
  }
  if (!o.made) return []
  const { file: _file, attestation: _id, ...entry } = o.made
  return [entry]
}

async function makeProvenance(r: ProvenanceRun): Promise<ProvenanceResult | undefined> {
  const own = [...r.subjects, ...(await signedEarlier(r))]
  if (own.length === 0) {
    info(`No provenance: no file ends this run with a bundle from this run's identity.`)
    return undefined
  }
  const { asset } = r.found
  if (r.found.theirs !== undefined && !r.overwrite) {
    warning(
      `${r.name} is on the release, and it is not a provenance that verifies (${r.found.theirs}). ` +
        'It is left as it is, and this run writes none. Set overwrite: true to replace it.',
    )
    return undefined
  }
  // What the provenance there lists, still true of the release, that this run does not cover.
  const uncovered = stillTrueUncovered(r.found.subjects ?? [], own, r.listed)
  const { signer } = r.found
  if (asset && signer !== undefined && (!r.overwrite || uncovered.length > 0)) {
    warning(
      `${r.name} verifies but was signed by ${signer}, not by this workflow; it was kept. ` +
        (r.overwrite
          ? `It lists ${describeNames(uncovered)}, which this run does not cover, so overwrite does not replace it.`
          : 'Set overwrite: true to replace it with one from this workflow (done only when this run covers every file it lists).'),
    )
    const kept = result(r.name, asset.size, r.found.sha256 ?? '')
    return { ...kept, status: 'foreign', logIndex: r.found.logIndex ?? null, signer }
  }
  // This identity's own provenance never shrinks: what it listed, and is
  // still true, stays listed (as for assets an earlier run signed).
  const subjects = signer === undefined ? [...own, ...uncovered] : own
  if (signer === undefined && uncovered.length > 0)
    info(`The provenance keeps listing ${describeNames(uncovered)}, as ${r.name} did.`)
  if (asset && r.found.subjects && !r.overwrite && sameSubjects(r.found.subjects, subjects)) {
    info(`${r.name} already covers these ${subjects.length} file(s) and verifies; kept.`)
    const kept = result(r.name, asset.size, r.found.sha256 ?? '')
    return { ...kept, status: 'unchanged', logIndex: r.found.logIndex ?? null }
  }
  if (r.release.immutable) {
    // Nothing can be added to it; the files' own bundles are in place.
    warning(
      `${r.release.tagName} is immutable, so no provenance can be added to it${asset ? ` (${r.name} covers other files)` : ''}. ` +
        'Sign on a draft before publishing to have one.',
    )
    return undefined
  }

  const payload = Buffer.from(JSON.stringify(provenanceStatement(subjects, r.claims, r.serverUrl)))
  const { json, logIndex } = await signStatement(payload, r.signing)
  const data = Buffer.from(`${json}\n`)
  const file = path.join(r.outDir, diskNames([r.name])[0] as string)
  await writeFile(file, data)
  const sha256 = createHash('sha256').update(data).digest('hex')
  info(`signed ${r.name}: ${subjects.length} subject(s), sha256:${sha256} (log index ${logIndex})`)
  const status = asset ? ('replaced' as const) : ('signed' as const)
  const made = { ...result(r.name, data.length, sha256), status, logIndex, file }
  if (r.dryRun) return made

  // Stored before it is attached: with attestations: true, a run that could
  // not store it leaves no file, so its re-run signs and stores again.
  const attestation = await storeAttestation(r.api, JSON.parse(json), r.attestations)
  // As found before signing: one that arrived since is met by the upload, and replaced.
  await placeBundle(r.api, r.release, r.name, data, asset, r.owner)
  info(`attached ${r.name}`)
  return attestation === undefined ? made : { ...made, attestation }
}

export type ProvenanceResult = AssetResult & {
  status: 'signed' | 'replaced' | 'unchanged' | 'foreign'
  file?: string
  /** The id GitHub gave the stored attestation. */
  attestation?: number
}

function result(name: string, size: number, sha256: string) {
  return { name, source: 'provenance' as const, size, sha256, bundle: name }
}
