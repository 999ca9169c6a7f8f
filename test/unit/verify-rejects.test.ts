// The verifier (the one module the signer, the CLI and the verify action
// share) against bundles the stack signs and a test then breaks: each must be
// refused, and the unbroken ones accepted. Signed against the stack's
// Sigstore services (Fulcio, Rekor with inclusion proofs, the TSA).
import { createHash, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { bundleToJSON, toDSSEBundle, toMessageSignatureBundle } from '@sigstore/bundle'
import { PublicKeyDetails, TransparencyLogEntry } from '@sigstore/protobuf-specs'
import { CreateEntryRequest } from '@sigstore/protobuf-specs/rekor/v2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BundleMaker } from '../../src/sigstore/sign/bundle.js'
import { CertificateSource } from '../../src/sigstore/sign/certificate.js'
import { identityOf, TokenSource } from '../../src/sigstore/sign/id-token.js'
import { EphemeralKey } from '../../src/sigstore/sign/key.js'
import { RekorClient } from '../../src/sigstore/sign/rekor.js'
import { TimestampClient } from '../../src/sigstore/sign/tsa.js'
import { toMaterial } from '../../src/sigstore/trust.js'
import { BundleVerifier, type IdentityPolicy } from '../../src/sigstore/verify/bundle-verifier.js'
import { type Stack, startStack } from '../stack/index.js'
import { preAuthEncoding } from '../stack/sigstore/rekor-v2.js'
import { releaseJobClaims } from '../support/claims.js'
import { managedKeyBundle } from '../support/fixtures.js'

// biome-ignore lint/suspicious/noExplicitAny: bundles and trusted roots are edited as plain JSON
type Json = any

let stack: Stack
let policy: IdentityPolicy
let rootJson: Json
const made: { json: Json; digest: Buffer }[] = []
/** A bundle for the first asset's digest written to Rekor v2, and a DSSE bundle (also Rekor v2) naming it. */
let v2Made: Json
let dsseMade: Json

beforeAll(async () => {
  stack = await startStack()
  const tokens = new TokenSource({
    url: stack.oidc.requestUrl,
    token: stack.oidc.registerJob(releaseJobClaims()),
  })
  const identity = identityOf(await tokens.first(), stack.github.serverUrl)
  policy = { subjectAlternativeName: identity.subjectAlternativeName, issuer: identity.issuer }
  rootJson = JSON.parse(readFileSync(stack.trustedRootPath, 'utf8'))
  const key = new EphemeralKey()
  const maker = new BundleMaker(
    {
      logs: [{ url: stack.rekor.server.url, version: 1 }],
      tsaUrls: [`${stack.tsa.server.url}/api/v1/timestamp`],
    },
    new CertificateSource(stack.fulcio.server.url, key, tokens),
  )
  for (const text of ['first asset', 'second asset']) {
    const digest = createHash('sha256').update(text).digest()
    made.push({ json: bundleToJSON(await maker.make(digest, key.signDigest(digest))), digest })
  }
  const certificates = new CertificateSource(stack.fulcio.server.url, key, tokens)
  const tsaUrl = `${stack.tsa.server.url}/api/v1/timestamp`
  const v2Maker = new BundleMaker(
    { logs: [{ url: stack.rekorV2.server.url, version: 2 }], tsaUrls: [tsaUrl] },
    certificates,
  )
  const first = made[0]?.digest as Buffer
  v2Made = bundleToJSON(await v2Maker.make(first, key.signDigest(first)))
  dsseMade = await dsseBundle(
    { subject: [{ name: 'first', digest: { sha256: first.toString('hex') } }] },
    key,
    await certificates.get(),
    tsaUrl,
  )
})

/** An in-toto statement in a DSSE envelope, signed by the run's certificate, logged in Rekor v2 and timestamped. */
async function dsseBundle(
  statement: Json,
  key: EphemeralKey,
  certificate: { der: Buffer },
  tsaUrl: string,
): Promise<Json> {
  const payloadType = 'application/vnd.in-toto+json'
  const payload = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
      ...statement,
    }),
  )
  const pae = preAuthEncoding(payloadType, payload)
  const signature = key.signMessage(pae)
  // Rekor v2 logs a DSSE envelope as a hashedrekord over its pre-authentication
  // encoding: the digest of what the signature covers, and the signature.
  const request = CreateEntryRequest.toJSON({
    spec: {
      $case: 'hashedRekordRequestV002',
      hashedRekordRequestV002: {
        digest: createHash('sha256').update(pae).digest(),
        signature: {
          content: signature,
          verifier: {
            verifier: { $case: 'x509Certificate', x509Certificate: { rawBytes: certificate.der } },
            keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
          },
        },
      },
    },
  })
  const response = await fetch(`${stack.rekorV2.server.url}/api/v2/log/entries`, {
    method: 'POST',
    body: JSON.stringify(request),
  })
  if (!response.ok) throw new Error(`Rekor v2: ${response.status} ${await response.text()}`)
  const bundle = toDSSEBundle({
    artifact: payload,
    artifactType: payloadType,
    signature,
    certificate: certificate.der,
  })
  bundle.verificationMaterial.tlogEntries = [
    TransparencyLogEntry.fromJSON(await response.json()) as never,
  ]
  bundle.verificationMaterial.timestampVerificationData = {
    rfc3161Timestamps: [
      { signedTimestamp: await new TimestampClient(tsaUrl).timestamp(signature) },
    ],
  }
  return bundleToJSON(bundle)
}
afterAll(() => stack.stop())

