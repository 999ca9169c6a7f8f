// What the plan will cost GitHub, known before the first
// certificate. GitHub caps a release at 1,000 assets, drafts included, and
// limits writes to 80 a minute and 500 an hour. A run that would pass the cap
// is refused here, before any certificate, log entry or write, so it never
// leaves a half-signed release; any other run logs its writes, and how long
// GitHub's limits make them take.
import { info } from '@actions/core'
import { UserError } from '../../errors.js'
import { type Asset, MAX_RELEASE_ASSETS } from '../../github/types.js'
import { minimumWriteTimeMs, WRITES_PER_HOUR, WRITES_PER_MINUTE } from '../../github/write-pacer.js'
import { formatDuration } from '../../util/format.js'
import { scaled } from '../../util/wait.js'
import type { PlanItem } from '../run/items.js'

/** A file the run writes once everything else is signed: the checksums manifest, the provenance. */
export interface ReleaseFile {
  name: string
  /** Whether a signed bundle is attached beside it (the manifest's), or the file is its own (the provenance). */
  bundled: boolean
  /** Writes beyond the file's own, such as storing the provenance as an attestation. */
  extraWrites?: number
}

export interface WritePlan {
  /** Writes to GitHub at most: uploads, deletes and renames of assets, and the rest. */
  writes: number
  /** Assets the release holds at the end, at most. */
  assetsAtEnd: number
  /** Bundles and files uploaded new, and bundles replaced (three writes each). */
  uploads: number
  replacements: number
}

export interface WritePlanInputs {
  plan: PlanItem[]
  listed: Asset[]
  /** Whether each signed file gets a bundle beside it (per-asset); false for bundles: manifest. */
  bundlePerFile: boolean
  releaseFiles: ReleaseFile[]
  bundleSuffix: string
  /** Writes after the rest: publishing a draft. */
  finalWrites: number
}

/** Counts the writes and the assets the run ends with; pure. */
export function planWrites(p: WritePlanInputs): WritePlan {
  const names = new Set(p.listed.map((a) => a.name))
  let uploads = 0
  let replacements = 0
  let added = 0
  const put = (name: string) => {
    if (names.has(name)) replacements += 1
    else {
      uploads += 1
      added += 1
      names.add(name)
    }
  }
  for (const item of p.plan) {
    if (item.local && !item.asset) put(item.name)
    if (p.bundlePerFile && item.action === 'sign') put(item.bundleName)
  }
  let extra = p.finalWrites
  for (const file of p.releaseFiles) {
    put(file.name)
    if (file.bundled) put(`${file.name}${p.bundleSuffix}`)
    extra += file.extraWrites ?? 0
  }
  return {
    writes: uploads + 3 * replacements + extra,
    assetsAtEnd: p.listed.length + added,
    uploads,
    replacements,
  }
}

/** Refuses a run that would pass GitHub's cap; logs the plan of any other. */
export function checkWritePlan(plan: WritePlan, perFile: boolean, dryRun: boolean): void {
  if (plan.assetsAtEnd > MAX_RELEASE_ASSETS) {
    throw new UserError(
      `This run would leave the release with ${plan.assetsAtEnd} assets, over GitHub's cap of ` +
        `${MAX_RELEASE_ASSETS} assets per release${perFile ? ' (each signed file gets a bundle beside it)' : ''}. ` +
        'Nothing was signed and nothing was written. Set bundles: manifest: one checksums manifest and the ' +
        'provenance then cover every file, in four writes, and no file gets a bundle of its own.',
    )
  }
  const took = minimumWriteTimeMs(plan.writes)
  const parts = [
    `${plan.writes} write(s) to GitHub`,
    `${plan.uploads} new upload(s)`,
    `${plan.replacements} replacement(s)`,
    `the release ends with ${plan.assetsAtEnd} of ${MAX_RELEASE_ASSETS} assets`,
  ]
  info(
    `Write plan${dryRun ? ' (a real run; this dry run writes nothing)' : ''}: ${parts.join(', ')}.`,
  )
  if (plan.writes > WRITES_PER_MINUTE) {
    info(
      `GitHub allows ${WRITES_PER_MINUTE} writes a minute and ${WRITES_PER_HOUR} an hour: ` +
        `the writes take at least ${formatDuration(took)}${dryRun ? '' : `; expected to finish by ${new Date(Date.now() + scaled(took)).toISOString()}`}.`,
    )
  }
}
