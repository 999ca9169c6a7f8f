// Verifies a bundle against the trusted root, the expected identity, and an
// artifact digest. @sigstore/verify checks a message signature by hashing the
// whole artifact held in memory; here the signature is checked against the
// digest computed while streaming, so assets of any size can be verified.
// The signer's own checks, the CLI and the verify action all use this module.
import {
  type Bundle,
  bundleFromJSON,
  isBundleWithDsseEnvelope,
  isBundleWithMessageSignature,
} from '@sigstore/bundle'
import {
  type SignedEntity,
  type Signer,
  type TrustMaterial,
  toSignedEntity,
  Verifier,
} from '@sigstore/verify'
import type { CertificateIdentity } from '../certificate-identity.js'
import { checkCheckpointOrigins } from './checkpoint-origin.js'
import { verifyDigestSignature } from './digest-signature.js'
import { reuseSigningKeyChecks } from './signing-key-checks.js'
import { reuseTimestampChecks } from './timestamp-checks.js'

type SignatureContent = SignedEntity['signature']

/** Who must have signed: the certificate's SAN (exact, or a pattern) and its OIDC issuer. */
export interface IdentityPolicy {
  subjectAlternativeName: string | RegExp
  issuer?: string
}

/** The outcome of checking one bundle for one artifact. */
export type Verdict =
  | { ok: true; signer: string }
  | { ok: false; problem: 'does not verify'; why: string }
  | { ok: false; problem: 'wrong identity'; signer: string }

export class BundleVerifier {
  private readonly verifier: Verifier
  private readonly tlogs: TrustMaterial['tlogs']

  constructor(
    trust: TrustMaterial,
    /** The run's own identity, for the signer's checks; unset for the consumer's commands. */
    private readonly identity: CertificateIdentity = { subjectAlternativeName: '', issuer: '' },
    /**
     * What every bundle must carry: a log entry, an SCT in its certificate
     * and a timestamp. GitHub's own instance logs nothing and embeds no SCT:
     * its release attestations need a signed timestamp alone.
     */
    needs: { tlog: number; ctlog: number } = { tlog: 1, ctlog: 1 },
  ) {
    this.verifier = new Verifier(trust, {
      tlogThreshold: needs.tlog,
      ctlogThreshold: needs.ctlog,
      timestampThreshold: 1,
    })
    reuseSigningKeyChecks(this.verifier)
    reuseTimestampChecks(this.verifier)
    this.tlogs = trust.tlogs
  }

  /** Throws unless the bundle is valid for the digest and this run's identity; returns the bundle. */
  verify(json: unknown, digest: Buffer): Bundle {
    const { bundle, entity } = this.entity(json, digest)
    this.verifier.verify(entity, {
      // The SAN policy is a regular expression: anchor and escape the exact identity.
      subjectAlternativeName: new RegExp(`^${escapeRegExp(this.identity.subjectAlternativeName)}$`),
      extensions: { issuer: this.identity.issuer },
    })
    return bundle
  }

  /**
   * Throws unless the bundle is valid for the digest against the trusted
   * root, whoever signed it; returns the bundle and the identity it names,
   * and whether that is another identity than this run's.
   */
  inspect(json: unknown, digest: Buffer): { bundle: Bundle; signer: string; foreign: boolean } {
    const { bundle, entity } = this.entity(json, digest)
    const { identity } = this.verifier.verify(entity)
    const san = identity?.subjectAlternativeName ?? 'an unnamed identity'
    const issuer = identity?.extensions?.issuer
    const foreign = san !== this.identity.subjectAlternativeName || issuer !== this.identity.issuer
    return { bundle, signer: issuer ? `${san} (issuer ${issuer})` : san, foreign }
  }

  /**
   * Checks any bundle (v0.1 to v0.3; a message signature or a DSSE envelope;
   * a certificate or a key the trust material knows) for an artifact digest.
   * With a policy, a certificate must name that identity. Never throws.
   */
  check(json: unknown, digest: Buffer, policy?: IdentityPolicy): Verdict {
    let signer: Signer
    try {
      const bundle = bundleFromJSON(json)
      checkCheckpointOrigins(bundle, this.tlogs)
      const entity = isBundleWithDsseEnvelope(bundle)
        ? dsseEntity(bundle, digest)
        : this.entity(json, digest).entity
      signer = this.verifier.verify(entity)
    } catch (error) {
      return { ok: false, problem: 'does not verify', why: shortMessage(error) }
    }
    return judge(signer, policy)
  }

  /**
   * Checks a DSSE bundle on its own (its signature is over the payload it
   * carries), as check() does; returns the verdict and, when it verifies,
   * the payload. Never throws.
   */
  checkEnvelope(json: unknown, policy?: IdentityPolicy): Verdict & { payload?: Buffer } {
    let signer: Signer
    let payload: Buffer
    try {
      const bundle = bundleFromJSON(json)
      checkCheckpointOrigins(bundle, this.tlogs)
      const envelope = envelopeEntity(bundle)
      payload = envelope.payload
      signer = this.verifier.verify(envelope.entity)
    } catch (error) {
      return { ok: false, problem: 'does not verify', why: shortMessage(error) }
    }
    const verdict = judge(signer, policy)
    return verdict.ok ? { ...verdict, payload } : verdict
  }

