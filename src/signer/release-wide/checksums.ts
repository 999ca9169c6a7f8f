// The checksums manifest. One `sha256sum -c` file over every
// subject of the run, written once all of them are signed, then signed and
// attached like any of the run's own files. The manifest is this action's
// file: a re-run rewrites it, and replaces the older one only when it was
// this workflow that signed it.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info } from '@actions/core'
import { UserError } from '../../errors.js'
import { hashAsset } from '../../github/hash-asset.js'
import { type Asset, listedSha256, type Release, type ReleaseApi } from '../../github/types.js'
import { diskNames, type RunOwner } from '../../release-names.js'
import type { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import { hashFile } from '../../util/hash-files.js'
import { attachOrKeep } from '../place/attach.js'
import type { ManifestOnRelease } from '../plan/manifest-on-release.js'
import { planRelease } from '../plan/plan-release.js'
import type { LocalFile, PlanItem } from '../run/items.js'
import type { Outcome } from '../run/outcome.js'
import type { BundleSuffix } from '../setup/inputs.js'
import { immutableRefusal } from '../setup/resolve-release.js'
import { type Signing, signPlanned } from '../sign/sign-files.js'

/** Where the manifest is written: a name that is a valid file name on every runner's OS. */
export function manifestPath(outDir: string, name: string): string {
  return path.join(outDir, diskNames([name])[0] as string)
}

/** `<hex>  <name>` lines, sorted by name, as `sha256sum` writes them and `sha256sum -c` reads them. */
export function manifestText(entries: { name: string; sha256: string }[]): string {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.name}\n`)
    .join('')
}

export interface ManifestOptions {
  name: string
  outDir: string
  bundleSuffix: BundleSuffix
  overwrite: boolean
  found: ManifestOnRelease
}

/** Writes the manifest and plans it: kept, signed, or replacing this action's older one. */
export async function planManifest(
  api: ReleaseApi,
  verifier: BundleVerifier,
  entries: { name: string; sha256: string }[],
  listedNow: Asset[],
  o: ManifestOptions,
): Promise<PlanItem> {
  const file = manifestPath(o.outDir, o.name)
  await writeFile(file, manifestText(entries))
  const local: LocalFile = {
    name: o.name,
    path: file,
    ...(await hashFile(file)),
    source: 'checksums',
  }
  info(`Wrote ${o.name}: ${entries.length} file(s), sha256:${local.digest.toString('hex')}`)
  const there = listedNow.find((a) => a.name === o.name)
  const theirs = there && (listedSha256(there) ?? (await hashAsset(api, there)).toString('hex'))
  if (!there || theirs === local.digest.toString('hex')) {
    const [item] = await planRelease(api, listedNow, verifier, {
      patterns: [],
      bundleSuffix: o.bundleSuffix,
      overwrite: o.overwrite,
      concurrency: 1,
      local: [local],
    })
    return item as PlanItem
  }
  if (!o.found.ours || o.found.asset?.id !== there.id) {
    throw new UserError(
      `${o.name} on the release differs from this run's manifest, and no bundle from this workflow vouches for it, ` +
        `so it was not replaced. Delete ${o.name} from the release and re-run to attach the new one.`,
    )
  }
  const bundleName = `${o.name}${o.bundleSuffix}`
  return {
    name: o.name,
    size: local.size,
    source: 'checksums',
    local,
    replaces: there,
    digest: local.digest,
    bundleName,
    fileName: diskNames([bundleName])[0] as string,
    existingBundle: listedNow.find((a) => a.name === bundleName),
    action: 'sign',
    reason: 'new content; replaces the older manifest',
  }
}

export interface ChecksumsRun {
  api: ReleaseApi
  release: Release
  repo: string
  verifier: BundleVerifier
  /** The run's plan; the manifest's item is added to it. */
  plan: PlanItem[]
  outcome: Outcome
  signing: Signing
  dryRun: boolean
  /** The assets as the run first listed them (a dry run changes none). */
  listed: Asset[]
  owner: RunOwner
  manifest: ManifestOptions
}

/** The phase: writes the manifest over every file the run covers, then signs and attaches it, or keeps it. */
export async function writeChecksums(r: ChecksumsRun): Promise<void> {
  const entries = r.plan.map((item) => ({ name: item.name, sha256: r.outcome.sha256Of(item) }))
  const listedNow = r.dryRun ? r.listed : await r.api.listAssets(r.release)
  const item = await planManifest(r.api, r.verifier, entries, listedNow, r.manifest)
  r.plan.push(item)
  if (item.action !== 'sign') return
  if (r.release.immutable) throw immutableRefusal(r.release, r.repo)
  const signed = await signPlanned([item], r.signing, r.outcome)
  await attachOrKeep(r.api, r.release, signed, r.dryRun, r.outcome, r.owner)
}
