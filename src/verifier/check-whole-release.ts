// One check for the whole release, as the CLI's verify-release and the
// verify action run it: every asset against its bundle (or the manifest),
// the provenance and the SBOM attestations (check-release.ts), then GitHub's
// own release attestation (github-release-check.ts), which covers every
// asset at once. Its failure fails the release; a mutable release has none,
// and fails only when immutability is required.
import type { TrustMaterial } from '@sigstore/verify'
import type { Release, ReleaseReads } from '../github/types.js'
import type { BundleVerifier } from '../sigstore/verify/bundle-verifier.js'
import { type VerifyOptions, verifyRelease } from './check-release.js'
import { checkGitHubRelease, type ReleaseVerdict } from './github-release-check.js'
import type { AssetVerdict } from './verdict.js'

export interface ReleaseReport {
  release: ReleaseVerdict
  assets: AssetVerdict[]
}

export interface WholeReleaseOptions extends VerifyOptions {
  /** owner/name. */
  repository: string
  /** GitHub's trusted root, loaded only for an immutable release. */
  githubTrust: () => Promise<TrustMaterial>
  /** Fail a release that is not immutable (it has no release attestation). */
  requireImmutable: boolean
}

export async function checkWholeRelease(
  api: ReleaseReads,
  release: Release,
  verifier: BundleVerifier,
  o: WholeReleaseOptions,
): Promise<ReleaseReport> {
  // One listing for both checks: GitHub's attestation is held to the assets the bundles were.
  const listed = await api.listAssets(release)
  const assets = await verifyRelease(api, release, verifier, o, listed)
  const digests = new Map(assets.flatMap((v) => (v.sha256 ? [[v.name, v.sha256] as const] : [])))
  const github = await checkGitHubRelease(api, release, listed, {
    repository: o.repository,
    trust: o.githubTrust,
    digests,
  })
  const covered = (v: AssetVerdict): AssetVerdict['github'] => {
    const attested = github.subjects.get(v.name)
    if (attested === undefined) return 'not covered'
    return v.sha256 === undefined || v.sha256 === attested ? 'ok' : 'changed since published'
  }
  return {
    release: github.release,
    assets: release.immutable ? assets.map((v) => ({ ...v, github: covered(v) })) : assets,
  }
}
