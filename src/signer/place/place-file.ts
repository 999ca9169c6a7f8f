// Putting one of the run's own files on the release: streamed from disk,
// checked against the digest it was signed with, and never put over another
// job's upload of other bytes.
import { info, warning } from '@actions/core'
import { hashAsset } from '../../github/hash-asset.js'
import { type Asset, AssetExistsError, type Release, type ReleaseApi } from '../../github/types.js'
import { type RunOwner, temporaryName } from '../../release-names.js'
import { scaled, sleep } from '../../util/wait.js'
import type { LocalFile } from '../run/items.js'
import { dropOwn } from './place-bundle.js'

/** How long an upload of the same name by another job may take to finish before it counts as abandoned. */
const OTHER_UPLOAD_WAIT_MS = 30_000
const OTHER_UPLOAD_POLL_MS = 2_000

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
