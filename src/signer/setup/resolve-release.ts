// Find the release to sign, always re-read from the API (an event
// payload can be stale), drafts included. An immutable release is refused
// later, and only if it needs work (see immutableRefusal).
import { info } from '@actions/core'
import { UserError } from '../../errors.js'
import type { Release, ReleaseApi, Visibility } from '../../github/types.js'
import type { SigstoreInputs } from '../../sigstore/options.js'
import { checkVisibility } from '../../sigstore/visibility-guard.js'
import type { ReleaseTarget } from './preflight.js'

/**
 * The phase: the release, and the repository's visibility checked against
 * the Sigstore instance (a public log must not name a private repository
 * unless the user allows it).
 */
export async function resolvePhase(
  api: ReleaseApi,
  target: ReleaseTarget,
  repo: string,
  sigstore: SigstoreInputs,
  visibility: Visibility | undefined,
): Promise<Release> {
  const release = await resolveRelease(api, target, repo)
  await checkVisibility(sigstore, api, repo, visibility)
  return release
}

export async function resolveRelease(
  api: ReleaseApi,
  target: ReleaseTarget,
  repo: string,
): Promise<Release> {
  const release =
    target.kind === 'id' ? await api.getRelease(target.id) : await api.findReleaseByTag(target.tag)
  if (!release) {
    throw new UserError(
      target.kind === 'id'
        ? `The release from the event (id ${target.id}, tag ${target.tag}) was not found in ${repo}. It may have been deleted.`
        : `No release with tag '${target.tag}' in ${repo} (looked at published releases and at drafts visible to the token). ` +
            "Create the release first, or correct the 'tag' input. Drafts are visible only to a token with contents: write.",
    )
  }
  info(
    `Release ${release.tagName} (id ${release.id}${release.draft ? ', draft' : ''}${release.immutable ? ', immutable' : ''}): ${release.htmlUrl}`,
  )
  return release
}

/**
 * An immutable release can be checked but not changed: a run with nothing to
 * sign succeeds, one with work to do is refused before any certificate or log entry.
 */
export function immutableRefusal(release: Release, repo: string): UserError {
  return new UserError(
    `Release ${release.tagName} in ${repo} is immutable: its assets can no longer be added or changed, so it cannot be signed. ` +
      "With immutable releases, create the release as a draft, upload its assets, run this action on the draft with 'publish: true', " +
      'and it publishes the release once every bundle is attached.',
  )
}
