// After publishing a release GitHub made immutable: GitHub's own release
// attestation of it, checked as a consumer's verify-release checks it. GitHub
// makes it as the release is published, so it may take a moment to appear:
// it is asked for again, a few times. One that is missing, or that does not
// list every file on the release (each bundle and the provenance included),
// is a warning naming the files, not a failure: the release is published.
import { info, warning } from '@actions/core'
import { describeError } from '../../errors.js'
import type { Release, ReleaseApi } from '../../github/types.js'
import { loadGitHubTrust } from '../../sigstore/github-instance.js'
import { scaled, sleep } from '../../util/wait.js'
import { checkGitHubRelease } from '../../verifier/github-release-check.js'
import type { AssetResult } from '../run/results.js'

/** Waits before asking again for an attestation GitHub has not made yet. */
const ATTEMPT_WAITS_MS = [2_000, 4_000, 8_000]

export async function checkReleaseAttestation(
  api: ReleaseApi,
  published: Release,
  o: { repo: string; githubTrustedRoot?: string; cacheDir: string },
): Promise<AssetResult> {
  const base = {
    name: `${published.tagName} (GitHub's release attestation)`,
    source: 'github' as const,
    size: 0,
    sha256: '',
    bundle: '',
    logIndex: null,
  }
  try {
    const trust = () => loadGitHubTrust(o.githubTrustedRoot, o.cacheDir)
    for (let attempt = 0; ; attempt++) {
      const listed = await api.listAssets(published)
      const { release } = await checkGitHubRelease(api, published, listed, {
        repository: o.repo,
        trust,
        digests: new Map(),
      })
      const wait = ATTEMPT_WAITS_MS[attempt]
      if (release.githubAttestation === 'missing' && wait !== undefined) {
        info(`GitHub has no release attestation of ${published.tagName} yet; asking again.`)
        await sleep(scaled(wait))
        continue
      }
      if (release.githubAttestation === 'ok') {
        info(
          `GitHub's release attestation of ${published.tagName} verifies and covers ${release.covers} files, every bundle and the provenance included.`,
        )
        return { ...base, status: 'verified', covers: release.covers }
      }
      const why =
        release.githubAttestation === 'missing'
          ? 'GitHub made no release attestation of it'
          : release.githubAttestation
      warning(
        `${published.tagName} is published and immutable, but ${why}. Consumers' gh release verify and verify-release --require-immutable will fail it.`,
      )
      return {
        ...base,
        status: 'incomplete',
        error: why,
        cause: why.slice(0, 80),
        covers: release.covers,
      }
    }
  } catch (error) {
    const why = describeError(error).split('\n')[0] ?? ''
    warning(`Could not check GitHub's release attestation of ${published.tagName}: ${why}`)
    return { ...base, status: 'incomplete', error: why, cause: why.slice(0, 80) }
  }
}
