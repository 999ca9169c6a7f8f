// The run, phase by phase: preflight, resolve, identity, gather, plan, sign,
// attach, checksums, provenance, publish, report. Each phase takes typed input and hands
// typed output on; what a phase needs wired up is in its own module under
// src/phases/, and what became of each file is kept in one Outcome.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { info } from '@actions/core'
import { runFolderName } from './bundle-names.js'
import type { RunContext } from './context.js'
import { GitHubReleases } from './github/client.js'
import type { Release } from './github/types.js'
import type { RunInputs } from './inputs.js'
import { attachOrKeep } from './phases/attach.js'
import { findManifest, writeChecksums } from './phases/checksums.js'
import { coverPlanned } from './phases/cover.js'
import { gatherFiles } from './phases/gather.js'
import { establishIdentity, type Signer } from './phases/identity.js'
import { removeLeftovers } from './phases/leftovers.js'
import { Outcome } from './phases/outcome.js'
import { phase } from './phases/phase.js'
import { planRelease } from './phases/plan.js'
import {
  findProvenance,
  JOB_WRITES_NO_PROVENANCE,
  type ProvenanceOutcome,
  provenanceEntries,
  provenanceFor,
  writeProvenance,
} from './phases/provenance.js'
import { publishDraft } from './phases/publish.js'
import { rehearse } from './phases/rehearse.js'
import { type AssetResult, report } from './phases/report.js'
import { immutableRefusal, resolvePhase } from './phases/resolve.js'
import { CONCURRENCY, signingFor, signPlanned } from './phases/sign.js'
import { checkWritePlan, planWrites } from './phases/write-plan.js'
import { preflight } from './preflight.js'
import { TokenSource } from './sigstore/identity.js'
import { keepDryRunFiles } from './workflow-artifact.js'

export async function run(inputs: RunInputs, ctx: RunContext): Promise<void> {
  const { target, idTokenRequest } = preflight(inputs, ctx)
  const repo = `${ctx.owner}/${ctx.repo}`
  const api = new GitHubReleases({
    token: inputs.token,
    owner: ctx.owner,
    repo: ctx.repo,
    apiUrl: ctx.apiUrl,
    serverUrl: ctx.serverUrl,
    publicRepository: ctx.publicRepository,
  })

  const release = await phase('Resolve the release', () =>
    resolvePhase(api, target, repo, inputs.sigstore, ctx.visibility),
  )
  const tokens = new TokenSource(idTokenRequest)
  const signer = await phase('Establish the signing identity', () =>
    establishIdentity(inputs.sigstore, ctx, tokens, inputs.provenance),
  )
  const job: Job = { api, inputs, ctx, repo, signer, tokens }
  if (inputs.rehearse) {
    return rehearse(
      { ...job, signRelease: (copy, publish) => signRelease(job, copy, publish, true) },
      release,
    )
  }
  await signRelease(job, release, inputs.publish ? 'publish' : 'no', false)
}

/** What every phase of one run shares. */
interface Job {
  api: GitHubReleases
  inputs: RunInputs
  ctx: RunContext
  repo: string
  signer: Signer
  tokens: TokenSource
}

/**
 * Plans, signs and attaches, then publishes (`check`: only says whether it
 * would), reports, and fails when any file failed. Returns the results.
 */
