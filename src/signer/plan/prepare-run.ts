// The plan for one release: read what it holds (its checksums manifest and
// provenance), gather the workflow's own files and SBOMs, plan each file,
// and plan the writes. Everything after reads the one RunPlan this returns; nothing
// here asks for a certificate, writes to a log or writes to GitHub.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { info } from '@actions/core'
import type { Asset, Release, ReleaseApi } from '../../github/types.js'
import { runFolderName } from '../../release-names.js'
import { sbomAttestationName } from '../../sbom-statement.js'
import { CONCURRENCY } from '../run/concurrency.js'
import type { LocalFile, PlanItem } from '../run/items.js'
import { phase } from '../run/phase.js'
import type { RunContext } from '../setup/context.js'
import type { RunInputs } from '../setup/inputs.js'
import { immutableRefusal } from '../setup/resolve-release.js'
import type { Signer } from '../setup/signing-identity.js'
import { gatherFiles } from './gather.js'
import { findManifest, type ManifestOnRelease } from './manifest-on-release.js'
import { planRelease } from './plan-release.js'
import {
  findProvenance,
  JOB_WRITES_NO_PROVENANCE,
  type ProvenanceOnRelease,
  provenanceFor,
} from './provenance-on-release.js'
import { readSboms, resolveSboms, type SbomFile } from './read-sboms.js'
import { checkWritePlan, planWrites } from './write-plan.js'

export interface RunPlan {
  /** The release's assets as the run first listed them. */
  listed: Asset[]
  /** Where the run writes its bundles and files (under RUNNER_TEMP). */
  bundlesDir: string
  items: PlanItem[]
  /** Whether each signed file gets a bundle beside it (bundles: per-asset). */
  perAsset: boolean
  /** The workflow's own files, gathered, and its SBOMs. */
  localFiles: LocalFile[]
  /** The SBOMs to attest (the sbom input). */
  sboms: SbomFile[]
  /** The checksums manifest to write, and what the release holds under its name. */
  manifest?: { name: string; found: ManifestOnRelease }
  /** The provenance to write (unset when the run writes none), and what the release holds. */
  provenance?: { name: string; found: ProvenanceOnRelease }
  /** The writes to GitHub the run makes at most (the write plan). */
  writes: number
}

export async function prepareRun(
  api: ReleaseApi,
  release: Release,
  job: { inputs: RunInputs; ctx: RunContext; signer: Signer; repo: string },
  writes: { publish: boolean; attestation: boolean },
): Promise<RunPlan> {
  const { inputs, ctx, signer } = job
  const { bundleSuffix } = inputs
  const perAsset = inputs.bundles === 'per-asset'
  const listed = await api.listAssets(release)
  const bundlesDir = path.join(ctx.runnerTemp, 'sign-release', runFolderName(release.tagName))
  await mkdir(bundlesDir, { recursive: true })
  const manifestName = inputs.checksums
  const manifest = manifestName
    ? {
        name: manifestName,
        found: await findManifest(api, listed, signer.verifier, manifestName, bundleSuffix),
      }
    : undefined
  const provenanceName = provenanceFor(inputs, ctx.repo, release.tagName)
  if (inputs.provenance && !provenanceName) info(JOB_WRITES_NO_PROVENANCE)
  // Without the token's claims there is no statement to make.
  const provenance =
    provenanceName && signer.claims
      ? {
          name: provenanceName,
          found: await findProvenance(api, listed, signer.verifier, provenanceName),
        }
      : undefined

  const gathered =
    inputs.filePatterns.length > 0 || inputs.sourceArchive !== 'none'
      ? await phase("Gather the workflow's files", () =>
          gatherFiles(api, {
            filePatterns: inputs.filePatterns,
            sourceArchive: inputs.sourceArchive,
            workspace: ctx.workspace,
            repo: ctx.repo,
            tag: release.tagName,
            outDir: bundlesDir,
            listed,
          }),
        )
      : { files: [], archivesOnRelease: [] }
  const found =
    inputs.sbomPatterns.length > 0 ? await readSboms(inputs.sbomPatterns, ctx.workspace) : []
  const localFiles = [...gathered.files, ...found]

  const items = await phase('Plan', () =>
    planRelease(api, listed, signer.verifier, {
      patterns: inputs.assetPatterns,
      bundleSuffix,
      overwrite: inputs.overwrite,
      concurrency: CONCURRENCY,
      local: localFiles,
      archivesOnRelease: gathered.archivesOnRelease,
      manifest: manifestName,
      coveredBy: perAsset ? undefined : `${manifestName}${bundleSuffix}`,
    }),
  )
  const sboms = resolveSboms(found, gathered.files, items, listed)
  const uploads = items.filter((i) => i.action === 'sign' || (i.action === 'cover' && !i.asset))
  if (release.immutable && uploads.length > 0) throw immutableRefusal(release, job.repo)
  const writePlan = planWrites({
    plan: items,
    listed,
    bundlePerFile: perAsset,
    bundleSuffix,
    releaseFiles: [
      ...(manifest ? [{ name: manifest.name, bundled: true }] : []),
      ...(provenance
        ? [{ name: provenance.name, bundled: false, extraWrites: writes.attestation ? 1 : 0 }]
        : []),
      ...sboms.map((sbom) => ({
        name: sbomAttestationName(sbom.name),
        bundled: false,
        extraWrites: writes.attestation ? 1 : 0,
      })),
    ],
    finalWrites: writes.publish && release.draft ? 1 : 0,
  })
  checkWritePlan(writePlan, perAsset, inputs.dryRun)
  return {
    listed,
    bundlesDir,
    items,
    perAsset,
    localFiles,
    sboms,
    manifest,
    provenance,
    writes: writePlan.writes,
  }
}
