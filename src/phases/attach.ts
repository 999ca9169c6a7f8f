// Phase 4: attach each verified bundle to the release. An asset that changed
// since it was hashed gets no bundle. A bundle is replaced without a gap: the
// new one goes up under a temporary name, then the old one is deleted and the
// new one takes its name, so the release always holds a bundle that verifies.
import { readFile } from 'node:fs/promises'
import { info, warning } from '@actions/core'
import { isTemporaryName, temporaryName } from '../bundle-names.js'
import { describeError } from '../errors.js'
import { type Asset, AssetExistsError, type Release, type ReleaseApi } from '../github/types.js'
import { mapSettled, type Settled } from '../util/pool.js'
import type { SignedItem } from './sign.js'

const BUNDLE_CONTENT_TYPE = 'application/json'

export async function attachBundles(
  api: ReleaseApi,
  release: Release,
  signed: SignedItem[],
  concurrency: number,
): Promise<Settled<SignedItem>[]> {
  const current = await api.listAssets(release)
  const settled = await mapSettled(signed, concurrency, async (s) => {
    const now = current.find((a) => a.name === s.item.asset.name)
    const changed =
      !now ||
      now.id !== s.item.asset.id ||
      now.size !== s.item.asset.size ||
      (now.digest !== null && now.digest !== `sha256:${s.sha256}`)
    if (changed) {
      throw new Error(
        `${s.item.asset.name} was replaced or removed while it was being signed, so no bundle was attached for it. Re-run to sign the new upload.`,
      )
    }
    const data = await readFile(s.bundlePath)
    const old = current.find((a) => a.name === s.item.bundleName)
    try {
      const uploaded = await placeBundle(api, release, s.item.bundleName, data, old)
      if (uploaded.name !== s.item.bundleName) {
        warning(`GitHub stored ${s.item.bundleName} as ${uploaded.name}`)
      }
      info(`attached ${uploaded.name}`)
      return s
    } catch (error) {
      throw new Error(`attaching ${s.item.bundleName} failed: ${describeError(error)}`, {
        cause: error,
      })
    }
  })
  await removeLeftovers(api, current)
  return settled
}

async function placeBundle(
  api: ReleaseApi,
  release: Release,
  name: string,
  data: Buffer,
  old: Asset | undefined,
): Promise<Asset> {
  let existing = old
  if (!existing) {
    try {
      return await api.uploadAsset(release, name, data, BUNDLE_CONTENT_TYPE)
    } catch (error) {
      if (!(error instanceof AssetExistsError)) throw error
      // A bundle of that name landed in between (another run, or this
      // upload's own first attempt whose answer was lost): replace it.
      existing = (await api.listAssets(release)).find((a) => a.name === name)
      if (!existing) throw error
    }
  }
  const incoming = await api.uploadAsset(release, temporaryName(name), data, BUNDLE_CONTENT_TYPE)
  await api.deleteAsset(existing.id)
  try {
    return await api.renameAsset(incoming.id, name)
  } catch (error) {
    // The old bundle is gone and the rename failed: put the bundle under its
    // name by uploading it again, then drop the temporary copy (a later run
    // removes it if this delete fails too).
    const placed = await api.uploadAsset(release, name, data, BUNDLE_CONTENT_TYPE).catch(() => {
      throw error
    })
    await api.deleteAsset(incoming.id).catch(() => undefined)
    return placed
  }
}

/** Removes replacements that an interrupted run left under a temporary name. */
export async function removeLeftovers(api: ReleaseApi, listed: Asset[]): Promise<void> {
  for (const leftover of listed.filter((a) => isTemporaryName(a.name))) {
    try {
      await api.deleteAsset(leftover.id)
      info(`removed ${leftover.name}, left behind by an interrupted run`)
    } catch (error) {
      warning(`Could not remove ${leftover.name}: ${describeError(error)}`)
    }
  }
}
