// The run, phase by phase: preflight, resolve, identity, plan, sign, attach,
// publish, report. Each phase takes typed input and hands typed output on.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { endGroup, info, startGroup, warning } from '@actions/core'
import { runFolderName } from './bundle-names.js'
import type { RunContext } from './context.js'
import { describeError, UserError } from './errors.js'
import { GitHubReleases } from './github/client.js'
import { type Asset, listedSha256, type ReleaseApi } from './github/types.js'
import type { RunInputs } from './inputs.js'
import { attachBundles, removeLeftovers } from './phases/attach.js'
import { findManifest, planManifest } from './phases/checksums.js'
import { gatherFiles } from './phases/gather.js'
import { type PlanItem, planRelease } from './phases/plan.js'
import { type Covered, publishDraft } from './phases/publish.js'
import { type AssetResult, report, resultFor } from './phases/report.js'
import { immutableRefusal, resolveRelease } from './phases/resolve.js'
import { type SignedItem, signAssets } from './phases/sign.js'
import { preflight } from './preflight.js'
import { BundleMaker } from './sigstore/bundle.js'
import { CertificateSource } from './sigstore/certificate.js'
import { identityOf, TokenSource } from './sigstore/identity.js'
import { EphemeralKey } from './sigstore/key.js'
import { loadSigningSetup } from './sigstore/setup.js'
import { describeServices } from './sigstore/signing-config.js'
import { BundleVerifier } from './sigstore/verify.js'
import { checkVisibility } from './sigstore/visibility-guard.js'
import type { Settled } from './util/pool.js'
import { uploadWorkflowArtifact } from './workflow-artifact.js'

/**
 * Assets in flight at once, in every phase. Signing a small asset is mostly
 * waiting: a redirect, a download and a log submission, three round trips
 * against a few milliseconds of CPU. In flight at once, they hide those round
 * trips: the benchmark's 500-asset release, with 50 ms per request, takes
 * 20 s with 8, 13 s with 16 and 10 s with 32. Sixteen keeps the load on the
 * public Rekor and on GitHub modest (GitHub allows 100 concurrent requests)
 * for most of that gain. Hashing stays one stream of CPU work, so large
 * assets gain nothing and lose nothing.
 */
export const CONCURRENCY = 16

/**
 * Assets in flight at once when writing to Rekor v2. Rekor v2 answers only
 * once the entry's batch is in the tree, up to about a second later: a wait
 * that costs the log nothing. Downloads stay at CONCURRENCY; only assets
 * waiting on the log are added. On the benchmark's 50-asset release with
 * 1 s batches, the sign phase took 5.4 s with 16 in flight.
 */
export const REKOR_V2_CONCURRENCY = 64

