// Phase 4: attach each verified bundle to the release. An asset that changed
// since it was hashed gets no bundle. An old bundle is removed only once the
// new one is verified and on disk, and a same-named upload race is resolved
// by re-listing.
import { readFile } from 'node:fs/promises'
import { info, warning } from '@actions/core'
import { isAlreadyExists } from '../github/client.js'
import type { Asset, Release, ReleaseApi } from '../github/types.js'
import { mapSettled, type Settled } from '../util/pool.js'
import type { SignedItem } from './sign.js'

const BUNDLE_CONTENT_TYPE = 'application/json'

export async function attachBundles(
  api: ReleaseApi,
  release: Release,
  signed: SignedItem[],
  concurrency: number,
): Promise<Settled<SignedItem>[]> {
  const current = await api.listAssets(release.id)
  return mapSettled(signed, concurrency, async (s) => {
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
    const uploaded = await replaceAsset(api, release, s.item.bundleName, data, old)
    if (uploaded.name !== s.item.bundleName) {
      warning(`GitHub stored ${s.item.bundleName} as ${uploaded.name}`)
    }
    info(`attached ${uploaded.name}`)
    return s
  })
}

async function replaceAsset(
  api: ReleaseApi,
  release: Release,
  name: string,
  data: Buffer,
  old: Asset | undefined,
): Promise<Asset> {
  if (old) await api.deleteAsset(old.id)
  try {
    return await api.uploadAsset(release, name, data, BUNDLE_CONTENT_TYPE)
  } catch (error) {
    if (!isAlreadyExists(error)) throw error
    // Another upload of the same name landed in between: it is a bundle this
    // action did not just verify, so replace it with ours.
    const racing = (await api.listAssets(release.id)).find((a) => a.name === name)
    if (racing) await api.deleteAsset(racing.id)
    return api.uploadAsset(release, name, data, BUNDLE_CONTENT_TYPE)
  }
}
