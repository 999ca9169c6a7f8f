// The run, phase by phase: preflight, resolve, identity, gather, plan, sign,
// attach, checksums, publish, report. Each phase takes typed input and hands
// typed output on; what a phase needs wired up is in its own module under
// src/phases/, and what became of each file is kept in one Outcome.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { endGroup, info, startGroup } from '@actions/core'
import { runFolderName } from './bundle-names.js'
import type { RunContext } from './context.js'
import { GitHubReleases } from './github/client.js'
import type { RunInputs } from './inputs.js'
import { attachOrKeep } from './phases/attach.js'
import { findManifest, writeChecksums } from './phases/checksums.js'
import { gatherFiles } from './phases/gather.js'
import { establishIdentity } from './phases/identity.js'
import { removeLeftovers } from './phases/leftovers.js'
import { Outcome } from './phases/outcome.js'
import { planRelease } from './phases/plan.js'
import { publishDraft } from './phases/publish.js'
import { report } from './phases/report.js'
import { immutableRefusal, resolvePhase } from './phases/resolve.js'
import { CONCURRENCY, signingFor, signPlanned } from './phases/sign.js'
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
    publicRepository: ctx.publicRepository,
  })
  const { dryRun, checksums: manifest, bundleSuffix } = inputs

  const release = await phase('Resolve the release', () =>
    resolvePhase(api, target, repo, inputs.sigstore, ctx.visibility),
  )
  const tokens = new TokenSource(idTokenRequest)
  const signer = await phase('Establish the signing identity', () =>
    establishIdentity(inputs.sigstore, ctx, tokens),
  )

  const listed = await api.listAssets(release)
  const bundlesDir = path.join(ctx.runnerTemp, 'sign-release', runFolderName(release.tagName))
  await mkdir(bundlesDir, { recursive: true })
  const manifestFound =
    manifest && (await findManifest(api, listed, signer.verifier, manifest, bundleSuffix))

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

  const plan = await phase('Plan', () =>
    planRelease(api, listed, signer.verifier, {
      patterns: inputs.assetPatterns,
      bundleSuffix,
      overwrite: inputs.overwrite,
      concurrency: CONCURRENCY,
      local: gathered.files,
      archivesOnRelease: gathered.archivesOnRelease,
      manifest,
    }),
  )
  const toSign = plan.filter((item) => item.action === 'sign')
  if (release.immutable && toSign.length > 0) throw immutableRefusal(release, repo)

  const outcome = new Outcome()
  const signing = signingFor(api, signer, tokens, bundlesDir)
  const signed = await phase(`Sign ${toSign.length} file(s)`, () =>
    signPlanned(toSign, signing, outcome),
  )
  await phase(dryRun ? 'Dry run: keep the bundles' : 'Attach', () =>
    attachOrKeep(api, release, signed, dryRun, outcome, ctx.run),
  )
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

  if (dryRun) {
    await phase('Dry run: the files made', () =>
      keepDryRunFiles(
        release.tagName,
        bundlesDir,
        [
          ...gathered.files.filter((f) => f.source !== 'file').map((f) => f.path),
          ...(manifest ? [path.join(bundlesDir, manifest)] : []),
          ...outcome.bundlePaths(),
        ],
        ctx.hasArtifactService,
      ),
    )
  }

  if (inputs.publish && outcome.ok) {
    await phase('Publish the release', () =>
      publishDraft(api, release, outcome.covered(plan), inputs.assetPatterns, bundleSuffix, listed),
    )
  }

  const results = outcome.results(plan)
  await report({
    release,
    results,
    bundlesDir,
    identity: signer.identity,
    sigstore: inputs.sigstore,
    services: signer.services,
    dryRun,
    stepSummary: ctx.hasStepSummary,
  })
  const failure = outcome.verdict(plan, results, inputs.publish && release.draft)
  if (failure) throw failure
}

async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name)
  const started = performance.now()
  try {
    return await fn()
  } finally {
    info(`(${name}: ${((performance.now() - started) / 1000).toFixed(2)} s)`)
    endGroup()
  }
}