export async function run(inputs: RunInputs, ctx: RunContext): Promise<void> {
  const { target, idTokenRequest } = preflight(inputs, ctx)
  const repo = `${ctx.owner}/${ctx.repo}`
  const api: ReleaseApi = new GitHubReleases({
    token: inputs.token,
    owner: ctx.owner,
    repo: ctx.repo,
    apiUrl: ctx.apiUrl,
    publicRepository: ctx.publicRepository,
  })

  const release = await phase('Resolve the release', async () => {
    const found = await resolveRelease(api, target, repo)
    await checkVisibility(inputs.sigstore, api, repo, ctx.visibility)
    return found
  })

  const tokens = new TokenSource(idTokenRequest)
  const { identity, verifier, services } = await phase(
    'Establish the signing identity',
    async () => {
      // Trust material and services first: a run that could not verify what it
      // signs never mints a token, asks for a certificate or writes to a log.
      const { trust, services } = await loadSigningSetup(
        inputs.sigstore,
        path.join(ctx.runnerTemp, 'sign-release'),
      )
      for (const line of describeServices(services)) info(line)
      const identity = identityOf(await tokens.first(), ctx.serverUrl)
      info(`Certificate identity: ${identity.subjectAlternativeName}`)
      info(`Certificate OIDC issuer: ${identity.issuer}`)
      return { identity, verifier: new BundleVerifier(trust, identity), services }
    },
  )

  const listed = await api.listAssets(release)
  const bundlesDir = path.join(ctx.runnerTemp, 'sign-release', runFolderName(release.tagName))
  await mkdir(bundlesDir, { recursive: true })

  const manifest = inputs.checksums
  const manifestFound = manifest
    ? await findManifest(api, listed, verifier, manifest, inputs.bundleSuffix)
    : undefined

  const ownFiles = inputs.filePatterns.length > 0 || inputs.sourceArchive !== 'none'
  const gathered = ownFiles
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
    planRelease(api, listed, verifier, {
      patterns: inputs.assetPatterns,
      bundleSuffix: inputs.bundleSuffix,
      overwrite: inputs.overwrite,
      concurrency: CONCURRENCY,
      local: gathered.files,
      archivesOnRelease: gathered.archivesOnRelease,
      manifest,
    }),
  )
  const toSign = plan.filter((item) => item.action === 'sign')
  if (release.immutable && toSign.length > 0) throw immutableRefusal(release, repo)

  /** Why each item that failed did, from whichever phase it failed in. */
  const failed = new Map<PlanItem, string>()
  const key = new EphemeralKey()
  const certificates = new CertificateSource(services.fulcioUrl, key, tokens)
  const signing = {
    api,
    key,
    maker: new BundleMaker(services, certificates),
    verifier,
    bundlesDir,
    concurrency: CONCURRENCY,
    witnessConcurrency: services.logs.some((log) => log.version === 2)
      ? REKOR_V2_CONCURRENCY
      : CONCURRENCY,
  }
  const signedItems = await phase(`Sign ${toSign.length} file(s)`, async () => {
    if (toSign.length === 0) {
      info('Every selected asset already has a bundle that verifies; nothing to sign.')
      return []
    }
    const settled = await signAssets(toSign, signing)
    info(`Certificates issued: ${certificates.issued}`)
    return collect(toSign, settled, (item) => item, failed)
  })

  /** Each item's bundle: attached (or, on a dry run, written), with the asset it covers. */
  const done = new Map<PlanItem, SignedItem & { asset?: Asset }>()
  const attach = async (items: SignedItem[]) => {
    if (inputs.dryRun) {
      for (const s of items) done.set(s.item, s)
    } else if (items.length > 0) {
      const settled = await attachBundles(api, release, items, CONCURRENCY)
      for (const a of collect(items, settled, (s) => s.item, failed)) done.set(a.item, a)
    }
  }
  await phase(inputs.dryRun ? 'Dry run: keep the bundles' : 'Attach', () => attach(signedItems))
  if (!inputs.dryRun && signedItems.length === 0 && !release.immutable)
    await removeLeftovers(api, listed)

  if (manifest && manifestFound && failed.size === 0) {
    await phase(`Checksums manifest ${manifest}`, async () => {
      const entries = plan.map((item) => ({
        name: item.name,
        sha256: done.get(item)?.sha256 ?? digestOf(item),
      }))
      const listedNow = inputs.dryRun ? listed : await api.listAssets(release)
      const item = await planManifest(api, verifier, entries, listedNow, {
        name: manifest,
        outDir: bundlesDir,
        bundleSuffix: inputs.bundleSuffix,
        overwrite: inputs.overwrite,
        found: manifestFound,
      })
      plan.push(item)
      if (item.action !== 'sign') return
      if (release.immutable) throw immutableRefusal(release, repo)
      await attach(collect([item], await signAssets([item], signing), (i) => i, failed))
    })
  }

  if (inputs.dryRun) {
    await phase('Dry run: the files made', async () => {
      info(`Dry run: the release was not changed. Bundles are in ${bundlesDir}.`)
      const made = [
        ...gathered.files.filter((f) => f.source !== 'file').map((f) => f.path),
        ...(manifest ? [path.join(bundlesDir, manifest)] : []),
        ...[...done.values()].map((s) => s.bundlePath),
      ]
      if (ctx.hasArtifactService && done.size > 0) {
        await uploadWorkflowArtifact(`sigstore-bundles-${release.tagName}`, made, bundlesDir)
      }
    })
  }

  if (inputs.publish && failed.size === 0) {
    const covered: Covered = new Map()
    for (const item of plan) {
      const asset = item.action === 'keep' ? item.asset : done.get(item)?.asset
      if (asset) covered.set(asset.id, item.bundleName)
    }
    await phase('Publish the release', () =>
      publishDraft(api, release, covered, inputs.assetPatterns, inputs.bundleSuffix),
    )
  }

  const results: AssetResult[] = plan.map((item) =>
    resultFor(item, done.get(item), failed.get(item)),
  )
  await report({
    release,
    results,
    bundlesDir,
    identity,
    sigstore: inputs.sigstore,
    services,
    dryRun: inputs.dryRun,
    stepSummary: ctx.hasStepSummary,
  })

  if (failed.size > 0) {
    const count = (status: string) => results.filter((r) => r.status === status).length
    const unpublished = inputs.publish && release.draft ? ' The release was left as a draft.' : ''
    throw new UserError(
      `${failed.size} of ${plan.length} asset(s) failed:\n${byReason(failed)}` +
        `\n${count('signed') + count('replaced')} signed, ${count('unchanged')} kept, ${failed.size} failed.` +
        `${unpublished} A re-run resumes: bundles that verify are kept.`,
    )
  }
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

/** The SHA-256 of a kept item: listed by GitHub, hashed by the plan, or hashed from disk. */
function digestOf(item: PlanItem): string {
  const hex = item.digest?.toString('hex') ?? (item.asset && listedSha256(item.asset))
  if (!hex) throw new Error(`no SHA-256 is known for ${item.name}`)
  return hex
}

/** The values that succeeded; each failure is noted against its asset, and warned about once. */
function collect<I, T>(
  inputs: I[],
  settled: Settled<T>[],
  itemOf: (input: I) => PlanItem,
  failed: Map<PlanItem, string>,
): T[] {
  const values: T[] = []
  settled.forEach((s, index) => {
    if (s.ok) {
      values.push(s.value)
      return
    }
    const item = itemOf(inputs[index] as I)
    const message = describeError(s.error)
    failed.set(item, message)
    warning(`${item.name}: ${message}`)
  })
  return values
}

/** One line per distinct reason, naming the assets it stopped (a rate limit stops hundreds at once). */
function byReason(failed: Map<PlanItem, string>): string {
  const groups = new Map<string, string[]>()
  for (const [item, why] of failed) groups.set(why, [...(groups.get(why) ?? []), item.name])
  return [...groups]
    .map(([why, names]) => {
      const shown = names.slice(0, 5).join(', ')
      const more = names.length > 5 ? ` and ${names.length - 5} more` : ''
      return `${shown}${more}: ${why}`
    })
    .join('\n')
}
