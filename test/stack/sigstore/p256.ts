// The ECDSA P-256 check both Rekor stand-ins make on a submitted entry: a
// signature over a bare SHA-256 digest, which Node's crypto cannot verify
// (it would hash the digest again), so @noble/curves does, with prehash off.
import type { KeyObject } from 'node:crypto'
import { p256 } from '@noble/curves/nist.js'

/** Why `signature` is not a valid P-256 signature over `digest` by `key`, or undefined. */
export function p256DigestProblem(
  key: KeyObject,
  digest: Uint8Array,
  signature: Uint8Array,
): string | undefined {
  const jwk = key.export({ format: 'jwk' })
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) return 'unsupported key type'
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x, 'base64url'),
    Buffer.from(jwk.y, 'base64url'),
  ])
  const ok = p256.verify(signature, digest, point, { prehash: false, format: 'der', lowS: false })
  return ok ? undefined : 'invalid signature when validating ASN.1 encoded signature'
}
