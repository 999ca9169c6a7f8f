// GitHub's own release attestation, checked beside our bundles: when an
// immutable release is published, GitHub signs one statement over the tag's
// git object and every asset present then. It is found by the tag's sha1,
// verified against GitHub's trusted root (a signed timestamp required, the
// SAN compared exactly, no issuer expected), and only then read: the
// predicate names this repository, tag and purl, the first subject is the
// tag, and the other subjects are exactly the release's assets with their
// SHA-256. What differs is named: an asset added or changed since the
// release was published, or one gone. `gh release verify` checks the same.
import type { TrustMaterial } from '@sigstore/verify'
import { describeError } from '../errors.js'
import { type Asset, listedSha256, type Release, type ReleaseReads } from '../github/types.js'
import { releaseAttestationSan } from '../sigstore/github-instance.js'
import { BundleVerifier, verdictDetail } from '../sigstore/verify/bundle-verifier.js'

const RELEASE_PREDICATES = [
  'https://in-toto.io/attestation/release/v0.1',
  'https://in-toto.io/attestation/release/v0.2',
]

/** What GitHub's attestation says of the release as a whole. */
export interface ReleaseVerdict {
  immutable: boolean
  /** `ok`, `missing`, `not immutable`, or why it fails. */
  githubAttestation: string
  /** How many assets it lists, when it verified. */
  covers?: number
  /** What differs between the attestation and the release, by asset. */
  differs?: string[]
}

export interface GitHubCheck {
  release: ReleaseVerdict
  /** Each asset it lists, with the SHA-256 it gives; empty when it did not verify. */
  subjects: Map<string, string>
}

/**
 * Checks GitHub's attestation of `release`. `digests` are the SHA-256s the
 * consumer's check computed; other assets are held to the digests GitHub
 * lists for them.
 */
export async function checkGitHubRelease(
  api: ReleaseReads,
  release: Release,
  listed: Asset[],
  o: { repository: string; trust: () => Promise<TrustMaterial>; digests: Map<string, string> },
): Promise<GitHubCheck> {
  const none = new Map<string, string>()
  if (!release.immutable)
    return { release: { immutable: false, githubAttestation: 'not immutable' }, subjects: none }
  const fail = (why: string): GitHubCheck => ({
    release: { immutable: true, githubAttestation: why },
    subjects: none,
  })
  const tag = await api.tagObjects(release.tagName)
  if (!tag) return fail(`the release's tag ${release.tagName} does not exist`)
  // gh looks it up by the tag's object; the peeled commit is accepted too.
  const shas = [...new Set([tag.sha, tag.commit])]
  const bundles: unknown[] = []
  for (const sha of shas) bundles.push(...(await api.releaseAttestations(`sha1:${sha}`)))
  if (bundles.length === 0) return fail('missing')
  const verifier = new BundleVerifier(await o.trust(), undefined, { tlog: 0, ctlog: 0 })
  const policy = { subjectAlternativeName: releaseAttestationSan() }
  const problems: string[] = []
  for (const bundle of bundles) {
    const verdict = verifier.checkEnvelope(bundle, policy)
    if (!verdict.ok || !verdict.payload) {
      problems.push(verdict.ok ? 'it is empty' : `${verdict.problem}: ${verdictDetail(verdict)}`)
      continue
    }
    const read = readStatement(verdict.payload, o.repository, release.tagName, shas)
    if ('problem' in read) {
      problems.push(read.problem)
      continue
    }
    const differs = compare(read.subjects, listed, o.digests)
    return {
      release: {
        immutable: true,
        githubAttestation:
          differs.length === 0 ? 'ok' : `the release differs from it: ${differs.join('; ')}`,
        covers: read.subjects.size,
        differs,
      },
      subjects: read.subjects,
    }
  }
  return fail(`GitHub's release attestation does not verify (${problems.join('; ')})`)
}

/** The verified statement's assets, once it is shown to be this release's. */
function readStatement(
  payload: Buffer,
  repository: string,
  tag: string,
  shas: string[],
): { subjects: Map<string, string> } | { problem: string } {
  let statement: {
    predicateType?: unknown
    predicate?: Record<string, unknown>
    subject?: { name?: unknown; uri?: unknown; digest?: Record<string, unknown> }[]
  }
  try {
    statement = JSON.parse(payload.toString('utf8'))
  } catch (error) {
    return { problem: `its statement is not JSON (${describeError(error)})` }
  }
  const purl = `pkg:github/${repository}@${tag}`
  const p = statement.predicate ?? {}
  const same = (a: unknown, b: string) =>
    typeof a === 'string' && a.toLowerCase() === b.toLowerCase()
  if (!RELEASE_PREDICATES.includes(String(statement.predicateType)))
    return { problem: `its predicate type ${String(statement.predicateType)} is not a release's` }
  if (!same(p.repository, repository))
    return { problem: `it is for ${String(p.repository)}, not ${repository}` }
  if (p.tag !== tag) return { problem: `it is for the tag ${String(p.tag)}, not ${tag}` }
  if (!same(p.purl, purl)) return { problem: `its purl is ${String(p.purl)}, not ${purl}` }
  const [first, ...rest] = statement.subject ?? []
  if (!same(first?.uri, purl) || !shas.includes(String(first?.digest?.sha1)))
    return { problem: `its first subject is not the tag ${tag} (${shas.join(' or ')})` }
  const subjects = new Map<string, string>()
  for (const s of rest) {
    if (typeof s.name !== 'string' || typeof s.digest?.sha256 !== 'string')
      return { problem: 'a subject has no name or no SHA-256' }
    subjects.set(s.name, s.digest.sha256.toLowerCase())
  }
  return { subjects }
}

/** Each asset added, changed or gone since the attestation was made. */
function compare(
  subjects: Map<string, string>,
  listed: Asset[],
  digests: Map<string, string>,
): string[] {
  const differs: string[] = []
  const names = new Set<string>()
  for (const asset of listed) {
    names.add(asset.name)
    const attested = subjects.get(asset.name)
    const sha256 = digests.get(asset.name) ?? listedSha256(asset)
    if (attested === undefined)
      differs.push(`${asset.name} was added since the release was published`)
    else if (sha256 !== attested)
      differs.push(`${asset.name} changed since the release was published`)
  }
  for (const name of subjects.keys())
    if (!names.has(name)) differs.push(`${name} is gone since the release was published`)
  return differs
}