function verifier(root: Json = rootJson): BundleVerifier {
  return new BundleVerifier(toMaterial(JSON.stringify(root), (problem) => new Error(problem)))
}

/** A copy of a made bundle to break (structuredClone would turn the digest into a bare Uint8Array). */
const fresh = (i = 0) => {
  const entry = made[i] as { json: Json; digest: Buffer }
  return { json: structuredClone(entry.json), digest: Buffer.from(entry.digest) }
}

/** Checks the bundle for the first asset's digest; returns the refusal, or 'ok'. */
function outcome(json: Json, root?: Json, digest = fresh().digest): string {
  const verdict = verifier(root).check(json, digest, policy)
  return verdict.ok
    ? 'ok'
    : `${verdict.problem}: ${'why' in verdict ? verdict.why : verdict.signer}`
}

const flip = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64')
  const last = bytes.length - 1
  bytes.writeUInt8(bytes.readUInt8(last) ^ 1, last)
  return bytes.toString('base64')
}

describe('accepts', () => {
  it('the bundles as made, with a certificate, a log entry and a timestamp', () => {
    expect(outcome(fresh().json)).toBe('ok')
    expect(outcome(fresh(1).json, undefined, fresh(1).digest)).toBe('ok')
  })

  it('a v0.2 bundle, with the certificate as a chain', () => {
    const { json } = fresh()
    json.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.2'
    json.verificationMaterial.x509CertificateChain = {
      certificates: [json.verificationMaterial.certificate],
    }
    delete json.verificationMaterial.certificate
    expect(outcome(json)).toBe('ok')
  })

  it('a v0.1 bundle: a chain, and an entry with its signed entry timestamp and no proof', () => {
    const { json } = fresh()
    json.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.1'
    json.verificationMaterial.x509CertificateChain = {
      certificates: [json.verificationMaterial.certificate],
    }
    delete json.verificationMaterial.certificate
    delete json.verificationMaterial.tlogEntries[0].inclusionProof
    expect(outcome(json)).toBe('ok')
  })

  it('a bundle signed with a managed key, given that key, and no other', async () => {
    const { key, digest, bundle } = await managedKeyBundle(stack, 'signed with a key')
    const json = bundleToJSON(bundle)
    const withKey = (pem: string) =>
      new BundleVerifier(
        toMaterial(JSON.stringify(rootJson), (p) => new Error(p), [createPublicKey(pem)]),
        // Trust material that knows the key; no identity policy applies to a key.
      ).check(json, digest)
    expect(withKey(key.publicKeyPem)).toMatchObject({ ok: true })
    expect(withKey(new EphemeralKey().publicKeyPem)).toMatchObject({ ok: false })
    expect(verifier().check(json, digest)).toMatchObject({ ok: false })
  })
})

describe('accepts Rekor v2 and DSSE', () => {
  it('a bundle whose entry is in Rekor v2, timed by the TSA', () => {
    expect(v2Made.verificationMaterial.tlogEntries[0].kindVersion.version).toBe('0.0.2')
    expect(outcome(structuredClone(v2Made))).toBe('ok')
  })

  it('a DSSE envelope whose in-toto statement names the artifact', () => {
    expect(outcome(structuredClone(dsseMade))).toBe('ok')
  })
})

