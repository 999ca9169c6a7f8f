// Verifies a bundle against the trusted root, the expected identity, and an
// artifact digest. @sigstore/verify checks a message signature by hashing the
// whole artifact held in memory; here the signature is checked against the
// digest computed while streaming, so assets of any size can be verified.
import { type Bundle, bundleFromJSON, isBundleWithMessageSignature } from '@sigstore/bundle'
import {
  type SignedEntity,
  type Signer,
  type TrustMaterial,
  toSignedEntity,
  Verifier,
} from '@sigstore/verify'
import type { CertificateIdentity } from './identity.js'
import { verifyDigestSignature } from './key.js'

type SignatureContent = SignedEntity['signature']
type SigningKeyCheck = (entity: SignedEntity, timestamps: Date[]) => Signer

export class BundleVerifier {
  private readonly verifier: Verifier

  constructor(
    trust: TrustMaterial,
    private readonly identity: CertificateIdentity,
  ) {
    this.verifier = new Verifier(trust, {
      tlogThreshold: 1,
      ctlogThreshold: 1,
      timestampThreshold: 1,
    })
    reuseSigningKeyChecks(this.verifier)
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

  private entity(json: unknown, digest: Buffer): { bundle: Bundle; entity: SignedEntity } {
    const bundle = bundleFromJSON(json)
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

function digestSignature(signature: Buffer, digest: Buffer): SignatureContent {
  return {
    signature,
    compareSignature: (other) => other.equals(signature),
    compareDigest: (other) => other.equals(digest),
    compareSignedDigest: (other) => other.equals(digest),
    verifySignature: (key) => verifyDigestSignature(key, digest, signature),
  }
}

/**
 * @sigstore/verify checks the certificate chain and its SCTs again for every
 * bundle, re-encoding each certificate's DER many times as it builds the path:
 * that was two thirds of the verification time in a 500-asset run. Every bundle
 * of a run carries the same certificate, and that check depends only on the
 * certificate, the timestamps and the trust material, so a passing result is
 * reused for the same certificate and timestamps (whole seconds from the log,
 * so bundles made in the same second share one check). Failures are never
 * reused. The Verifier has no hook for this, so its (TypeScript-private)
 * method is wrapped on this one instance; test/unit/verify.test.ts fails if a
 * new @sigstore/verify renames it, and then every bundle is checked in full.
 */
function reuseSigningKeyChecks(verifier: Verifier): void {
  const target = verifier as unknown as { verifySigningKey?: SigningKeyCheck }
  const check = target.verifySigningKey
  if (typeof check !== 'function') return
  const passed = new Map<string, Signer>()
  target.verifySigningKey = (entity, timestamps) => {
    if (entity.key.$case !== 'certificate') return check.call(verifier, entity, timestamps)
    // The certificate's parsed content bytes (toDER() would re-encode it, slowly).
    const key = [
      entity.key.certificate.root.value.toString('base64'),
      ...timestamps.map((t) => t.getTime()),
    ].join(' ')
    let signer = passed.get(key)
    if (!signer) {
      signer = check.call(verifier, entity, timestamps)
      passed.set(key, signer)
    }
    return signer
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