  /**
   * Throws unless the DSSE bundle is valid against the trusted root, whoever
   * signed it; returns its payload, the identity it names, and whether that
   * is another identity than this run's (as inspect() does for bundles).
   */
  inspectEnvelope(json: unknown): { payload: Buffer; signer: string; foreign: boolean } {
    const verdict = this.checkEnvelope(json)
    if (!verdict.ok || !verdict.payload)
      throw new Error(verdict.ok ? 'the envelope has no payload' : verdictDetail(verdict))
    const own = this.checkEnvelope(json, {
      subjectAlternativeName: this.identity.subjectAlternativeName,
      issuer: this.identity.issuer,
    })
    return { payload: verdict.payload, signer: verdict.signer, foreign: !own.ok }
  }

  /** Throws unless the DSSE bundle is valid for this run's identity; returns its payload. */
  verifyEnvelope(json: unknown): Buffer {
    const verdict = this.checkEnvelope(json, {
      subjectAlternativeName: this.identity.subjectAlternativeName,
      issuer: this.identity.issuer,
    })
    if (verdict.ok && verdict.payload) return verdict.payload
    throw new Error(
      verdict.ok ? 'the envelope has no payload' : `${verdict.problem}: ${verdictDetail(verdict)}`,
    )
  }

  private entity(json: unknown, digest: Buffer): { bundle: Bundle; entity: SignedEntity } {
    const bundle = bundleFromJSON(json)
    checkCheckpointOrigins(bundle, this.tlogs)
    if (!isBundleWithMessageSignature(bundle))
      throw new Error('bundle does not hold a message signature')
    const signed = bundle.content.messageSignature
    if (!signed.messageDigest?.digest.equals(digest))
      throw new Error('bundle was made for other bytes (digest mismatch)')
    const entity = toSignedEntity(bundle)
    entity.signature = digestSignature(signed.signature, digest)
    return { bundle, entity }
  }
}

/**
 * A DSSE envelope's own signature is over its payload, which the bundle
 * carries; the artifact is bound through the in-toto statement: its digest
 * must be one of the statement's subjects.
 */
function dsseEntity(bundle: Bundle, digest: Buffer): SignedEntity {
  const { entity, payload } = envelopeEntity(bundle)
  let statement: { _type?: unknown; subject?: { digest?: Record<string, string> }[] }
  try {
    statement = JSON.parse(payload.toString('utf8'))
  } catch {
    throw new Error('DSSE payload is not JSON')
  }
  if (typeof statement._type !== 'string' || !Array.isArray(statement.subject))
    throw new Error('DSSE payload is not an in-toto statement')
  const hex = digest.toString('hex')
  if (!statement.subject.some((s) => s?.digest?.sha256?.toLowerCase() === hex))
    throw new Error('the artifact is not a subject of the in-toto statement (digest mismatch)')
  return entity
}

/** A DSSE bundle carrying an in-toto statement, as @sigstore/verify checks it, and its payload. */
function envelopeEntity(bundle: Bundle): { entity: SignedEntity; payload: Buffer } {
  if (!isBundleWithDsseEnvelope(bundle)) throw new Error('bundle holds no DSSE envelope')
  const envelope = bundle.content.dsseEnvelope
  if (envelope.payloadType !== 'application/vnd.in-toto+json')
    throw new Error(`DSSE payload type ${envelope.payloadType} is not an in-toto statement`)
  return { entity: toSignedEntity(bundle), payload: envelope.payload }
}

/** Whether a verified signer is the identity the policy names (any signer without a policy). */
function judge(signer: Signer, policy: IdentityPolicy | undefined): Verdict {
  const san = signer.identity?.subjectAlternativeName
  const issuer = signer.identity?.extensions?.issuer
  const who = san ? (issuer ? `${san} (issuer ${issuer})` : san) : 'a key from the trust material'
  if (!policy) return { ok: true, signer: who }
  const wanted = policy.subjectAlternativeName
  const sanOk =
    san !== undefined && (typeof wanted === 'string' ? san === wanted : wanted.test(san))
  if (!sanOk || (policy.issuer !== undefined && issuer !== policy.issuer))
    return { ok: false, problem: 'wrong identity', signer: who }
  return { ok: true, signer: who }
}

/** What went wrong, for a verdict that is not ok. */
export function verdictDetail(verdict: Verdict): string {
  if (verdict.ok) return verdict.signer
  return verdict.problem === 'wrong identity' ? `signed by ${verdict.signer}` : verdict.why
}

function shortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return (text.split('\n')[0] ?? text).slice(0, 200)
}

function digestSignature(signature: Buffer, digest: Buffer): SignatureContent {
  return {
    signature,
    compareSignature: (other) => other.equals(signature),
    compareDigest: (other) => other.equals(digest),
    compareSignedDigest: (other) => other.equals(digest),
    verifySignature: (key) => verifyDigestSignature(key, digest, signature),
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
