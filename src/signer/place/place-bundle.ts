// Putting a bundle (or the provenance) under its name on a release: uploaded,
// or replacing the one there without a gap. The new one goes up under a
// temporary name that names its run, then the old one is deleted and the new
// one takes its name, so the release always holds one that verifies (at
// GitHub's asset cap, where no temporary copy fits, delete then upload). A
// temporary copy the run no longer needs is removed, or marked as given up on.
import { info, warning } from '@actions/core'
import { describeError } from '../../errors.js'
import { readSmallAsset } from '../../github/small-asset.js'
import {
  type Asset,
  AssetExistsError,
  MAX_RELEASE_ASSETS,
  type Release,
  type ReleaseApi,
  ReleaseFullError,
} from '../../github/types.js'
import { abandonedName, type RunOwner, temporaryName } from '../../release-names.js'

const BUNDLE_CONTENT_TYPE = 'application/json'

/**
 * Puts a bundle (or the provenance) under its name: uploaded, or replacing
 * `old` without a gap through a temporary name.
 */
export async function placeBundle(
  api: ReleaseApi,
  release: Release,
  name: string,
  data: Buffer,
  old: Asset | undefined,
  owner: RunOwner,
): Promise<Asset> {
  let existing = old
  for (let attempt = 1; !existing; attempt++) {
    try {
      return await api.uploadAsset(release, name, data, BUNDLE_CONTENT_TYPE)
    } catch (error) {
      if (!(error instanceof AssetExistsError)) throw error
      // A bundle of that name landed in between (another run, or this
      // upload's own first attempt whose answer was lost): replace it.
      existing = (await api.listAssets(release)).find((a) => a.name === name)
      // Gone again by the time of the listing: another job was replacing it
      // through its temporary name. Upload under the name once more.
      if (!existing && attempt >= 3) throw error
    }
  }
  let incoming: Asset
  try {
    incoming = await api.uploadAsset(release, temporaryName(name, owner), data, BUNDLE_CONTENT_TYPE)
  } catch (error) {
    if (!(error instanceof ReleaseFullError)) throw error
    return replaceAtCap(api, release, name, data, existing)
  }
  // The old bundle stays until it can be deleted; the new one is not left
  // behind under its temporary name.
  await api.deleteAsset(existing.id).catch(async (error) => {
    await dropOwn(api, incoming)
    throw error
  })
  try {
    return await api.renameAsset(incoming.id, name)
  } catch (error) {
    if (error instanceof AssetExistsError) {
      // Another job signing the same file (a build matrix) put its bundle
      // there first; that job verified it before attaching it. One is enough.
      await api.deleteAsset(incoming.id).catch(() => undefined)
      const theirs = (await api.listAssets(release)).find((a) => a.name === name)
      if (theirs) return theirs
    }
    // The old bundle is gone and the rename failed: put the bundle under its
    // name by uploading it again, then drop the temporary copy.
    const placed = await api
      .uploadAsset(release, name, data, BUNDLE_CONTENT_TYPE)
      .catch(async () => {
        await dropOwn(api, incoming)
        throw error
      })
    await dropOwn(api, incoming)
    return placed
  }
}

/**
 * At GitHub's cap of 1,000 assets there is no room for a temporary copy: the
 * old bundle is deleted, then the new one uploaded, and if that upload fails
 * the old one is put back. No other asset is touched.
 */
async function replaceAtCap(
  api: ReleaseApi,
  release: Release,
  name: string,
  data: Buffer,
  old: Asset,
): Promise<Asset> {
  info(
    `${name}: the release is at GitHub's cap of ${MAX_RELEASE_ASSETS} assets, leaving no room for a temporary copy; ` +
      'replacing it by deleting the old one, then uploading the new one.',
  )
  const before = await readSmallAsset(api, old)
  await api.deleteAsset(old.id)
  try {
    return await api.uploadAsset(release, name, data, BUNDLE_CONTENT_TYPE)
  } catch (error) {
    const restored = await api.uploadAsset(release, name, before, BUNDLE_CONTENT_TYPE).then(
      () => 'the old one was put back',
      (again: unknown) =>
        `the old one could not be put back either (${describeError(again)}); re-run`,
    )
    throw new Error(`uploading the new ${name} failed (${describeError(error)}); ${restored}`, {
      cause: error,
    })
  }
}

/**
 * Removes a temporary copy this run uploaded and no longer needs. When GitHub
 * will not let it, the copy is renamed as given up on, so the next run
 * removes it at once (removeLeftovers); failing that too, the next run
 * removes it once it can tell this run is over.
 */
export async function dropOwn(api: ReleaseApi, incoming: Asset): Promise<void> {
  try {
    await api.deleteAsset(incoming.id)
  } catch (error) {
    // Marked as given up on, so the next run removes it at once, whoever it is.
    const marked = await api.renameAsset(incoming.id, abandonedName(incoming.name)).then(
      () => true,
      () => false,
    )
    warning(
      `Could not remove ${incoming.name}, this run's temporary copy: ${describeError(error)}. ` +
        `${marked ? 'It is marked as given up on, and ' : ''}the next run removes it.`,
    )
  }
}
