// The run's ephemeral signing key. Signatures are made over the SHA-256
// digest that the download computed, so each asset's bytes are read once:
// Node's crypto cannot sign a bare digest (it would hash it again), so the
// ECDSA step uses @noble/curves with prehash disabled.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { p256 } from '@noble/curves/nist.js'

export class EphemeralKey {
  private readonly privateKey: KeyObject
  private readonly scalar: Uint8Array
  readonly publicKey: KeyObject

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.privateKey = pair.privateKey
    this.publicKey = pair.publicKey
    const jwk = pair.privateKey.export({ format: 'jwk' })
    this.scalar = Buffer.from(jwk.d ?? '', 'base64url')
  }

  get publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString()
  }

  /**
   * ECDSA P-256 signature (DER) over a SHA-256 digest. Deterministic (RFC
   * 6979) by default, so a retried log submission is the same entry; with
   * `fresh`, hedged with new randomness, for a signature no log has seen.
   */
  signDigest(digest: Buffer, fresh = false): Buffer {
    return Buffer.from(
      p256.sign(digest, this.scalar, { prehash: false, format: 'der', extraEntropy: fresh }),
    )
  }

  /** Signs a message the ordinary way (used for Fulcio's proof of possession). */
  signMessage(message: string | Buffer): Buffer {
    return sign('sha256', Buffer.from(message), this.privateKey)
  }
}
