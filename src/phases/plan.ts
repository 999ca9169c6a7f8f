// Phase 2: decide, for each selected asset, whether its bundle is kept or
// (re)made. A bundle is kept only if it verifies for the asset's current digest.
import { info, warning } from '@actions/core'
import { diskNames, isManagedName, MAX_ASSET_NAME } from '../bundle-names.js'
import { InputError, messageOf, UserError } from '../errors.js'
import { type Asset, listedSha256, type ReleaseApi } from '../github/types.js'
import type { BundleSuffix } from '../inputs.js'
import type { BundleVerifier } from '../sigstore/verify.js'
import { formatBytes } from '../util/format.js'
import { matchesPatterns } from '../util/patterns.js'
import { mapSettled } from '../util/pool.js'
import { hashAsset } from './hash.js'

/** Bundles are small; anything bigger is not one of ours. */
const MAX_BUNDLE_BYTES = 1 << 20

export interface PlanItem {
  asset: Asset
  bundleName: string
  /** The bundle's file name under the run's bundles folder (see diskNames). */
  fileName: string
  /** The bundle already on the release under bundleName, if any. */
  existingBundle?: Asset
  action: 'sign' | 'keep'
  reason: string
  /** For kept bundles: the transparency-log index recorded in them. */
  logIndex?: string
  /** For a kept bundle signed by another identity than this run's: that identity. */
  foreignSigner?: string
  /** The asset's SHA-256, when the plan had to download it (GitHub lists none). */
  digest?: Buffer
}

export interface PlanOptions {
  patterns: string[]
  bundleSuffix: BundleSuffix
  overwrite: boolean
  concurrency: number
}

export async function planRelease(
  api: ReleaseApi,
  assets: Asset[],
  verifier: BundleVerifier,
  options: PlanOptions,
): Promise<PlanItem[]> {
  const candidates = assets.filter((a) => !isManagedName(a.name) && a.state === 'uploaded')
  const selected = candidates.filter((a) => matchesPatterns(a.name, options.patterns))
  if (selected.length === 0) {
    const names = candidates.map((a) => a.name).join(', ') || 'none'
    throw new InputError(
      'assets',
      `no asset of the release matches ${options.patterns.join(', ')}. The release's assets: ${names}.`,
    )
  }
  const bundleNames = selected.map((a) => `${a.name}${options.bundleSuffix}`)
  const tooLong = selected.filter((_, i) => (bundleNames[i] ?? '').length > MAX_ASSET_NAME)
  if (tooLong.length > 0) {
    throw new UserError(
      `The bundle name for ${tooLong.map((a) => a.name).join(', ')} would be longer than GitHub's ` +
        `${MAX_ASSET_NAME}-character limit for asset names. Rename the asset, or leave it out with assets: '!<name>'.`,
    )
  }
  const fileNames = diskNames(bundleNames)
  const byName = new Map(assets.map((a) => [a.name, a]))
  for (const orphan of assets.filter((a) => a.name.endsWith(options.bundleSuffix))) {
    const subject = orphan.name.slice(0, -options.bundleSuffix.length)
    if (!byName.has(subject))
      warning(`${orphan.name} has no asset ${subject} on the release; it was left in place.`)
  }
  const settled = await mapSettled(selected, options.concurrency, async (asset, index) => {
    const bundleName = bundleNames[index] as string
    const existingBundle = byName.get(bundleName)
    const item = { asset, bundleName, fileName: fileNames[index] as string, existingBundle }
    if (!existingBundle) return { ...item, action: 'sign', reason: 'no bundle yet' } as const
    if (options.overwrite)
      return { ...item, action: 'sign', reason: 'overwrite requested' } as const
    // Assets uploaded before GitHub listed digests are hashed from a download.
    const listed = listedSha256(asset)
    const digest = listed ? Buffer.from(listed, 'hex') : await hashAsset(api, asset)
    const known = listed ? {} : { digest }
    try {
      const json = JSON.parse((await readSmall(api, existingBundle)).toString('utf8'))
      const { bundle, signer, foreign } = verifier.inspect(json, digest)
      const logIndex = bundle.verificationMaterial.tlogEntries[0]?.logIndex
      if (!foreign) {
        return { ...item, ...known, action: 'keep', reason: 'bundle verifies', logIndex } as const
      }
      // A valid signature by someone else (an earlier workflow, another
      // signer) is never destroyed unless asked to.
      warning(
        `${existingBundle.name} verifies but was signed by ${signer}, not by this workflow; it was kept. ` +
          'Set overwrite: true to replace it with a bundle from this workflow.',
      )
      return {
        ...item,
        ...known,
        action: 'keep',
        reason: `bundle verifies, signed by ${signer}`,
        logIndex,
        foreignSigner: signer,
      } as const
    } catch (error) {
      return {
        ...item,
        ...known,
        action: 'sign',
        reason: `bundle does not verify (${shortReason(error)})`,
      } as const
    }
  })
  const plan = settled.map((s) => {
    if (!s.ok) throw s.error
    return s.value
  })
  for (const item of plan) {
    const verb = item.action === 'keep' ? 'keep  ' : item.existingBundle ? 'resign' : 'sign  '
    info(`${verb} ${item.asset.name} (${formatBytes(item.asset.size)}): ${item.reason}`)
  }
  return plan
}

async function readSmall(api: ReleaseApi, asset: Asset): Promise<Buffer> {
  if (asset.size > MAX_BUNDLE_BYTES)
    throw new Error(`${formatBytes(asset.size)} is too large for a bundle`)
  const chunks: Uint8Array[] = []
  for await (const chunk of await api.downloadAsset(asset)) chunks.push(chunk)
  return Buffer.concat(chunks)
}

function shortReason(error: unknown): string {
  return messageOf(error).split('\n')[0]?.slice(0, 160) ?? 'unknown'
}
