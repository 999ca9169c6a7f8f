// Verifies a bundle against the trusted root, the expected identity, and an
// artifact digest. @sigstore/verify checks a message signature by hashing the
// whole artifact held in memory; here the signature is checked against the
// digest computed while streaming, so assets of any size can be verified.
import { type Bundle, bundleFromJSON, isBundleWithMessageSignature } from '@sigstore/bundle'
import { type SignedEntity, type TrustMaterial, toSignedEntity, Verifier } from '@sigstore/verify'

type SignatureContent = SignedEntity['signature']

import type { CertificateIdentity } from './identity.js'
import { verifyDigestSignature } from './key.js'

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
  }

  /** Throws unless the bundle is valid for the digest; returns the bundle. */
  verify(json: unknown, digest: Buffer): Bundle {
    const bundle = bundleFromJSON(json)
    if (!isBundleWithMessageSignature(bundle))
      throw new Error('bundle does not hold a message signature')
    const signed = bundle.content.messageSignature
    if (!signed.messageDigest?.digest.equals(digest))
      throw new Error('bundle was made for other bytes (digest mismatch)')
    const entity = toSignedEntity(bundle)
    entity.signature = digestSignature(signed.signature, digest)
    this.verifier.verify(entity, {
      // The SAN policy is a regular expression: anchor and escape the exact identity.
      subjectAlternativeName: new RegExp(`^${escapeRegExp(this.identity.subjectAlternativeName)}$`),
      extensions: { issuer: this.identity.issuer },
    })
    return bundle
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
