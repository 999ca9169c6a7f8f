// Turns a digest and its signature into a Sigstore bundle v0.3: the run's
// certificate, a Rekor entry (rekor.ts), and an RFC 3161 timestamp when a
// timestamp authority is configured (tsa.ts). Neither needs the artifact,
// only the signature and the certificate.
import { type Bundle, bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle'
import type { CertificateSource } from './certificate.js'
import { RekorClient } from './rekor.js'
import { TimestampClient } from './tsa.js'

export interface WitnessUrls {
  rekorUrl: string
  tsaUrl?: string
}

export class BundleMaker {
  private readonly rekor: RekorClient
  private readonly tsa?: TimestampClient

  constructor(
    urls: WitnessUrls,
    private readonly certificates: CertificateSource,
  ) {
    this.rekor = new RekorClient(urls.rekorUrl)
    if (urls.tsaUrl) this.tsa = new TimestampClient(urls.tsaUrl)
  }

  async make(digest: Buffer, signature: Buffer): Promise<Bundle> {
    const certificate = await this.certificates.get()
    const bundle = toMessageSignatureBundle({ digest, signature, certificate: certificate.der })
    const [entry, timestamp] = await Promise.all([
      this.rekor.addHashedRekord(digest, signature, certificate.pem),
      this.tsa?.timestamp(signature),
    ])
    bundle.verificationMaterial.tlogEntries = [entry]
    if (timestamp) {
      bundle.verificationMaterial.timestampVerificationData = {
        rfc3161Timestamps: [{ signedTimestamp: timestamp }],
      }
    }
    return bundle
  }
}

export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundleToJSON(bundle), null, 2)}\n`
}
