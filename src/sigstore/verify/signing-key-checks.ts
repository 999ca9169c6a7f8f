// One check of the run's certificate, reused for every bundle it signed.
import type { SignedEntity, Signer, Verifier } from '@sigstore/verify'

type SigningKeyCheck = (entity: SignedEntity, timestamps: Date[]) => Signer

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
export function reuseSigningKeyChecks(verifier: Verifier): void {
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
