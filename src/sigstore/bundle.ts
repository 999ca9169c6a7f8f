// Turns a digest and its signature into a Sigstore bundle v0.3: the run's
// certificate, an entry in each chosen log (Rekor v1, rekor.ts, or v2,
// rekor-v2.ts), and an RFC 3161 timestamp from each chosen timestamp
// authority (tsa.ts). None needs the artifact, only the signature and the
// certificate.
import { type Bundle, bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle'
import type { CertificateSource } from './certificate.js'
import { RekorClient } from './rekor.js'
import { RekorV2Client } from './rekor-v2.js'
import type { Services } from './signing-config.js'
import { TimestampClient } from './tsa.js'

export class BundleMaker {
  private readonly logs: (RekorClient | RekorV2Client)[]
  private readonly tsas: TimestampClient[]

  constructor(
    services: Pick<Services, 'logs' | 'tsaUrls'>,
    private readonly certificates: CertificateSource,
  ) {
    this.logs = services.logs.map((log) =>
      log.version === 2 ? new RekorV2Client(log.url) : new RekorClient(log.url),
    )
    this.tsas = services.tsaUrls.map((url) => new TimestampClient(url))
  }

  async make(digest: Buffer, signature: Buffer): Promise<Bundle> {
    const certificate = await this.certificates.get()
    const bundle = toMessageSignatureBundle({ digest, signature, certificate: certificate.der })
    const [entries, timestamps] = await Promise.all([
      Promise.all(this.logs.map((log) => log.addHashedRekord(digest, signature, certificate.pem))),
      Promise.all(this.tsas.map((tsa) => tsa.timestamp(signature))),
    ])
    bundle.verificationMaterial.tlogEntries = entries
    if (timestamps.length > 0) {
      bundle.verificationMaterial.timestampVerificationData = {
        rfc3161Timestamps: timestamps.map((signedTimestamp) => ({ signedTimestamp })),
      }
    }
    return bundle
  }
}

export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundleToJSON(bundle), null, 2)}\n`
}
