// One check of each timestamp authority's certificate chain, reused for
// every timestamp of a run. @sigstore/verify builds and checks the TSA's
// chain again for every timestamp, re-encoding its certificates as it goes:
// with a timestamp on every bundle, that cost more of the signer's CPU per
// asset than the rest of its checks (BENCHMARKS.md, "Rekor v1 and v2"). The
// path depends only on the trusted root, so it is kept per authority once it
// verifies; failures are never kept. Every timestamp is still checked in
// full: the authority's validFor at its time, each certificate of the path
// valid at its time, its signature, and its message imprint over this
// bundle's signature. As in signing-key-checks.ts the Verifier has no hook:
// its (TypeScript-private) verifyTimestamps is replaced on this one
// instance, by the steps @sigstore/verify 4.1 takes, and
// test/unit/verify.test.ts fails if a new version renames it.
import { isDeepStrictEqual } from 'node:util'
import { crypto, type RFC3161Timestamp, type X509Certificate } from '@sigstore/core'
import {
  type SignedEntity,
  type TrustMaterial,
  VerificationError,
  type Verifier,
} from '@sigstore/verify'
import { CertificateChainVerifier } from '@sigstore/verify/dist/key/certificate.js'

type CertAuthority = TrustMaterial['timestampAuthorities'][number]
type Found = { type: string; logID: Buffer; timestamp: Date }

export function reuseTimestampChecks(verifier: Verifier): void {
  const target = verifier as unknown as {
    verifyTimestamps?: (entity: SignedEntity) => Date[]
    trustMaterial: TrustMaterial
    options: { timestampThreshold: number }
  }
  if (typeof target.verifyTimestamps !== 'function') return
  const paths = new WeakMap<CertAuthority, X509Certificate[]>()
  const keys = new WeakMap<CertAuthority, ReturnType<typeof crypto.createPublicKey>>()
  const keyOf = (ca: CertAuthority) => {
    let key = keys.get(ca)
    if (!key) {
      key = crypto.createPublicKey((ca.certChain[0] as X509Certificate).publicKey)
      keys.set(ca, key)
    }
    return key
  }
  /** The authority's certificate path, checked once (at the first time it is needed). */
  const pathOf = (ca: CertAuthority, at: Date): X509Certificate[] => {
    let path = paths.get(ca)
    if (!path) {
      const [leaf, ...cas] = ca.certChain
      path = new CertificateChainVerifier({
        untrustedCert: leaf as X509Certificate,
        trustedCerts: cas,
        timestamp: at,
      }).verify()
      paths.set(ca, path)
    }
    return path
  }
  const verifyTsa = (timestamp: RFC3161Timestamp, data: Buffer): Found => {
    const at = timestamp.signingTime
    const candidates = target.trustMaterial.timestampAuthorities.filter(
      (ca) =>
        ca.validFor.start <= at &&
        ca.validFor.end >= at &&
        ca.certChain.length > 0 &&
        ca.certChain[0]?.serialNumber.equals(timestamp.signerSerialNumber) &&
        ca.certChain[0]?.issuer.equals(timestamp.signerIssuer),
    )
    const verified = candidates.some((ca) => {
      try {
        const path = pathOf(ca, at)
        if (!path.every((cert) => cert.validForDate(at))) return false
        timestamp.verify(data, keyOf(ca))
        return true
      } catch {
        return false
      }
    })
    if (!verified) {
      throw new VerificationError({
        code: 'TIMESTAMP_ERROR',
        message: 'timestamp could not be verified',
      })
    }
    return { type: 'timestamp-authority', logID: timestamp.signerSerialNumber, timestamp: at }
  }
  target.verifyTimestamps = (entity) => {
    const found: Found[] = []
    for (const t of entity.timestamps) {
      if (t.$case === 'timestamp-authority') {
        found.push(verifyTsa(t.timestamp, entity.signature.signature))
      } else if (t.tlogEntry.inclusionPromise) {
        // Only an entry with a signed promise gives a time (as getTLogTimestamp).
        found.push({
          type: 'transparency-log',
          logID: t.tlogEntry.logId.keyId,
          timestamp: new Date(Number(t.tlogEntry.integratedTime) * 1000),
        })
      }
    }
    if (found.some((a, i) => found.slice(i + 1).some((b) => isDeepStrictEqual(a, b)))) {
      throw new VerificationError({ code: 'TIMESTAMP_ERROR', message: 'duplicate timestamp' })
    }
    const threshold = target.options.timestampThreshold
    if (found.length < threshold) {
      throw new VerificationError({
        code: 'TIMESTAMP_ERROR',
        message: `expected ${threshold} timestamps, got ${found.length}`,
      })
    }
    return found.map((f) => f.timestamp)
  }
}
