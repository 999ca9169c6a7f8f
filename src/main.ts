// The run, phase by phase: preflight, resolve, identity, plan, sign, attach,
// publish, report. Each phase takes typed input and hands typed output on.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { endGroup, info, startGroup, warning } from '@actions/core'
import { runFolderName } from './bundle-names.js'
import type { RunContext } from './context.js'
import { describeError, UserError } from './errors.js'
import { GitHubReleases } from './github/client.js'
import type { ReleaseApi } from './github/types.js'
import type { RunInputs } from './inputs.js'
import { attachBundles, removeLeftovers } from './phases/attach.js'
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
import { loadTrustMaterial } from './sigstore/trust.js'
import { BundleVerifier } from './sigstore/verify.js'
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

  const release = await phase('Resolve the release', () => resolveRelease(api, target, repo))

  const tokens = new TokenSource(idTokenRequest)
  const { identity, verifier } = await phase('Establish the signing identity', async () => {
    // Trust material first: a run that could not verify what it signs never
    // mints a token, asks for a certificate or writes to a log.
    const trust = await loadTrustMaterial(
      inputs.sigstore.trust,
      path.join(ctx.runnerTemp, 'sign-release'),
    )
    const identity = identityOf(await tokens.first(), ctx.serverUrl)
    info(`Certificate identity: ${identity.subjectAlternativeName}`)
    info(`Certificate OIDC issuer: ${identity.issuer}`)
    return { identity, verifier: new BundleVerifier(trust, identity) }
  })

  const listed = await api.listAssets(release)
  const plan = await phase('Plan', () =>
    planRelease(api, listed, verifier, {
      patterns: inputs.assetPatterns,
      bundleSuffix: inputs.bundleSuffix,
      overwrite: inputs.overwrite,
      concurrency: CONCURRENCY,
    }),
  )
  const toSign = plan.filter((item) => item.action === 'sign')
  if (release.immutable && toSign.length > 0) throw immutableRefusal(release, repo)

  const bundlesDir = path.join(ctx.runnerTemp, 'sign-release', runFolderName(release.tagName))
  await mkdir(bundlesDir, { recursive: true })

  /** Why each asset that failed did, from whichever phase it failed in. */
  const failed = new Map<PlanItem, string>()
  const signedItems = await phase(`Sign ${toSign.length} asset(s)`, async () => {
    if (toSign.length === 0) {
      info('Every selected asset already has a bundle that verifies; nothing to sign.')
      return []
    }
    const key = new EphemeralKey()
    const certificates = new CertificateSource(inputs.sigstore.fulcioUrl, key, tokens)
    const maker = new BundleMaker(inputs.sigstore, certificates)
    const settled = await signAssets(toSign, {
      api,
      key,
      maker,
      verifier,
      bundlesDir,
      concurrency: CONCURRENCY,
    })
    info(`Certificates issued: ${certificates.issued}`)
    return collect(toSign, settled, (item) => item, failed)
  })

  let attached: SignedItem[] = signedItems
  if (inputs.dryRun) {
    await phase('Dry run: keep the bundles', async () => {
      info(`Dry run: the release was not changed. Bundles are in ${bundlesDir}.`)
      if (ctx.hasArtifactService && signedItems.length > 0) {
        await uploadWorkflowArtifact(
          `sigstore-bundles-${release.tagName}`,
          signedItems.map((s) => s.bundlePath),
          bundlesDir,
        )
      }
    })
  } else if (signedItems.length > 0) {
    attached = await phase('Attach the bundles', async () =>
      collect(
        signedItems,
        await attachBundles(api, release, signedItems, CONCURRENCY),
        (s) => s.item,
        failed,
      ),
    )
  } else if (!release.immutable) {
    await removeLeftovers(api, listed)
  }

  if (inputs.publish && failed.size === 0) {
    const covered: Covered = new Map([
      ...plan.filter((i) => i.action === 'keep').map((i) => [i.asset.id, i.bundleName] as const),
      ...attached.map((s) => [s.item.asset.id, s.item.bundleName] as const),
    ])
    await phase('Publish the release', () =>
      publishDraft(api, release, covered, inputs.assetPatterns),
    )
  }

  const done = new Map(attached.map((s) => [s.item, s]))
  const results: AssetResult[] = plan.map((item) =>
    resultFor(item, done.get(item), failed.get(item)),
  )
  await report({
    release,
    results,
    bundlesDir,
    identity,
    sigstore: inputs.sigstore,
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
    warning(`${item.asset.name}: ${message}`)
  })
  return values
}

/** One line per distinct reason, naming the assets it stopped (a rate limit stops hundreds at once). */
function byReason(failed: Map<PlanItem, string>): string {
  const groups = new Map<string, string[]>()
  for (const [item, why] of failed) groups.set(why, [...(groups.get(why) ?? []), item.asset.name])
  return [...groups]
    .map(([why, names]) => {
      const shown = names.slice(0, 5).join(', ')
      const more = names.length > 5 ? ` and ${names.length - 5} more` : ''
      return `${shown}${more}: ${why}`
    })
    .join('\n')
}
