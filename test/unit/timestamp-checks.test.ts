// The bundle verifier checks each timestamp authority's certificate chain
// once, and every timestamp in full: after the chain check is kept, a
// timestamp from an authority not in the trusted root, one outside the
// authority's validFor, and one over another signature are still refused.
import { createHash, generateKeyPairSync } from 'node:crypto'
import { bundleToJSON } from '@sigstore/bundle'
import { initializeTSA } from '@sigstore/mock'
import { Verifier } from '@sigstore/verify'
import { CertificateChainVerifier } from '@sigstore/verify/dist/key/certificate.js'
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest'
import { BundleMaker } from '../../src/sigstore/sign/bundle.js'
import { CertificateSource } from '../../src/sigstore/sign/certificate.js'
import { identityOf, TokenSource } from '../../src/sigstore/sign/id-token.js'
import { EphemeralKey } from '../../src/sigstore/sign/key.js'
import { loadTrustMaterial } from '../../src/sigstore/trust.js'
import { BundleVerifier } from '../../src/sigstore/verify/bundle-verifier.js'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'

// biome-ignore lint/suspicious/noExplicitAny: bundles are edited as plain JSON
type Json = any

let stack: Stack
let trust: Awaited<ReturnType<typeof loadTrustMaterial>>
let identity: ReturnType<typeof identityOf>
/** Two timestamped bundles, made 1.6 s apart: the TSA's clock is whole seconds, so their times differ by more than 0.5 s. */
const made: { json: Json; digest: Buffer; at: Date }[] = []

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
    {
      logs: [{ url: stack.rekor.server.url, version: 1 }],
      tsaUrls: [`${stack.tsa.server.url}/api/v1/timestamp`],
    },
    new CertificateSource(stack.fulcio.server.url, key, tokens),
  )
  for (const text of ['first asset', 'second asset']) {
    if (made.length > 0) await new Promise((resolve) => setTimeout(resolve, 1_600))
    const digest = createHash('sha256').update(text).digest()
    made.push({
      json: bundleToJSON(await maker.make(digest, key.signDigest(digest))),
      digest,
      at: new Date(),
    })
  }
})
afterEach(() => vi.restoreAllMocks())
afterAll(() => stack.stop())

const copy = (i: number) => {
  const entry = made[i] as { json: Json; digest: Buffer; at: Date }
  return { json: structuredClone(entry.json), digest: Buffer.from(entry.digest), at: entry.at }
}
const timestampOf = (json: Json): string =>
  json.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp

it('replaces a method that @sigstore/verify still has, with the same parameter', () => {
  const prototype = Verifier.prototype as unknown as { verifyTimestamps: () => unknown }
  expect(typeof prototype.verifyTimestamps).toBe('function')
  expect(prototype.verifyTimestamps.length).toBe(1)
})

it("checks the timestamp authority's chain once, however many timestamps", () => {
  const spy = vi.spyOn(CertificateChainVerifier.prototype, 'verify')
  const verifier = new BundleVerifier(trust, identity)
  for (const i of [0, 1, 0, 1]) verifier.verify(copy(i).json, copy(i).digest)
  const tsaLeaf = trust.timestampAuthorities[0]?.certChain[0]
  const tsaChecks = spy.mock.contexts.filter(
    (c) => (c as unknown as { untrustedCert: unknown }).untrustedCert === tsaLeaf,
  )
  expect(tsaChecks).toHaveLength(1)
})

it('refuses, once the chain check is kept, a timestamp from an authority not in the trusted root', async () => {
  const verifier = new BundleVerifier(trust, identity)
  verifier.verify(copy(0).json, copy(0).digest)
  // Another TSA with the same names (the mock's), over this very signature.
  const other = await initializeTSA(generateKeyPairSync('ec', { namedCurve: 'P-256' }) as never)
  // Whole seconds, as the stack's TSA: the mock's fractions sometimes have two digits, which
  // @sigstore/core refuses to parse, and the refusal would come for that reason instead.
  ;(other as unknown as { getCurrentTime: () => Date }).getCurrentTime = () =>
    new Date(Math.floor(Date.now() / 1000) * 1000)
  const { json, digest } = copy(0)
  const signature = Buffer.from(json.messageSignature.signature, 'base64')
  const response = await other.timestamp({
    artifactHash: createHash('sha256').update(signature).digest(),
    hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
    nonce: 1,
    policyOID: '1.3.6.1.4.1.57264.2',
  })
  json.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp =
    Buffer.from(response.buffer, response.byteOffset, response.byteLength).toString('base64')
  expect(() => verifier.verify(json, digest)).toThrow(/timestamp could not be verified/)
})

it("refuses, once the chain check is kept, a timestamp outside the authority's validFor", () => {
  const first = copy(0)
  const second = copy(1)
  // The authority's validity ends between the two timestamps.
  const end = new Date(first.at.getTime() + 500)
  const narrowed = {
    ...trust,
    timestampAuthorities: trust.timestampAuthorities.map((ca) => ({
      ...ca,
      validFor: { start: ca.validFor.start, end },
    })),
  }
  const verifier = new BundleVerifier(narrowed, identity)
  verifier.verify(first.json, first.digest)
  expect(() => verifier.verify(second.json, second.digest)).toThrow(
    /timestamp could not be verified/,
  )
})

it('refuses, once the chain check is kept, a timestamp over another signature', () => {
  const verifier = new BundleVerifier(trust, identity)
  verifier.verify(copy(0).json, copy(0).digest)
  verifier.verify(copy(1).json, copy(1).digest)
  const { json, digest } = copy(0)
  json.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp =
    timestampOf(copy(1).json)
  expect(() => verifier.verify(json, digest)).toThrow(/timestamp could not be verified/)
})
