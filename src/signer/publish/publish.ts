// Publish the draft, only once every selected asset on it has a
// bundle that this run attached or found verifying (and, when the run signs
// only its own files, every other asset has a bundle beside it). An asset added or
// replaced while the run signed would otherwise be published unsigned, and
// on an immutable release it could never be signed afterwards.
import { info } from '@actions/core'
import { UserError } from '../../errors.js'
import type { Asset, Release, ReleaseApi } from '../../github/types.js'
import { isManagedName } from '../../release-names.js'
import { matchesPatterns } from '../../util/patterns.js'
import type { Covered } from '../run/items.js'

export async function publishDraft(
  api: ReleaseApi,
  release: Release,
  covered: Covered,
  patterns: string[],
  bundleSuffix: string,
  /** The assets as the run first listed them. */
  before: Asset[],
  /** Only say whether it would publish (a rehearsal's copy is never published). */
  checkOnly = false,
): Promise<Release | undefined> {
  if (!release.draft) {
    info(`${release.tagName} is already published.`)
    return undefined
  }
  const listed = await api.listAssets(release)
  const names = new Set(listed.map((a) => a.name))
  const wasThere = new Set(before.map((a) => a.id))
  const why = new Map<string, string[]>()
  const refuse = (reason: string, name: string) =>
    why.set(reason, [...(why.get(reason) ?? []), name])
  for (const a of listed) {
    if (isManagedName(a.name)) continue
    const bundle = covered.get(a.id)
    if (bundle) {
      if (!names.has(bundle)) refuse(`its bundle ${bundle} is no longer on the release`, a.name)
    } else if (patterns.length > 0) {
      // Selected, yet not signed by this run: added or replaced while it signed.
      if (matchesPatterns(a.name, patterns)) {
        refuse(
          'has no bundle from this run; it was added or replaced while the run was signing',
          a.name,
        )
      }
    } else if (!names.has(`${a.name}${bundleSuffix}`)) {
      // A run that signs only its own files leaves the others to their own
      // jobs (a build matrix attaching to one draft): each needs a bundle beside it.
      refuse(
        wasThere.has(a.id)
          ? 'has no bundle beside it; it was on the release before this run, which signs only its own files ' +
              "(files, source-archive). Add assets: '*', or a pattern that names it, to sign it in this run"
          : 'has no bundle beside it; it was added while this run was signing (another job still at work?)',
        a.name,
      )
    }
  }
  if (why.size > 0) {
    const reasons = [...why].map(([reason, list]) => `${list.join(', ')} ${reason}`)
    throw new UserError(
      `Did not publish ${release.tagName}: ${reasons.join('; ')}. The release was left as a draft. ` +
        'Re-run to sign and publish once every asset has its bundle.',
    )
  }
  if (checkOnly) {
    info(`Every asset has its bundle: a real run would publish ${release.tagName}.`)
    return undefined
  }
  const published = await api.publishRelease(release.id)
  info(`Published ${published.tagName}: ${published.htmlUrl}`)
  return published
}
