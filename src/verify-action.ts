// Entry point of the verify action (verify/action.yml): checks every selected
// asset of a release against its bundle and the release's provenance, for the
// identity the consumer expects, and fails the step unless all of them verify.
import { tmpdir } from 'node:os'
import path from 'node:path'
import { getInput, info, setFailed, setOutput, summary } from '@actions/core'
import { describeError, InputError, UserError } from './errors.js'
import { bool } from './input-values.js'
import { DEFAULT_MANIFEST, provenanceName } from './release-names.js'
import { loadGitHubTrust } from './sigstore/github-instance.js'
import { INSTANCES } from './sigstore/instances.js'
import { loadTrustMaterial } from './sigstore/trust.js'
import { BundleVerifier, type IdentityPolicy } from './sigstore/verify/bundle-verifier.js'
import { escapeHtml } from './util/html.js'
import { splitList } from './util/patterns.js'
import { identityPolicy } from './verifier/identity-policy.js'
import { type AssetVerdict, releaseFails, releaseLine, verdictLine } from './verifier/verdict.js'

async function main(): Promise<void> {
  const [owner, repo, ...more] = getInput('repository').trim().split('/')
  if (!owner || !repo || more.length > 0)
    throw new InputError('repository', 'must be owner/name, such as octo-org/octo-repo.')
  const tag = getInput('tag').trim()
  if (!tag) throw new InputError('tag', "is required: the release's tag, such as v1.2.3.")
  const policy = policyFromInputs()
  const staging = getInput('staging').trim() === 'true'
  const trustedRoot = getInput('trusted-root').trim()
  const instance = INSTANCES[staging ? 'staging' : 'public-good']
  const trust = await loadTrustMaterial(
    trustedRoot ? { kind: 'file', path: trustedRoot } : { kind: 'tuf', mirror: instance.tufMirror },
    path.join(process.env.RUNNER_TEMP || tmpdir(), 'sign-release-verify'),
  )
  // Imported only now: @actions/github reads the event file as it loads.
  const { GitHubReleaseReader } = await import('./github/release-reader.js')
  const { checkWholeRelease } = await import('./verifier/check-whole-release.js')
  const api = new GitHubReleaseReader({
    token: getInput('github-token').trim(),
    owner,
    repo,
    apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl: process.env.GITHUB_SERVER_URL || 'https://github.com',
    publicRepository: false,
  })
  const release = await api.findReleaseByTag(tag)
  if (!release) throw new UserError(`${owner}/${repo} has no release tagged ${tag}.`)
  const patterns = splitList(getInput('assets'))
  const requireImmutable = bool((name) => getInput(name), 'require-immutable')
  const githubTrustedRoot = getInput('github-trusted-root').trim() || undefined
  const report = await checkWholeRelease(api, release, new BundleVerifier(trust), {
    patterns: patterns.length > 0 ? patterns : ['*'],
    bundleSuffix: getInput('bundle-suffix').trim() || '.sigstore.json',
    checksums: getInput('checksums').trim() || DEFAULT_MANIFEST,
    policy,
    concurrency: 8,
    provenance: provenanceName(repo, tag),
    requireProvenance: bool((name) => getInput(name), 'require-provenance'),
    requireSbom: bool((name) => getInput(name), 'require-sbom'),
    repository: `${owner}/${repo}`,
    githubTrust: () =>
      loadGitHubTrust(
        githubTrustedRoot,
        path.join(process.env.RUNNER_TEMP || tmpdir(), 'sign-release-verify'),
      ),
    requireImmutable,
  })
  const verdicts = report.assets
  setOutput('results', JSON.stringify(verdicts))
  setOutput('release', JSON.stringify(report.release))
  for (const v of verdicts) info(verdictLine(v))
  const whole = releaseLine(report.release, requireImmutable)
  info(whole)
  await writeSummary(`${owner}/${repo}`, tag, verdicts, whole)
  const bad = verdicts.filter((v) => v.status !== 'ok')
  if (verdicts.length === 0) throw new InputError('assets', `no asset of ${tag} matches.`)
  if (bad.length > 0) {
    throw new UserError(
      `${bad.length} of ${verdicts.length} asset(s) of ${tag} did not verify:\n${bad.map(verdictLine).join('\n')}`,
    )
  }
  if (releaseFails(report.release, requireImmutable)) throw new UserError(`${tag}: ${whole}`)
  info(`All ${verdicts.length} asset(s) of ${tag} verify.`)
}

function policyFromInputs(): IdentityPolicy {
  const given = (name: string) => getInput(name).trim() || undefined
  return identityPolicy(
    {
      exact: given('certificate-identity'),
      pattern: given('certificate-identity-regexp'),
      issuer: given('certificate-oidc-issuer'),
    },
    (problem) => {
      if (problem === 'both') {
        return new InputError(
          'certificate-identity',
          'cannot be combined with certificate-identity-regexp; give one of them.',
        )
      }
      if (problem === 'neither') {
        return new InputError(
          'certificate-identity',
          'or certificate-identity-regexp is required: no signer is accepted by default. ' +
            'Give the workflow identity that signs the releases, as the signing step summary shows it.',
        )
      }
      return new InputError(
        'certificate-identity-regexp',
        `is not a regular expression: ${describeError(problem.badPattern)}`,
      )
    },
  )
}

/** ok, missing, another identity's (named), or fails. */
function provenanceCell(v: AssetVerdict): string {
  if (v.provenance === 'foreign') return `another identity's: ${v.provenanceSigner ?? ''}`
  return v.provenance === 'ok' || v.provenance === 'missing' ? v.provenance : 'fails'
}

async function writeSummary(
  repo: string,
  tag: string,
  verdicts: AssetVerdict[],
  whole: string,
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await summary
    .addHeading(`Verified ${escapeHtml(repo)} ${escapeHtml(tag)}`, 2)
    .addRaw(`<p>${escapeHtml(whole)}</p>`, true)
    .addTable([
      [
        { data: 'Asset', header: true },
        { data: 'Result', header: true },
        { data: 'Provenance', header: true },
        { data: 'SBOM', header: true },
        { data: 'Signed by / why', header: true },
      ],
      ...verdicts.map((v) => [
        escapeHtml(v.name),
        v.status,
        escapeHtml(provenanceCell(v)),
        escapeHtml(
          v.sbom === 'ok' ? (v.sbomBy ?? 'ok') : v.sbom === 'missing' ? 'missing' : 'fails',
        ),
        escapeHtml(v.status === 'ok' ? (v.signer ?? '') : (v.detail ?? '')),
      ]),
    ])
    .write()
}

try {
  await main()
} catch (error) {
  setFailed(describeError(error))
}