describe('refuses Rekor v2 and DSSE bundles that were tampered with', () => {
  it('a Rekor v2 inclusion proof with a changed hash, or a changed checkpoint', () => {
    const proof = structuredClone(v2Made)
    const hashes = proof.verificationMaterial.tlogEntries[0].inclusionProof.hashes
    hashes[0] = flip(hashes[0])
    expect(outcome(proof)).toMatch(/^does not verify/)
    const checkpoint = structuredClone(v2Made)
    const envelope = checkpoint.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint
    envelope.envelope = envelope.envelope.replace(
      /\n(\d+)\n/,
      (_: string, n: string) => `\n${Number(n) + 1}\n`,
    )
    expect(outcome(checkpoint)).toMatch(/^does not verify/)
  })

  it("a Rekor v2 checkpoint signed for another origin than the log's host name, as sigstore-go refuses it", () => {
    const withOrigin = (origin: string) => {
      const json = structuredClone(v2Made)
      const checkpoint = json.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint
      checkpoint.envelope = stack.rekorV2.resignCheckpoint(checkpoint.envelope, origin)
      return json
    }
    const host = new URL(stack.rekorV2.server.url)
    // Signed again, validly, for the log's own origin: still accepted.
    expect(outcome(withOrigin(host.hostname))).toBe('ok')
    // The same log's key and key hint, for the host with its port.
    expect(outcome(withOrigin(host.host))).toBe(
      `does not verify: the log's checkpoint is for origin '${host.host}', not '${host.hostname}', the host name of the log's base URL in the trusted root (cosign and sigstore-go refuse it)`,
    )
  })

  it('a DSSE envelope for other bytes, or with a changed payload', () => {
    expect(outcome(structuredClone(dsseMade), undefined, fresh(1).digest)).toMatch(
      /^does not verify: the artifact is not a subject/,
    )
    const changed = structuredClone(dsseMade)
    const statement = JSON.parse(Buffer.from(changed.dsseEnvelope.payload, 'base64').toString())
    statement.predicate = { changed: true }
    changed.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64')
    expect(outcome(changed)).toMatch(/^does not verify/)
  })
})

