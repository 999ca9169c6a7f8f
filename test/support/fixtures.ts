// Releases to sign, bundles made outside the action, and an independent check
// of what ended up on releases.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { type Bundle, bundleFromJSON, toMessageSignatureBundle } from '@sigstore/bundle'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import {
  toSignedEntity,
  toTrustMaterial,
  type VerificationPolicy,
  Verifier,
} from '@sigstore/verify'
import { EphemeralKey } from '../../src/sigstore/sign/key.js'
import { RekorClient } from '../../src/sigstore/sign/rekor.js'
import type { Content } from '../stack/github/content.js'
import type { ReleaseRecord } from '../stack/github/state.js'
import type { Stack } from '../stack/index.js'
import { GITHUB_ISSUER, type JobClaims } from '../stack/oidc.js'

export interface SeedOptions {
  claims: JobClaims
  tag?: string
  draft?: boolean
  immutableRepo?: boolean
  privateRepo?: boolean
  assets: Record<string, Content | string>
}

export async function seedRelease(stack: Stack, options: SeedOptions): Promise<ReleaseRecord> {
  const [owner = '', repo = ''] = options.claims.repository.split('/')
  if (!stack.github.state.repo(owner, repo)) {
    stack.github.state.addRepo(owner, repo, {
      immutableReleases: options.immutableRepo,
      private: options.privateRepo,
    })
  }
  const release = stack.github.state.createRelease(owner, repo, {
    tag_name: options.tag ?? 'v1.0.0',
    name: options.tag ?? 'v1.0.0',
    draft: options.draft ?? false,
  })
  for (const [name, content] of Object.entries(options.assets)) {
    const source: Content =
      typeof content === 'string' ? { kind: 'bytes', data: Buffer.from(content) } : content
    await stack.github.state.addAsset(release, name, source)
  }
  return release
}

/** The payload of a `release` event for a release, as GitHub sends it. */
export function releaseEvent(release: ReleaseRecord, action = 'published', isPrivate = false) {
  return {
    action,
    release: { id: release.id, tag_name: release.tagName, draft: release.draft },
    repository: { full_name: `${release.owner}/${release.repo}`, private: isPrivate },
  }
}

export function identityOf(stack: Stack, claims: JobClaims): string {
  return `${stack.github.serverUrl}/${claims.job_workflow_ref}`
}

/**
 * Verifies every bundle on the release with @sigstore/verify's stock path
 * (the whole artifact in memory), independent of the action's own verifier.
 * Returns the names of the assets that have a valid bundle.
 */
export async function verifyAttachedBundles(
  stack: Stack,
  release: ReleaseRecord,
  identity: string,
  suffix = '.sigstore.json',
): Promise<string[]> {
  const verifier = stackVerifier(stack)
  const verified: string[] = []
  for (const bundleAsset of release.assets.filter((a) => a.name.endsWith(suffix))) {
    const subjectName = bundleAsset.name.slice(0, -suffix.length)
    const subject = release.assets.find((a) => a.name === subjectName)
    if (!subject) throw new Error(`bundle ${bundleAsset.name} has no asset ${subjectName}`)
    if (subject.content.kind !== 'bytes' || bundleAsset.content.kind !== 'bytes') {
      throw new Error('only in-memory assets can be verified with the stock verifier')
    }
    const bundle = bundleFromJSON(JSON.parse(bundleAsset.content.data.toString('utf8')))
    verifier.verify(toSignedEntity(bundle, subject.content.data), workflowPolicy(identity))
    verified.push(subjectName)
  }
  return verified.sort()
}

/** A SAN policy that matches exactly this identity (the verifier takes a regular expression). */
export function exactly(identity: string): RegExp {
  return new RegExp(`^${identity.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
}

/** The policy a consumer verifies with: this exact workflow identity, from GitHub's OIDC issuer. */
export function workflowPolicy(identity: string): VerificationPolicy {
  return { subjectAlternativeName: exactly(identity), extensions: { issuer: GITHUB_ISSUER } }
}

/** @sigstore/verify's Verifier, trusting the stack's trusted_root.json, with every check required. */
export function stackVerifier(stack: Stack): Verifier {
  const root = TrustedRoot.fromJSON(JSON.parse(readFileSync(stack.trustedRootPath, 'utf8')))
  return new Verifier(toTrustMaterial(root), {
    tlogThreshold: 1,
    ctlogThreshold: 1,
    timestampThreshold: 1,
  })
}

/**
 * A bundle signed with a managed key (no certificate: a key hint), over the
 * SHA-256 of `text`, with its entry in the stack's Rekor v1.
 */
export async function managedKeyBundle(
  stack: Stack,
  text: string,
): Promise<{ key: EphemeralKey; digest: Buffer; bundle: Bundle }> {
  const key = new EphemeralKey()
  const digest = createHash('sha256').update(text).digest()
  const signature = key.signDigest(digest)
  const bundle = toMessageSignatureBundle({ digest, signature, keyHint: 'release-key' })
  bundle.verificationMaterial.tlogEntries = [
    await new RekorClient(stack.rekor.server.url).addHashedRekord(
      digest,
      signature,
      key.publicKeyPem,
    ),
  ]
  return { key, digest, bundle }
}

/** What a provenance file on a release says, once checked independently. */
export interface CheckedProvenance {
  name: string
  statement: {
    _type: string
    predicateType: string
    subject: { name: string; digest: { sha256: string } }[]
    predicate: Record<string, unknown>
  }
  bundle: Bundle
}

/**
 * Checks the release's one `.intoto.jsonl` with @sigstore/verify's stock
 * path, independent of the action's own verifier: one JSON line ending in a
 * newline, a DSSE bundle valid for `identity`, and every subject the SHA-256
 * of the asset of that name on the release.
 */
export function verifyProvenanceFile(
  stack: Stack,
  release: ReleaseRecord,
  identity: string,
  /** The attestation to check, when the release has more than one (SBOM attestations). */
  name?: string,
): CheckedProvenance {
  const files = release.assets.filter((a) =>
    name ? a.name === name : a.name.endsWith('.intoto.jsonl'),
  )
  if (files.length !== 1) throw new Error(`want one .intoto.jsonl, found ${files.length}`)
  const file = files[0] as (typeof files)[number]
  if (file.content.kind !== 'bytes') throw new Error('the provenance is not held in memory')
  const text = file.content.data.toString('utf8')
  if (!text.endsWith('\n') || text.indexOf('\n') !== text.length - 1)
    throw new Error('the provenance is not one line ending in a newline')
  const bundle = bundleFromJSON(JSON.parse(text))
  stackVerifier(stack).verify(toSignedEntity(bundle), workflowPolicy(identity))
  if (bundle.content.$case !== 'dsseEnvelope') throw new Error('not a DSSE bundle')
  const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8'))
  for (const subject of statement.subject as CheckedProvenance['statement']['subject']) {
    const asset = release.assets.find((a) => a.name === subject.name)
    if (asset?.content.kind !== 'bytes') throw new Error(`no asset ${subject.name}`)
    const sha256 = createHash('sha256').update(asset.content.data).digest('hex')
    if (sha256 !== subject.digest.sha256) throw new Error(`${subject.name}: another digest`)
  }
  return { name: file.name, statement, bundle }
}
