// Attach the run's own files (place-file.ts) and each verified bundle to the
// release. An asset that changed since it was hashed gets no bundle. A bundle
// is replaced without a gap (place-bundle.ts).
import { readFile } from 'node:fs/promises'
import { info, warning } from '@actions/core'
import { describeError } from '../../errors.js'
import type { Asset, Release, ReleaseApi } from '../../github/types.js'
import type { RunOwner } from '../../release-names.js'
import { mapSettled, type Settled } from '../../util/pool.js'
import { CONCURRENCY } from '../run/concurrency.js'
import type { SignedItem } from '../run/items.js'
import type { Outcome } from '../run/outcome.js'
import { removeLeftovers } from './leftovers.js'
import { placeBundle } from './place-bundle.js'
import { placeFile } from './place-file.js'

/** A signed item whose subject and bundle are both on the release. */
export interface AttachedItem extends SignedItem {
  asset: Asset
}

/** The phase: attaches the items (a dry run keeps them where they were written), noting the outcome. */
export async function attachOrKeep(
  api: ReleaseApi,
  release: Release,
  items: SignedItem[],
  dryRun: boolean,
  outcome: Outcome,
  owner: RunOwner,
): Promise<void> {
  if (dryRun) return outcome.finished(items)
  if (items.length === 0) return
  const settled = await attachBundles(api, release, items, CONCURRENCY, owner)
  outcome.finished(outcome.collect(items, settled, (s) => s.item))
}

export async function attachBundles(
  api: ReleaseApi,
  release: Release,
  signed: SignedItem[],
  concurrency: number,
  /** This run: the temporary names it uploads say so. */
  owner: RunOwner,
): Promise<Settled<AttachedItem>[]> {
  const current = await api.listAssets(release)
  const settled = await mapSettled(signed, concurrency, async (s) => {
    const { item } = s
    const asset = item.local
      ? await placeFile(api, release, item.local, item.replaces, owner)
      : checkUnchanged(current, s)
    const data = await readFile(s.bundlePath)
    const old = current.find((a) => a.name === item.bundleName)
    try {
      const uploaded = await placeBundle(api, release, item.bundleName, data, old, owner)
      if (uploaded.name !== item.bundleName) {
        warning(`GitHub stored ${item.bundleName} as ${uploaded.name}`)
      }
      info(`attached ${uploaded.name}`)
      return { ...s, asset }
    } catch (error) {
      throw new Error(`attaching ${item.bundleName} failed: ${describeError(error)}`, {
        cause: error,
      })
    }
  })
  await removeLeftovers(api, current, owner)
  return settled
}

/** The release asset a bundle was made for, if it is still the one that was hashed. */
function checkUnchanged(current: Asset[], s: SignedItem): Asset {
  const was = s.item.asset
  const now = current.find((a) => a.name === s.item.name)
  const changed =
    !was ||
    !now ||
    now.id !== was.id ||
    now.size !== was.size ||
    (now.digest !== null && now.digest !== `sha256:${s.sha256}`)
  if (changed || !now) {
    throw new Error(
      `${s.item.name} was replaced or removed while it was being signed, so no bundle was attached for it. Re-run to sign the new upload.`,
    )
  }
  return now
}
