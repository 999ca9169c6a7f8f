// A rehearsal (rehearse: true): the whole job runs against a scratch draft
// copy of the release, the copy is then checked as a consumer would check it,
// and deleted, whether the rehearsal passed or not. The release itself is
// only read. The copy holds the selected assets and whatever bundles,
// checksums manifest or other file of this action's the release has, so the
// rehearsal keeps, replaces and signs what a real run would.
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { info, setOutput, summary, warning } from '@actions/core'
import { isManagedName, isTemporaryName, type RunOwner } from '../bundle-names.js'
import { describeError, UserError } from '../errors.js'
import type { Release, ReleaseApi } from '../github/types.js'
import type { CertificateIdentity } from '../sigstore/identity.js'
import type { BundleVerifier } from '../sigstore/verify.js'
import { matchesPatterns } from '../util/patterns.js'
import { mapSettled } from '../util/pool.js'
import { verdictLine, verifyRelease } from '../verify-release.js'
import { hashAsset } from './hash.js'
import { type AssetResult, escapeHtml } from './report.js'

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

/**
 * Checks the copy as `verify-release` would, for this run's identity, and
 * throws naming every asset that does not verify.
 */
export async function checkCopy(
  api: ReleaseApi,
  copy: Release,
  verifier: BundleVerifier,
  policy: CertificateIdentity,
  o: {
    bundleSuffix: string
    /** The provenance's name: checked when the copy has it, */
    provenance: string
    /** and required when the run wrote or kept it. */
    provenanceWritten: boolean
  },
): Promise<void> {
  const verdicts = await verifyRelease(api, copy, verifier, {
    patterns: ['*'],
    bundleSuffix: o.bundleSuffix,
    policy,
    concurrency: 8,
    provenance: o.provenance,
    requireProvenance: o.provenanceWritten,
  })
  for (const v of verdicts) info(verdictLine(v))
  const bad = verdicts.filter((v) => v.status !== 'ok')
  if (bad.length > 0) {
    throw new UserError(
      `The rehearsal's copy does not verify for ${policy.subjectAlternativeName}: ` +
        bad.map(verdictLine).join('; '),
    )
  }
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

/** The rehearsal's verdict: the output, the log's last word, and the step summary. */
export async function reportRehearsal(
  passed: boolean,
  results: AssetResult[],
  wouldPublish: boolean,
  stepSummary: boolean,
): Promise<void> {
  setOutput('rehearsal', passed ? 'passed' : 'failed')
  const files = results.filter((r) => r.source !== 'provenance')
  const provenance = results.find((r) => r.source === 'provenance')
  const count = (status: string) => files.filter((r) => r.status === status).length
  const signed = count('signed') + count('replaced')
  const doing = [
    `sign ${signed} file(s)`,
    `replace ${count('replaced')} bundle(s)`,
    `keep ${count('unchanged') + count('foreign')}`,
    `attach ${signed} bundle(s)`,
    ...(provenance
      ? [`${provenance.status === 'kept' ? 'keep' : 'write'} ${provenance.name}`]
      : []),
    wouldPublish ? 'and publish the release' : 'and not publish the release',
  ].join(', ')
  const line = passed
    ? `Rehearsal passed: a real run would ${doing}.`
    : 'Rehearsal failed: the error below says why. The release was not changed.'
  const log = `The rehearsal's ${signed} signature(s) are real entries in the transparency log (public and permanent on Sigstore's instances); the scratch copy was deleted.`
  info(log)
  info(line)
  if (!stepSummary) return
  await summary
    .addHeading(passed ? 'Rehearsal passed' : 'Rehearsal failed', 2)
    .addRaw(escapeHtml(line), true)
    .addRaw(escapeHtml(log), true)
    .write()
}
