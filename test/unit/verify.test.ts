// The bundle verifier reuses a passing certificate-chain check for bundles
// that carry the same certificate and timestamps, and checks everything else
// (digest, signature, log entry, identity policy) on every bundle.
import { createHash } from 'node:crypto'
import { bundleToJSON } from '@sigstore/bundle'
import { Verifier } from '@sigstore/verify'
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest'
import { BundleMaker } from '../../src/sigstore/sign/bundle.js'
import { CertificateSource } from '../../src/sigstore/sign/certificate.js'
import { identityOf, TokenSource } from '../../src/sigstore/sign/id-token.js'
import { EphemeralKey } from '../../src/sigstore/sign/key.js'
import { loadTrustMaterial } from '../../src/sigstore/trust.js'
import { BundleVerifier } from '../../src/sigstore/verify/bundle-verifier.js'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'

type Json = Record<string, unknown>

let stack: Stack
let trust: Awaited<ReturnType<typeof loadTrustMaterial>>
let identity: ReturnType<typeof identityOf>
let made: { json: Json; digest: Buffer }[]

/** The method the verifier wraps; private in @sigstore/verify's types. */
const prototype = Verifier.prototype as unknown as { verifySigningKey: () => unknown }

beforeAll(async () => {
  stack = await startStack()
  const tokens = new TokenSource({
    url: stack.oidc.requestUrl,
    token: stack.oidc.registerJob(releaseJobClaims()),
  })
  identity = identityOf(await tokens.first(), stack.github.serverUrl)
  trust = await loadTrustMaterial({ kind: 'file', path: stack.trustedRootPath }, stack.dir)
  const key = new EphemeralKey()
  const maker = new BundleMaker(
    stackUrls(stack),
    new CertificateSource(stack.fulcio.server.url, key, tokens),
  )
  made = []
  for (const text of ['first asset', 'second asset']) {
    const digest = createHash('sha256').update(text).digest()
    const bundle = await maker.make(digest, key.signDigest(digest))
    made.push({ json: bundleToJSON(bundle) as Json, digest })
  }
})
afterEach(() => vi.restoreAllMocks())
afterAll(async () => {
  vi.unstubAllEnvs()
  await stack.stop()
})

function stackUrls(s: Stack) {
  return { logs: [{ url: s.rekor.server.url, version: 1 as const }], tsaUrls: [] }
}

function first() {
  const entry = made[0]
  if (!entry) throw new Error('no bundle')
  return { json: structuredClone(entry.json), digest: entry.digest }
}

it('wraps a method that @sigstore/verify still has, with the same two parameters', () => {
  // package.json pins @sigstore/verify to patch releases (~); a new minor is
  // taken by hand, and this test says whether the wrapped method survived it.
  expect(typeof prototype.verifySigningKey).toBe('function')
  expect(prototype.verifySigningKey.length).toBe(2)
})

it('checks the certificate chain once for the same certificate and timestamps', () => {
  const spy = vi.spyOn(prototype, 'verifySigningKey')
  const verifier = new BundleVerifier(trust, identity)
  const { json, digest } = first()
  verifier.verify(json, digest)
  verifier.verify(json, digest)
  verifier.verify(first().json, digest)
  expect(spy).toHaveBeenCalledTimes(1)
  for (const other of made) verifier.verify(other.json, other.digest)
})

it('still checks the signature of a bundle whose certificate check is reused', () => {
  const verifier = new BundleVerifier(trust, identity)
  const { json, digest } = first()
  verifier.verify(json, digest)
  const other = made[1]
  if (!other) throw new Error('no bundle')
  // Bundle 1's certificate and log entry, with bundle 2's signature.
  const forged = first().json
  const signature = (other.json.messageSignature as Json).signature
  ;(forged.messageSignature as Json).signature = signature
  expect(() => verifier.verify(forged, digest)).toThrow(/signature|tlog/i)
})

it('never reuses a failed check', () => {
  const spy = vi.spyOn(prototype, 'verifySigningKey')
  const { json, digest } = first()
  const untrusted = { ...trust, certificateAuthorities: [] }
  const verifier = new BundleVerifier(untrusted, identity)
  expect(() => verifier.verify(json, digest)).toThrow()
  expect(() => verifier.verify(json, digest)).toThrow()
  expect(spy).toHaveBeenCalledTimes(2)
})
