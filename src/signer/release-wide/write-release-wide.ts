// The release-wide stage, once every file is in place: the checksums
// manifest, each SBOM's attestation, then the provenance, in that order.
// None is written while a file failed; a re-run writes them once every file
// is signed.
import { info } from '@actions/core'
import type { Release, ReleaseApi } from '../../github/types.js'
import type { RunPlan } from '../plan/prepare-run.js'
import type { Outcome } from '../run/outcome.js'
import { phase } from '../run/phase.js'
import type { RunContext } from '../setup/context.js'
import type { RunInputs } from '../setup/inputs.js'
import type { Signer } from '../setup/signing-identity.js'
import type { Signing } from '../sign/sign-files.js'
import { writeChecksums } from './checksums.js'
import { type ProvenanceOutcome, writeProvenance } from './provenance.js'
import { type SbomOutcome, writeSbomAttestations } from './sbom-attestations.js'

export interface ReleaseWideRun {
  api: ReleaseApi
  release: Release
  repo: string
  inputs: RunInputs
  ctx: RunContext
  signer: Signer
  run: RunPlan
  outcome: Outcome
  signing: Signing
  /** A rehearsal's copy stores no attestation: it is deleted again. */
  rehearsal: boolean
}

export interface ReleaseWideOutcome {
  provenance: ProvenanceOutcome
  sbom: SbomOutcome
}

export async function writeReleaseWide(r: ReleaseWideRun): Promise<ReleaseWideOutcome> {
  const { api, release, repo, inputs, ctx, signer, outcome, signing } = r
  const { listed, bundlesDir, items: plan, manifest, provenance, sboms } = r.run
  const { dryRun, bundleSuffix, overwrite } = inputs
  const attestations = r.rehearsal ? ('never' as const) : inputs.attestations
  if (manifest && outcome.ok) {
    await phase(`Checksums manifest ${manifest.name}`, () =>
      writeChecksums({
        api,
        release,
        repo,
        verifier: signer.verifier,
        plan,
        outcome,
        signing,
        dryRun,
        listed,
        owner: ctx.run,
        manifest: {
          name: manifest.name,
          outDir: bundlesDir,
          bundleSuffix,
          overwrite,
          found: manifest.found,
        },
      }),
    )
  }

  let sbom: SbomOutcome = { results: [], files: [] }
  if (sboms.length > 0 && !outcome.ok)
    info('No SBOM attestation while a file failed; a re-run writes them.')
  if (sboms.length > 0 && outcome.ok) {
    sbom = await phase(`SBOM attestations (${sboms.length})`, () =>
      writeSbomAttestations({
        api,
        release,
        sboms,
        plan,
        outcome,
        listed,
        signing,
        outDir: bundlesDir,
        overwrite,
        dryRun,
        attestations,
        owner: ctx.run,
      }),
    )
  }

  let written: ProvenanceOutcome = {}
  const claims = signer.claims
  if (provenance && !outcome.ok)
    info(`No provenance while a file failed; a re-run writes ${provenance.name}.`)
  if (provenance && claims && outcome.ok) {
    written = await phase(`Provenance ${provenance.name}`, () =>
      writeProvenance({
        api,
        release,
        repo,
        name: provenance.name,
        subjects: outcome.ownSubjects(plan),
        planned: plan.map((item) => item.name),
        listed,
        bundleSuffix,
        found: provenance.found,
        overwrite,
        signing,
        claims,
        serverUrl: ctx.serverUrl,
        outDir: bundlesDir,
        dryRun,
        attestations,
        owner: ctx.run,
      }),
    )
  }
  return { provenance: written, sbom }
}
