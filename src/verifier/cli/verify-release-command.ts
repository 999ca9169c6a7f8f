// `sign-release verify-release`: every selected asset of a GitHub release
// against the bundle beside it, and the release's provenance, for the
// identity the consumer expects.

import { tmpdir } from 'node:os'
import path from 'node:path'
import { messageOf, UserError } from '../../errors.js'
import { DEFAULT_MANIFEST, provenanceName } from '../../release-names.js'
import { GITHUB_ISSUER } from '../../sigstore/certificate-identity.js'
import { loadGitHubTrust } from '../../sigstore/github-instance.js'
import { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import { splitList } from '../../util/patterns.js'
import { identityPolicy } from '../identity-policy.js'
import { releaseFails, releaseLine, verdictLine } from '../verdict.js'
import { type Command, UsageError, type Values } from './args.js'
import { TRUSTED_ROOT_DEFAULT, trustFor } from './trust-options.js'

const DEFAULT_API_URL = 'https://api.github.com'
const DEFAULT_SUFFIX = '.sigstore.json'

export const verifyReleaseCli: Command = {
  name: 'verify-release',
  summary: 'verify every asset of a GitHub release against the bundle beside it',
  usage: [
    'verify-release --tag TAG [--repo OWNER/REPO] --certificate-identity IDENTITY [options]',
    'verify-release --tag TAG [--repo OWNER/REPO] --certificate-identity-regexp REGEXP [options]',
  ],
  flags: [
    { name: 'tag', value: 'TAG', help: "The release's tag, such as v1.2.3. Required." },
    {
      name: 'repo',
      value: 'OWNER/REPO',
      help: 'The repository the release belongs to.',
      default: 'GITHUB_REPOSITORY',
    },
    {
      name: 'certificate-identity',
      value: 'IDENTITY',
      help: 'The exact identity every bundle must name, such as https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/tags/v1.2.3. This or --certificate-identity-regexp is required: no signer is accepted by default.',
    },
    {
      name: 'certificate-identity-regexp',
      value: 'REGEXP',
      help: 'A regular expression the identity must match, such as ^https://github\\.com/OWNER/REPO/\\.github/workflows/release\\.yml@refs/tags/v.',
    },
    {
      name: 'certificate-oidc-issuer',
      value: 'URL',
      help: 'The OIDC issuer the identity must come from.',
      default: GITHUB_ISSUER,
    },
    {
      name: 'assets',
      value: 'PATTERNS',
      help: 'Asset names to check: glob patterns, comma-separated; !pattern excludes.',
      default: 'every asset but the bundles',
    },
    {
      name: 'bundle-suffix',
      value: 'SUFFIX',
      help: 'What a bundle name adds to its asset name (.sigstore for older releases).',
      default: DEFAULT_SUFFIX,
    },
    {
      name: 'checksums',
      value: 'NAME',
      help: 'The signed checksums manifest that covers assets without a bundle of their own (a release signed with bundles: manifest).',
      default: DEFAULT_MANIFEST,
    },
    {
      name: 'trusted-root',
      value: 'FILE',
      help: 'A trusted_root.json to verify against.',
      default: TRUSTED_ROOT_DEFAULT,
    },
    { name: 'staging', help: "Trust Sigstore's staging instance instead of public-good." },
    {
      name: 'require-provenance',
      help: "Fail assets that the release's provenance (<repo>-<tag>.intoto.jsonl) does not cover. Without it, a provenance the release has is checked all the same.",
    },
    {
      name: 'github-trusted-root',
      value: 'FILE',
      help: "GitHub's own trusted root (as `gh attestation trusted-root` writes it), to check an immutable release's release attestation offline.",
      default: "the one GitHub's TUF repository distributes (https://tuf-repo.github.com)",
    },
    {
      name: 'require-immutable',
      help: "Fail a release that is not immutable: it has no release attestation from GitHub. Without it, an immutable release's attestation is checked all the same.",
    },
    {
      name: 'require-sbom',
      help: 'Fail assets that no SBOM attestation on the release (<sbom>.intoto.jsonl) covers; SBOMs and the checksums manifest need none. Without it, the SBOM attestations the release has are checked all the same.',
    },
    {
      name: 'json',
      help: 'Print one JSON object instead of lines: release (immutable, githubAttestation, covers, differs) and assets, one verdict each (name, bundle, status, detail, signer, sha256, provenance, sbom, sbomBy, github).',
    },
  ],
  env: [
    {
      name: 'GITHUB_TOKEN, GH_TOKEN',
      help: 'A token to read the release with: needed for private repositories and drafts, and it raises the rate limit (60 requests an hour without).',
    },
    { name: 'GITHUB_REPOSITORY', help: 'The repository, when --repo is not given.' },
    {
      name: 'GITHUB_API_URL',
      help: `GitHub's API, for GitHub Enterprise Server. Default: ${DEFAULT_API_URL}.`,
    },
    {
      name: 'TMPDIR',
      help: 'Where the TUF metadata is cached (sign-release-cli/ under the system temporary folder).',
    },
    {
      name: 'HTTPS_PROXY',
      help: 'A proxy for GitHub and the TUF repository, with NODE_USE_ENV_PROXY=1.',
    },
  ],
  run: verifyRelease,
}

async function verifyRelease(values: Values): Promise<number> {
  // Every argument is checked before anything is fetched.
  const tag = values.tag as string | undefined
  if (!tag) throw new UsageError("--tag is required: the release's tag, such as v1.2.3")
  const repository = (values.repo as string | undefined) ?? process.env.GITHUB_REPOSITORY
  if (!repository) {
    throw new UsageError('--repo is required (OWNER/REPO) when GITHUB_REPOSITORY is not set')
  }
  const [owner, repo, ...more] = repository.split('/')
  if (!owner || !repo || more.length > 0) {
    const from = values.repo ? '--repo' : 'GITHUB_REPOSITORY'
    throw new UsageError(
      `${from} must be OWNER/REPO, such as octo-org/octo-repo, not '${repository}'`,
    )
  }
  const policy = identityPolicy(
    {
      exact: values['certificate-identity'] as string | undefined,
      pattern: values['certificate-identity-regexp'] as string | undefined,
      issuer: values['certificate-oidc-issuer'] as string | undefined,
    },
    (problem) =>
      new UsageError(
        problem === 'both'
          ? 'give --certificate-identity or --certificate-identity-regexp, not both'
          : problem === 'neither'
            ? 'give --certificate-identity or --certificate-identity-regexp: no signer is accepted by default'
            : `--certificate-identity-regexp is not a regular expression: ${messageOf(problem.badPattern)}`,
      ),
  )
  const patterns = splitList(values.assets as string | undefined)

  const trust = await trustFor(
    values['trusted-root'] as string | undefined,
    values.staging === true,
  )
  const githubTrustedRoot = values['github-trusted-root'] as string | undefined
  const requireImmutable = values['require-immutable'] === true
  // Imported only now: the GitHub client is most of what this command loads.
  const { GitHubReleaseReader } = await import('../../github/release-reader.js')
  const { checkWholeRelease } = await import('../check-whole-release.js')
  const api = new GitHubReleaseReader({
    token: process.env.GITHUB_TOKEN || process.env.GH_TOKEN || '',
    owner,
    repo,
    apiUrl: process.env.GITHUB_API_URL || DEFAULT_API_URL,
    // It only reads: no write is ever paced.
    serverUrl: 'https://github.com',
    publicRepository: false,
  })
  const release = await api.findReleaseByTag(tag)
  if (!release) throw new UserError(`${owner}/${repo} has no release tagged ${tag}`)
  const report = await checkWholeRelease(api, release, new BundleVerifier(trust), {
    patterns: patterns.length > 0 ? patterns : ['*'],
    bundleSuffix: (values['bundle-suffix'] as string | undefined) ?? DEFAULT_SUFFIX,
    checksums: (values.checksums as string | undefined) ?? DEFAULT_MANIFEST,
    policy,
    concurrency: 8,
    provenance: provenanceName(repo, tag),
    requireProvenance: values['require-provenance'] === true,
    requireSbom: values['require-sbom'] === true,
    repository: `${owner}/${repo}`,
    githubTrust: () =>
      loadGitHubTrust(githubTrustedRoot, path.join(tmpdir(), 'sign-release-cli', 'github')),
    requireImmutable,
  })
  const verdicts = report.assets
  if (values.json) console.log(JSON.stringify(report, null, 2))
  else {
    for (const v of verdicts) console.log(verdictLine(v))
    console.log(releaseLine(report.release, requireImmutable))
  }
  if (verdicts.length === 0) {
    console.error(`no asset of ${tag} matches the patterns`)
    return 1
  }
  const ok = verdicts.every((v) => v.status === 'ok')
  return ok && !releaseFails(report.release, requireImmutable) ? 0 : 1
}
