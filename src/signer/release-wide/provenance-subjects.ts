// What the provenance lists, besides the files this run signed or kept:
// assets an earlier run of this workflow signed (a run narrowed with
// `assets`), and what the provenance on the release lists that still holds.
// Together they make sure a provenance never lists fewer files than before.
import { info } from '@actions/core'
import { hashAsset } from '../../github/hash-asset.js'
import { readSmallAsset } from '../../github/small-asset.js'
import { type Asset, listedSha256, type ReleaseApi } from '../../github/types.js'
import { isManagedName } from '../../release-names.js'
import type { Subject } from '../../slsa-provenance.js'
import { mapSettled } from '../../util/pool.js'
import { CONCURRENCY } from '../run/concurrency.js'
import type { Signing } from '../sign/sign-files.js'

/**
 * The subjects of `before` that `now` does not list and that still hold:
 * the release has that asset, and GitHub lists the same SHA-256 for it.
 */
export function stillTrueUncovered(before: Subject[], now: Subject[], listed: Asset[]): Subject[] {
  const covered = new Set(now.map((s) => s.name))
  const byName = new Map(listed.map((a) => [a.name, a]))
  return before.filter((s) => {
    const asset = byName.get(s.name)
    return !covered.has(s.name) && asset !== undefined && listedSha256(asset) === s.sha256
  })
}

export function describeNames(subjects: Subject[]): string {
  const names = subjects.map((s) => s.name)
  const shown = names.slice(0, 5).join(', ')
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown
}

/**
 * Assets the run did not select (a run narrowed with `assets`) whose bundle
 * verifies for this run's identity: an earlier run of this workflow signed
 * them, and the provenance keeps covering them. A default run selects every
 * asset, so there is nothing to read.
 */
export async function signedEarlier(r: {
  api: ReleaseApi
  planned: string[]
  listed: Asset[]
  bundleSuffix: string
  signing: Signing
}): Promise<Subject[]> {
  const planned = new Set(r.planned)
  const byName = new Map(r.listed.map((a) => [a.name, a]))
  const others = r.listed.flatMap((asset) => {
    const bundle = byName.get(`${asset.name}${r.bundleSuffix}`)
    if (planned.has(asset.name) || isManagedName(asset.name) || asset.state !== 'uploaded')
      return []
    return bundle ? [{ asset, bundle }] : []
  })
  const settled = await mapSettled(others, CONCURRENCY, async ({ asset, bundle }) => {
    const listed = listedSha256(asset)
    const digest = listed ? Buffer.from(listed, 'hex') : await hashAsset(r.api, asset)
    const data = await readSmallAsset(r.api, bundle)
    try {
      // A bundle that does not verify, or names another identity, covers nothing of ours.
      if (r.signing.verifier.inspect(JSON.parse(data.toString('utf8')), digest).foreign) return []
    } catch {
      return []
    }
    return [{ name: asset.name, sha256: digest.toString('hex') }]
  })
  // A read that failed is no verdict: the provenance is not written without it.
  const failed = settled.find((s) => !s.ok)
  if (failed && !failed.ok) throw failed.error
  const found = settled.flatMap((s) => (s.ok ? s.value : []))
  if (found.length > 0)
    info(
      `The provenance also covers ${found.length} asset(s) an earlier run of this workflow signed.`,
    )
  return found
}
