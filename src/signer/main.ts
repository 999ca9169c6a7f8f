// The run, stage by stage, each a folder beside this file: setup/ (preflight,
// resolve the release, the signing identity), plan/ (gather, plan, write
// plan), sign/ (or, under bundles: manifest, hash), place/ (attach),
// release-wide/ (checksums, SBOM attestations, provenance), publish/, report/; rehearse/ runs
// them all on a copy. Each stage takes typed input and hands typed output
// on; what became of each file is kept in one Outcome (run/).
import { info } from '@actions/core'
import { shortCause } from '../errors.js'
import { GitHubReleases } from '../github/release-writer.js'
import type { Release } from '../github/types.js'
import { sbomAttestationName } from '../sbom-statement.js'
import { TokenSource } from '../sigstore/sign/id-token.js'
import { attachOrKeep } from './place/attach.js'
import { hashForManifest } from './place/hash-for-manifest.js'
import { removeLeftovers } from './place/leftovers.js'
import { prepareRun } from './plan/prepare-run.js'
import { checkReleaseAttestation } from './publish/github-attestation.js'
import { publishDraft } from './publish/publish.js'
import { rehearse } from './rehearse/rehearse.js'
import { manifestPath } from './release-wide/checksums.js'
import { provenanceEntries } from './release-wide/provenance.js'
import { writeReleaseWide } from './release-wide/write-release-wide.js'
import { keepDryRunFiles } from './report/dry-run-artifact.js'
import { report } from './report/report.js'
import { Outcome } from './run/outcome.js'
import { phase } from './run/phase.js'
import type { AssetResult } from './run/results.js'
import type { RunContext } from './setup/context.js'
import type { RunInputs } from './setup/inputs.js'
import { preflight } from './setup/preflight.js'
import { resolvePhase } from './setup/resolve-release.js'
import { establishIdentity, type Signer } from './setup/signing-identity.js'
import { signingFor, signPlanned } from './sign/sign-files.js'

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
  const { dryRun, bundleSuffix } = inputs
  const run = await prepareRun(
    api,
    release,
    { inputs, ctx, signer, repo },
    { publish: publish === 'publish', attestation: !rehearsal && inputs.attestations !== 'false' },
  )
  const { listed, bundlesDir, items: plan, manifest, provenance } = run
  api.pacer.expect(run.writes)
  const toSign = plan.filter((item) => item.action === 'sign')
  const toCover = plan.filter((item) => item.action === 'cover')

  const outcome = new Outcome()
  const signing = signingFor(api, signer, tokens, bundlesDir)
  const signed = run.perAsset
    ? await phase(`Sign ${toSign.length} file(s)`, () => signPlanned(toSign, signing, outcome))
    : []
  if (run.perAsset) {
    await phase(dryRun ? 'Dry run: keep the bundles' : 'Attach', () =>
      attachOrKeep(api, release, signed, dryRun, outcome, ctx.run),
    )
  } else {
    await phase(`Hash ${toCover.length} file(s) for ${manifest?.name}`, () =>
      hashForManifest(api, release, toCover, dryRun, outcome, ctx.run),
    )
  }
  if (!dryRun && signed.length === 0 && !release.immutable)
    await removeLeftovers(api, listed, ctx.run)

  const wide = await writeReleaseWide({
    api,
    release,
    repo,
    inputs,
    ctx,
    signer,
    run,
    outcome,
    signing,
    rehearsal,
  })
  const written = wide.provenance
  const releaseWideFailure = written.failure ?? wide.sbom.failure

  if (dryRun) {
    await phase('Dry run: the files made', () =>
      keepDryRunFiles(
        release.tagName,
        bundlesDir,
        [
          ...run.localFiles.filter((f) => f.source !== 'file').map((f) => f.path),
          ...(manifest ? [manifestPath(bundlesDir, manifest.name)] : []),
          ...outcome.bundlePaths(),
          ...(written.made?.file ? [written.made.file] : []),
          ...wide.sbom.files,
        ],
        ctx.hasArtifactService,
      ),
    )
  }

  let githubAttestation: AssetResult[] = []
  if (publish !== 'no' && outcome.ok && !releaseWideFailure) {
    const published = await phase(
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
    if (published?.immutable) {
      githubAttestation = [
        await phase("GitHub's release attestation", () =>
          checkReleaseAttestation(api, published, {
            repo,
            githubTrustedRoot: inputs.githubTrustedRoot,
            cacheDir: bundlesDir,
          }),
        ),
      ]
    }
  }

  const results = [
    ...outcome.results(plan),
    ...wide.sbom.results,
    ...provenanceEntries(provenance?.name, written),
    ...githubAttestation,
  ]
  const leftDraft = publish === 'publish' && release.draft && !(outcome.ok && !releaseWideFailure)
  const waiting = 'a file failed; a re-run writes it once every file is signed'
  const notWritten = [
    ...(manifest && !outcome.ok ? [{ name: manifest.name, why: waiting }] : []),
    ...(outcome.ok
      ? []
      : run.sboms.map((s) => ({ name: sbomAttestationName(s.name), why: waiting }))),
    ...(provenance && !outcome.ok ? [{ name: provenance.name, why: waiting }] : []),
    ...(provenance && written.failure
      ? [{ name: provenance.name, why: shortCause(written.failure.cause ?? written.failure) }]
      : []),
  ]
  const attestation = written.made?.attestation
  await report({
    release,
    repo,
    results,
    bundlesDir,
    identity: signer.identity,
    sigstore: inputs.sigstore,
    services: signer.services,
    dryRun,
    notWritten,
    leftDraft,
    attestationUrl:
      attestation === undefined
        ? undefined
        : `${ctx.serverUrl}/${repo}/attestations/${attestation}`,
    runnerOs: ctx.runnerOs,
    // A rehearsal's copy is reported by the rehearsal, once its check is done.
    stepSummary: ctx.hasStepSummary && !rehearsal,
  })
  info(api.pacer.summary())
  const failure = outcome.verdict(plan, results, leftDraft) ?? releaseWideFailure
  if (failure) throw failure
  return results
}
