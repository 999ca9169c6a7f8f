// Phase 4: attach the run's own files and each verified bundle to the
// release. An asset that changed since it was hashed gets no bundle. A bundle
// is replaced without a gap (place.ts).
import { readFile } from 'node:fs/promises'
import { info, warning } from '@actions/core'
import { describeError } from '../../errors.js'
import { hashAsset } from '../../github/hash-asset.js'
import { type Asset, AssetExistsError, type Release, type ReleaseApi } from '../../github/types.js'
import { type RunOwner, temporaryName } from '../../release-names.js'
import { mapSettled, type Settled } from '../../util/pool.js'
import { scaled, sleep } from '../../util/wait.js'
import { CONCURRENCY } from '../run/concurrency.js'
import type { LocalFile, SignedItem } from '../run/items.js'
import type { Outcome } from '../run/outcome.js'
import { removeLeftovers } from './leftovers.js'
import { dropOwn, placeBundle } from './place.js'

/** How long an upload of the same name by another job may take to finish before it counts as abandoned. */
const OTHER_UPLOAD_WAIT_MS = 30_000
const OTHER_UPLOAD_POLL_MS = 2_000

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

/**
 * Uploads one of the run's own files, streamed from disk. An upload of the
 * same name by another job (a build matrix attaching to one draft) that
 * carries the same bytes counts as done; other bytes are never replaced.
 * Only `replaces`, this run's older checksums manifest, is swapped out.
 */
export async function placeFile(
  api: ReleaseApi,
  release: Release,
  file: LocalFile,
  replaces: Asset | undefined,
  owner: RunOwner,
): Promise<Asset> {
  const expected = `sha256:${file.digest.toString('hex')}`
  const upload = async (name: string) => {
    const uploaded = await api.uploadFile(release, name, file, contentTypeOf(file.name))
    if (uploaded.size !== file.size || (uploaded.digest !== null && uploaded.digest !== expected)) {
      // What arrived is not what was signed: the file changed on disk.
      await api.deleteAsset(uploaded.id)
      throw new Error(
        `${file.path} changed after it was hashed; it was not attached. Re-run the step.`,
      )
    }
    info(`uploaded ${file.path} as ${uploaded.name}`)
    return uploaded
  }
  if (replaces) {
    // Our own older manifest: the new one goes up beside it, then takes its name.
    const incoming = await upload(temporaryName(file.name, owner))
    await api.deleteAsset(replaces.id).catch(async (error) => {
      await dropOwn(api, incoming)
      throw error
    })
    return api.renameAsset(incoming.id, file.name)
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await upload(file.name)
    } catch (error) {
      if (!(error instanceof AssetExistsError) || attempt > 2) throw error
    }
    const other = await finishedUpload(api, release, file.name)
    if (!other) continue
    const digest = other.digest ?? `sha256:${(await hashAsset(api, other)).toString('hex')}`
    if (digest === expected) {
      info(
        `${file.name} is already on the release with the same SHA-256 (uploaded by another job, or by an attempt whose answer was lost); using it.`,
      )
      return other
    }
    throw new Error(
      `another upload of ${file.name} with different bytes (${digest}) reached the release while this run was signing; ` +
        "it was not replaced, and no bundle was attached for this run's file.",
    )
  }
}

/**
 * The asset of this name once its upload has finished. An upload that stays
 * unfinished (state `starter` after a failed upload) is removed: it holds no
 * complete file, and blocks the name.
 */
async function finishedUpload(
  api: ReleaseApi,
  release: Release,
  name: string,
): Promise<Asset | undefined> {
  const deadline = Date.now() + scaled(OTHER_UPLOAD_WAIT_MS)
  for (;;) {
    const there = (await api.listAssets(release)).find((a) => a.name === name)
    if (!there || there.state === 'uploaded') return there
    if (Date.now() >= deadline) {
      warning(
        `${name} stayed in state '${there.state}' (an upload that never finished); removing it`,
      )
      await api.deleteAsset(there.id)
      return undefined
    }
    await sleep(OTHER_UPLOAD_POLL_MS)
  }
}

function contentTypeOf(name: string): string {
  if (/\.(tar\.gz|tgz)$/.test(name)) return 'application/gzip'
  if (name.endsWith('.zip') || name.endsWith('.whl')) return 'application/zip'
  if (/(SUMS|\.txt)$/.test(name)) return 'text/plain'
  return 'application/octet-stream'
}
