// Under bundles: manifest, in place of signing and attaching: no file gets
// a bundle of its own. Each release asset is streamed once and hashed (checked against GitHub's size
// and digest), and each of the run's own files is attached; the checksums
// manifest written next lists them all, and its bundle and the provenance
// cover every one, in a handful of writes whatever the release's size.

import { hashAsset } from '../../github/hash-asset.js'
import type { Release, ReleaseApi } from '../../github/types.js'
import type { RunOwner } from '../../release-names.js'
import { mapSettled } from '../../util/pool.js'
import { CONCURRENCY } from '../run/concurrency.js'
import type { PlanItem } from '../run/items.js'
import type { Outcome } from '../run/outcome.js'
import { placeFile } from './place-file.js'

export async function hashForManifest(
  api: ReleaseApi,
  release: Release,
  items: PlanItem[],
  dryRun: boolean,
  outcome: Outcome,
  owner: RunOwner,
): Promise<void> {
  const settled = await mapSettled(items, CONCURRENCY, async (item) => {
    if (item.asset) {
      const sha256 = (await hashAsset(api, item.asset)).toString('hex')
      return outcome.hashedFor(item, sha256, item.asset)
    }
    if (!item.local)
      throw new Error(`${item.name} is neither on the release nor a file of this run`)
    const sha256 = item.local.digest.toString('hex')
    if (dryRun) return outcome.hashedFor(item, sha256)
    const asset = await placeFile(api, release, item.local, item.replaces, owner)
    outcome.hashedFor(item, sha256, asset)
  })
  outcome.collect(items, settled, (item) => item)
}
