// The scratch draft a rehearsal (rehearse: true) runs against: made as a copy
// of the release's selected assets and of whatever bundles, checksums
// manifest or provenance of this action's the release has, so the rehearsal
// keeps, replaces and signs what a real run would; and deleted afterwards, or
// by the next rehearsal when a cancelled job left it.
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { info, warning } from '@actions/core'
import { describeError } from '../../errors.js'
import { hashAsset } from '../../github/hash-asset.js'
import type { Release, ReleaseApi } from '../../github/types.js'
import { isManagedName, isTemporaryName, type RunOwner } from '../../release-names.js'
import { matchesPatterns } from '../../util/patterns.js'
import { mapSettled } from '../../util/pool.js'

/** The tag of every rehearsal copy starts with this; a draft creates no tag. */
export const REHEARSAL_TAG_PREFIX = 'sign-release-rehearsal-'

/**
 * A copy older than this was left by a cancelled job. A younger one may
 * belong to a rehearsal still running, and is left alone.
 */
const LEFTOVER_AGE_MS = 60 * 60_000

/** Assets copied at once: each is streamed through a file on disk. */
const COPY_CONCURRENCY = 4

export interface RehearsalOptions {
  run: RunOwner
  /** Where the run's own page is, for the copy's description. */
  runUrl: string
  /** The assets the run signs; with `wholeRelease`, every asset is copied. */
  patterns: string[]
  /** Copy every asset: the publish check looks at all of them. */
  wholeRelease: boolean
  /** The checksums manifest the run writes, if any. */
  manifest?: string
  /** The provenance file the run writes, if any. */
  provenance?: string
  bundleSuffix: string
  /** A folder of the run's own, for the bytes on their way. */
  scratchDir: string
}

/**
 * Removes copies that cancelled rehearsals left, then makes this run's copy.
 * Returns the copy as the run sees it: under the real release's tag, so every
 * name the run makes (a source archive, the bundles folder) is the real one's.
 */
export async function startRehearsal(
  api: ReleaseApi,
  release: Release,
  o: RehearsalOptions,
): Promise<Release> {
  await removeLeftoverCopies(api)
  const tag = `${REHEARSAL_TAG_PREFIX}${o.run.runId}-${o.run.attempt}`
  const copy = await api.createDraft({
    tag,
    name: `Rehearsal of ${release.tagName} (sign-release)`,
    body:
      `A scratch copy of ${release.tagName}, made by sign-release's rehearse: true in ${o.runUrl}. ` +
      'The rehearsal deletes it when it ends; if it is still here, that job was cancelled, and it may be deleted.',
  })
  info(`Created the scratch draft ${tag} (id ${copy.id}), a copy of ${release.tagName}`)
  try {
    await copyAssets(api, release, copy, o)
  } catch (error) {
    await endRehearsal(api, copy)
    throw error
  }
  return { ...copy, tagName: release.tagName }
}

/** Deletes the copy, assets and all. */
export async function endRehearsal(api: ReleaseApi, copy: Release): Promise<void> {
  try {
    await api.deleteRelease(copy.id)
    info(`Deleted the scratch draft (id ${copy.id}).`)
  } catch (error) {
    warning(
      `Could not delete the scratch draft (id ${copy.id}): ${describeError(error)}. ` +
        'The next rehearsal removes it once it is an hour old; or delete it by hand.',
    )
  }
}

async function removeLeftoverCopies(api: ReleaseApi, now = Date.now()): Promise<void> {
  const old = (await api.listReleases()).filter(
    (r) =>
      r.draft &&
      r.tagName.startsWith(REHEARSAL_TAG_PREFIX) &&
      now - Date.parse(r.createdAt) > LEFTOVER_AGE_MS,
  )
  for (const copy of old) {
    await api.deleteRelease(copy.id)
    info(`Deleted ${copy.tagName}, a rehearsal copy a cancelled job left (id ${copy.id}).`)
  }
}

async function copyAssets(
  api: ReleaseApi,
  from: Release,
  to: Release,
  o: RehearsalOptions,
): Promise<void> {
  const listed = (await api.listAssets(from)).filter(
    (a) => a.state === 'uploaded' && !isTemporaryName(a.name),
  )
  const selected = listed
    .filter((a) => !isManagedName(a.name))
    .filter((a) => o.wholeRelease || matchesPatterns(a.name, o.patterns))
    .map((a) => a.name)
  // The selected assets and the manifest, each with its bundle, and the provenance.
  const subjects = [...selected, ...(o.manifest ? [o.manifest] : [])]
  const wanted = new Set([...subjects, ...subjects.map((name) => `${name}${o.bundleSuffix}`)])
  if (o.provenance) wanted.add(o.provenance)
  const chosen = listed.filter((a) => wanted.has(a.name))
  await mkdir(o.scratchDir, { recursive: true })
  const settled = await mapSettled(chosen, COPY_CONCURRENCY, async (asset) => {
    // Through a file: a streamed request body is held in memory by fetch.
    const file = path.join(o.scratchDir, `copy-${asset.id}`)
    try {
      await hashAsset(api, asset, file)
      await api.uploadFile(
        to,
        asset.name,
        { path: file, size: asset.size },
        asset.contentType ?? 'application/octet-stream',
      )
    } finally {
      await rm(file, { force: true })
    }
  })
  const failed = settled.flatMap((s, i) =>
    s.ok ? [] : [`${chosen[i]?.name}: ${describeError(s.error).split('\n')[0]}`],
  )
  if (failed.length > 0) {
    throw new Error(`Could not copy the release for the rehearsal: ${failed.join('; ')}`)
  }
  info(`Copied ${chosen.length} asset(s) of ${from.tagName} to the scratch draft.`)
}
