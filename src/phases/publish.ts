// Phase 5: publish the draft, only once every selected asset on it has a
// bundle that this run attached or found verifying (and, when the run signs
// only its own files, every other asset has a bundle beside it). An asset added or
// replaced while the run signed would otherwise be published unsigned, and
// on an immutable release it could never be signed afterwards.
import { info } from '@actions/core'
import { isManagedName } from '../bundle-names.js'
import { UserError } from '../errors.js'
import type { Release, ReleaseApi } from '../github/types.js'
import { matchesPatterns } from '../util/patterns.js'

/** Asset id → the name of the bundle this run attached or kept for it. */
export type Covered = Map<number, string>

export async function publishDraft(
  api: ReleaseApi,
  release: Release,
  covered: Covered,
  patterns: string[],
  bundleSuffix: string,
): Promise<void> {
  if (!release.draft) return info(`${release.tagName} is already published.`)
  const listed = await api.listAssets(release)
  const names = new Set(listed.map((a) => a.name))
  const uncovered = listed.filter((a) => {
    if (isManagedName(a.name)) return false
    const bundle = covered.get(a.id)
    if (bundle) return !names.has(bundle)
    // Selected, yet not signed by this run: added or replaced while it signed.
    if (patterns.length > 0 && matchesPatterns(a.name, patterns)) return true
    // Another job's upload (a build matrix attaching to one draft): it needs
    // a bundle beside it, which that job verified before attaching.
    return patterns.length === 0 && !names.has(`${a.name}${bundleSuffix}`)
  })
  if (uncovered.length > 0) {
    throw new UserError(
      `Did not publish ${release.tagName}: ${uncovered.map((a) => a.name).join(', ')} ` +
        `${uncovered.length === 1 ? 'has' : 'have'} no bundle from this run; ` +
        'it was added or replaced while the run was signing. The release was left as a draft. ' +
        'Re-run to sign it and publish.',
    )
  }
  const published = await api.publishRelease(release.id)
  info(`Published ${published.tagName}: ${published.htmlUrl}`)
}
