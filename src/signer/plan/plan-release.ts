// Decide, for each selected asset, whether its bundle is kept or
// (re)made. A bundle is kept only if it verifies for the asset's current digest.
import { info, warning } from '@actions/core'
import { InputError, messageOf, UserError } from '../../errors.js'
import { hashAsset } from '../../github/hash-asset.js'
import { readSmallAsset } from '../../github/small-asset.js'
import { type Asset, listedSha256, type ReleaseApi } from '../../github/types.js'
import { diskNames, isManagedName, MAX_ASSET_NAME } from '../../release-names.js'
import type { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import { formatBytes } from '../../util/format.js'
import { matchesPatterns } from '../../util/patterns.js'
import { mapSettled } from '../../util/pool.js'
import type { LocalFile, PlanItem, SubjectSource } from '../run/items.js'
import type { BundleSuffix } from '../setup/inputs.js'

export interface PlanOptions {
  /** Release assets to sign; empty when only the run's own files are signed. */
  patterns: string[]
  bundleSuffix: BundleSuffix
  overwrite: boolean
  concurrency: number
  /** The run's own files (gather phase). */
  local?: LocalFile[]
  /** Source archives already on the release. */
  archivesOnRelease?: string[]
  /** The checksums manifest's name: written later, so never selected as an asset here. */
  manifest?: string
  /**
   * bundles: manifest: no file gets a bundle of its own; each is covered by
   * the manifest, whose bundle is named here.
   */
  coveredBy?: string
}

/** What to plan: an asset on the release, a local file, or both when the file is already there. */
interface Subject {
  name: string
  size: number
  source: SubjectSource
  asset?: Asset
  local?: LocalFile
  /** An SBOM on the release that this run's SBOM of the same name replaces. */
  replaces?: Asset
  digest?: Buffer
}

export async function planRelease(
  api: ReleaseApi,
  assets: Asset[],
  verifier: BundleVerifier,
  options: PlanOptions,
): Promise<PlanItem[]> {
  const subjects = await subjectsOf(api, assets, options)
  if (options.coveredBy) return coverAll(subjects, options.coveredBy)
  const bundleNames = subjects.map((s) => `${s.name}${options.bundleSuffix}`)
  const tooLong = subjects.filter((_, i) => (bundleNames[i] ?? '').length > MAX_ASSET_NAME)
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
    if (!byName.has(subject) && !subjects.some((s) => s.name === subject))
      warning(`${orphan.name} has no asset ${subject} on the release; it was left in place.`)
  }
  const settled = await mapSettled(subjects, options.concurrency, async (subject, index) => {
    const bundleName = bundleNames[index] as string
    const existingBundle = byName.get(bundleName)
    const { asset } = subject
    const item = {
      ...subject,
      bundleName,
      fileName: fileNames[index] as string,
      existingBundle,
    }
    if (!existingBundle || !asset)
      return { ...item, action: 'sign', reason: reasonToSign(item) } as const
    if (options.overwrite)
      return { ...item, action: 'sign', reason: 'overwrite requested' } as const
    // Assets uploaded before GitHub listed digests are hashed from a download.
    const listed = listedSha256(asset)
    const digest =
      subject.digest ?? (listed ? Buffer.from(listed, 'hex') : await hashAsset(api, asset))
    const known = listed && !subject.digest ? {} : { digest }
    try {
      const json = JSON.parse((await readSmallAsset(api, existingBundle)).toString('utf8'))
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
    info(`${verb} ${item.name} (${formatBytes(item.size)}): ${item.reason}`)
  }
  return plan
}

/** bundles: manifest: every subject is hashed and listed in the manifest, whose bundle covers it. */
function coverAll(subjects: Subject[], manifestBundle: string): PlanItem[] {
  info(
    `${subjects.length} file(s) to cover with the checksums manifest, none with a bundle of its own`,
  )
  return subjects.map((subject) => ({
    ...subject,
    bundleName: manifestBundle,
    fileName: '',
    action: 'cover',
    reason: 'covered by the checksums manifest',
  }))
}

/** Why a subject that has no bundle yet is signed (the plan never sets `replaces`). */
function reasonToSign(item: { asset?: Asset; local?: LocalFile; replaces?: Asset }): string {
  if (item.replaces) return 'a new SBOM, replacing the one on the release'
  if (!item.asset)
    return `${item.local?.source === 'file' ? 'local file' : item.local?.source === 'sbom' ? 'SBOM' : 'new file'}, to be attached`
  return 'no bundle yet'
}

/**
 * The subjects of the run: the selected release assets, and the run's own
 * files. A local file already on the release with the same bytes is that
 * asset (not uploaded again); with other bytes, the run stops here, before
 * anything is signed, and nothing on the release is replaced; but an SBOM
 * with other bytes replaces the one there.
 */
async function subjectsOf(
  api: ReleaseApi,
  assets: Asset[],
  options: PlanOptions,
): Promise<Subject[]> {
  const local = options.local ?? []
  const archives = new Set(options.archivesOnRelease ?? [])
  const claimed = new Set([...local.map((f) => f.name), ...archives])
  if (options.manifest) claimed.add(options.manifest)
  const candidates = assets.filter((a) => !isManagedName(a.name) && a.state === 'uploaded')
  const selected = options.patterns.length
    ? candidates.filter((a) => matchesPatterns(a.name, options.patterns) && !claimed.has(a.name))
    : []
  if (options.patterns.length > 0 && selected.length === 0 && claimed.size === 0) {
    const names = candidates.map((a) => a.name).join(', ') || 'none'
    throw new InputError(
      'assets',
      `no asset of the release matches ${options.patterns.join(', ')}. The release's assets: ${names}.`,
    )
  }
  const subjects: Subject[] = selected.map((asset) => ({
    name: asset.name,
    size: asset.size,
    source: 'release',
    asset,
  }))
  for (const asset of candidates.filter((a) => archives.has(a.name)))
    subjects.push({ name: asset.name, size: asset.size, source: 'source-archive', asset })
  const conflicts: string[] = []
  for (const file of local) {
    const there = candidates.find((a) => a.name === file.name)
    const subject = { name: file.name, size: file.size, source: file.source, digest: file.digest }
    if (!there) {
      subjects.push({ ...subject, local: file })
      continue
    }
    const listed = listedSha256(there)
    const theirs = listed ? Buffer.from(listed, 'hex') : await hashAsset(api, there)
    if (theirs.equals(file.digest)) {
      info(
        `${file.name} is already on the release with the same SHA-256; it is not uploaded again.`,
      )
      subjects.push({ ...subject, asset: there })
    } else if (file.source === 'sbom') {
      // A generator stamps a time and an id: a rebuilt SBOM differs though
      // nothing else did. It replaces the one there, without a gap.
      info(`${file.name} differs from the SBOM on the release; it replaces it.`)
      subjects.push({ ...subject, local: file, replaces: there })
    } else {
      conflicts.push(
        `${file.path}: the release already has a different ${file.name} ` +
          `(sha256:${theirs.toString('hex')} there, sha256:${file.digest.toString('hex')} here)`,
      )
    }
  }
  if (conflicts.length > 0) {
    throw new UserError(
      `Nothing was signed, and no asset was replaced:\n${conflicts.join('\n')}\n` +
        'A release asset is never overwritten. If the new build should replace it, delete the asset from the release and re-run.',
    )
  }
  return subjects
}

function shortReason(error: unknown): string {
  return messageOf(error).split('\n')[0]?.slice(0, 160) ?? 'unknown'
}