async function signRelease(
  { api, inputs, ctx, repo, signer, tokens }: Job,
  release: Release,
  publish: 'publish' | 'check' | 'no',
  rehearsal: boolean,
): Promise<AssetResult[]> {
  const { dryRun, checksums: manifest, bundleSuffix } = inputs
  const perAsset = inputs.bundles === 'per-asset'
  const listed = await api.listAssets(release)
  const bundlesDir = path.join(ctx.runnerTemp, 'sign-release', runFolderName(release.tagName))
  await mkdir(bundlesDir, { recursive: true })
  const manifestFound =
    manifest && (await findManifest(api, listed, signer.verifier, manifest, bundleSuffix))
  const provenance = provenanceFor(inputs, ctx.repo, release.tagName)
  if (inputs.provenance && !provenance) info(JOB_WRITES_NO_PROVENANCE)
  const provenanceFound =
    provenance && (await findProvenance(api, listed, signer.verifier, provenance))

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

  const attestationWrites = rehearsal || inputs.attestations === 'false' ? 0 : 1
  const plan = await phase('Plan', () =>
    planRelease(api, listed, signer.verifier, {
      patterns: inputs.assetPatterns,
      bundleSuffix,
      overwrite: inputs.overwrite,
      concurrency: CONCURRENCY,
      local: gathered.files,
      archivesOnRelease: gathered.archivesOnRelease,
      manifest,
      coveredBy: perAsset ? undefined : `${manifest}${bundleSuffix}`,
    }),
  )
  const toSign = plan.filter((item) => item.action === 'sign')
  const toCover = plan.filter((item) => item.action === 'cover')
  if (release.immutable && (toSign.length > 0 || toCover.some((item) => !item.asset)))
    throw immutableRefusal(release, repo)
  checkWritePlan(
    planWrites({
      plan,
      listed,
      bundlePerFile: perAsset,
      bundleSuffix,
      releaseFiles: [
        ...(manifest && manifestFound ? [{ name: manifest, bundled: true }] : []),
        ...(provenance && provenanceFound && signer.claims
          ? [{ name: provenance, bundled: false, extraWrites: attestationWrites }]
          : []),
      ],
      finalWrites: publish === 'publish' && release.draft ? 1 : 0,
    }),
    perAsset,
    dryRun,
  )

  const outcome = new Outcome()
  const signing = signingFor(api, signer, tokens, bundlesDir)
  const signed = perAsset
    ? await phase(`Sign ${toSign.length} file(s)`, () => signPlanned(toSign, signing, outcome))
    : []
  if (perAsset) {
    await phase(dryRun ? 'Dry run: keep the bundles' : 'Attach', () =>
      attachOrKeep(api, release, signed, dryRun, outcome, ctx.run),
    )
  } else {
    await phase(`Hash ${toCover.length} file(s) for ${manifest}`, () =>
      coverPlanned(api, release, toCover, dryRun, outcome, ctx.run),
    )
  }
  if (!dryRun && signed.length === 0 && !release.immutable)
    await removeLeftovers(api, listed, ctx.run)

  if (manifest && manifestFound && outcome.ok) {
    await phase(`Checksums manifest ${manifest}`, () =>
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
          name: manifest,
          outDir: bundlesDir,
          bundleSuffix,
          overwrite: inputs.overwrite,
          found: manifestFound,
        },
      }),
    )
  }

  let written: ProvenanceOutcome = {}
  const claims = signer.claims
  if (provenance && !outcome.ok)
    info(`No provenance while a file failed; a re-run writes ${provenance}.`)
  if (provenance && provenanceFound && claims && outcome.ok) {
    written = await phase(`Provenance ${provenance}`, () =>
      writeProvenance({
        api,
        release,
        repo,
        name: provenance,
        subjects: outcome.ownSubjects(plan),
        planned: plan.map((item) => item.name),
        listed,
        bundleSuffix,
        found: provenanceFound,
        overwrite: inputs.overwrite,
        signing,
        claims,
        serverUrl: ctx.serverUrl,
        outDir: bundlesDir,
        dryRun,
        attestations: rehearsal ? 'never' : inputs.attestations,
        owner: ctx.run,
      }),
    )
  }

  if (dryRun) {
    await phase('Dry run: the files made', () =>
      keepDryRunFiles(
        release.tagName,
        bundlesDir,
        [
          ...gathered.files.filter((f) => f.source !== 'file').map((f) => f.path),
          ...(manifest ? [path.join(bundlesDir, manifest)] : []),
          ...outcome.bundlePaths(),
          ...(written.made?.file ? [written.made.file] : []),
        ],
        ctx.hasArtifactService,
      ),
    )
  }

  if (publish !== 'no' && outcome.ok && !written.failure) {
    await phase(
      publish === 'check' ? 'Rehearsal: would the release be published?' : 'Publish the release',
      () =>
        publishDraft(
          api,
          release,
          outcome.covered(plan),
          inputs.assetPatterns,
          bundleSuffix,
          listed,
          publish === 'check',
        ),
    )
  }

  const results = [...outcome.results(plan), ...provenanceEntries(provenance, written)]
  await report({
    release,
    repo,
    results,
    bundlesDir,
    identity: signer.identity,
    sigstore: inputs.sigstore,
    services: signer.services,
    dryRun,
    stepSummary: ctx.hasStepSummary,
  })
  info(api.pacer.summary())
  const failure =
    outcome.verdict(plan, results, publish === 'publish' && release.draft) ?? written.failure
  if (failure) throw failure
  return results
}