describe('refuses', () => {
  it('another artifact', () => {
    expect(outcome(fresh().json, undefined, fresh(1).digest)).toMatch(
      /^does not verify: .*digest mismatch/,
    )
  })

  it('a changed digest in the bundle', () => {
    const { json } = fresh()
    json.messageSignature.messageDigest.digest = fresh(1).json.messageSignature.messageDigest.digest
    expect(outcome(json, undefined, fresh(1).digest)).toMatch(/^does not verify/)
  })

  it('a swapped signature', () => {
    const { json } = fresh()
    json.messageSignature.signature = fresh(1).json.messageSignature.signature
    expect(outcome(json)).toMatch(/^does not verify/)
  })

  it('another identity, or another issuer', () => {
    const other = { ...policy, subjectAlternativeName: `${policy.subjectAlternativeName}x` }
    expect(verifier().check(fresh().json, fresh().digest, other)).toMatchObject({
      ok: false,
      problem: 'wrong identity',
    })
    const issuer = { ...policy, issuer: 'https://accounts.example.com' }
    expect(verifier().check(fresh().json, fresh().digest, issuer)).toMatchObject({
      problem: 'wrong identity',
    })
  })

  it('a broken inclusion proof', () => {
    const { json } = fresh()
    const proof = json.verificationMaterial.tlogEntries[0].inclusionProof
    proof.hashes = proof.hashes.length
      ? [flip(proof.hashes[0]), ...proof.hashes.slice(1)]
      : [flip(proof.rootHash)]
    expect(outcome(json)).toMatch(/^does not verify/)
  })

  it('a broken checkpoint', () => {
    const { json } = fresh()
    const checkpoint = json.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint
    checkpoint.envelope = checkpoint.envelope.replace(
      /\n(\d+)\n/,
      (_: string, n: string) => `\n${Number(n) + 1}\n`,
    )
    expect(outcome(json)).toMatch(/^does not verify/)
  })

  it('a broken signed entry timestamp', () => {
    const { json } = fresh()
    const promise = json.verificationMaterial.tlogEntries[0].inclusionPromise
    promise.signedEntryTimestamp = flip(promise.signedEntryTimestamp)
    expect(outcome(json)).toMatch(/^does not verify/)
  })

  it('a log entry for other content', () => {
    const { json } = fresh()
    json.verificationMaterial.tlogEntries = fresh(1).json.verificationMaterial.tlogEntries
    expect(outcome(json)).toMatch(/^does not verify/)
  })

  it('a timestamp over other data', () => {
    const { json } = fresh()
    json.verificationMaterial.timestampVerificationData =
      fresh(1).json.verificationMaterial.timestampVerificationData
    expect(outcome(json)).toMatch(/^does not verify/)
  })

  it('a certificate authority, log, CT log or timestamp authority that is not in the trusted root', () => {
    for (const part of ['certificateAuthorities', 'tlogs', 'ctlogs', 'timestampAuthorities']) {
      const root = structuredClone(rootJson)
      root[part] = []
      // An empty list of CAs or logs cannot be loaded at all; the others load and then refuse.
      let result: string
      try {
        result = outcome(fresh().json, root)
      } catch (error) {
        result = `refused: ${(error as Error).message}`
      }
      expect(result, part).not.toBe('ok')
    }
  })

  it('keys outside their validFor window', () => {
    const past = { start: '2001-01-01T00:00:00Z', end: '2002-01-01T00:00:00Z' }
    for (const part of ['tlogs', 'ctlogs']) {
      const root = structuredClone(rootJson)
      for (const entry of root[part]) entry.publicKey.validFor = past
      expect(outcome(fresh().json, root), part).toMatch(/^does not verify/)
    }
    for (const part of ['certificateAuthorities', 'timestampAuthorities']) {
      const root = structuredClone(rootJson)
      for (const entry of root[part]) entry.validFor = past
      expect(outcome(fresh().json, root), part).toMatch(/^does not verify/)
    }
  })

  it('a trusted root whose log entry has no validFor.start', () => {
    const root = structuredClone(rootJson)
    delete root.tlogs[0].publicKey.validFor.start
    expect(() => outcome(fresh().json, root)).toThrow(/validFor\.start/)
  })

  it('a bundle from another Sigstore instance', async () => {
    const other = await startStack()
    try {
      const otherRoot = JSON.parse(readFileSync(other.trustedRootPath, 'utf8'))
      expect(outcome(fresh().json, otherRoot)).toMatch(/^does not verify/)
    } finally {
      await other.stop()
    }
  })

  it('a certificate used after it expired, at the log time', async () => {
    stack.fulcio.validitySeconds = 1
    try {
      const tokens = new TokenSource({
        url: stack.oidc.requestUrl,
        token: stack.oidc.registerJob(releaseJobClaims()),
      })
      const key = new EphemeralKey()
      const certificate = await new CertificateSource(stack.fulcio.server.url, key, tokens).get()
      await new Promise((resolve) => setTimeout(resolve, 2_500))
      const digest = createHash('sha256').update('signed too late').digest()
      const signature = key.signDigest(digest)
      const bundle = toMessageSignatureBundle({ digest, signature, certificate: certificate.der })
      bundle.verificationMaterial.tlogEntries = [
        await new RekorClient(stack.rekor.server.url).addHashedRekord(
          digest,
          signature,
          certificate.pem,
        ),
      ]
      // Checked at the log's signed time, when the certificate had expired.
      expect(outcome(bundleToJSON(bundle), undefined, digest)).toMatch(
        /^does not verify: .*certificate/,
      )
    } finally {
      stack.fulcio.validitySeconds = 600
    }
  })

  it('a malformed or truncated bundle', () => {
    expect(outcome({})).toMatch(/^does not verify/)
    expect(outcome({ ...fresh().json, mediaType: 'application/json' })).toMatch(/^does not verify/)
    const { json } = fresh()
    delete json.verificationMaterial
    expect(outcome(json)).toMatch(/^does not verify/)
  })

  it('a DSSE envelope whose statement does not name the artifact', () => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'other', digest: { sha256: '0'.repeat(64) } }],
      predicateType: 'https://example.com/p',
      predicate: {},
    }
    const { json } = fresh()
    delete json.messageSignature
    json.dsseEnvelope = {
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: fresh().json.messageSignature.signature, keyid: '' }],
    }
    expect(outcome(json)).toMatch(/^does not verify: .*not a subject of the in-toto statement/)
    json.dsseEnvelope.payloadType = 'text/plain'
    expect(outcome(json)).toMatch(/^does not verify: .*not an in-toto statement/)
  })
})
