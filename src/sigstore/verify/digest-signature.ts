// Checks a signature made over a bare SHA-256 digest, as the signer's
// ephemeral key makes them (sigstore/sign/key.ts): Node's crypto would hash
// the digest again, so the check uses @noble/curves with prehash disabled.
import { createPublicKey, type KeyObject } from 'node:crypto'
import { p256 } from '@noble/curves/nist.js'

/** Verifies an ECDSA P-256 signature over a SHA-256 digest. */
export function verifyDigestSignature(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' })
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) return false
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x, 'base64url'),
    Buffer.from(jwk.y, 'base64url'),
  ])
  try {
    return p256.verify(signature, digest, point, { prehash: false, format: 'der', lowS: false })
  } catch {
    return false
  }
}
