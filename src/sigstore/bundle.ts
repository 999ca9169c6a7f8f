// Turns a digest and its signature into a Sigstore bundle v0.3: the run's
// certificate, a Rekor entry (recovered on 409), and an optional RFC 3161
// timestamp. The witnesses come from @sigstore/sign; they need only the
// signature and certificate, never the artifact.
import { type Bundle, bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle'
import { RekorWitness, TSAWitness } from '@sigstore/sign'
import type { CertificateSource } from './certificate.js'

/** sigstore-js waits 5 s by default; a busy log can take longer. */
const WITNESS_TIMEOUT_MS = 20_000
const WITNESS_RETRY = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 }

export interface WitnessUrls {
  rekorUrl: string
  tsaUrl?: string
}

export class BundleMaker {
  private readonly rekor: RekorWitness
  private readonly tsa?: TSAWitness

  constructor(
    urls: WitnessUrls,
    private readonly certificates: CertificateSource,
  ) {
    this.rekor = new RekorWitness({
      rekorBaseURL: urls.rekorUrl,
      // A retried POST after a timeout gets 409 when the first one landed.
      fetchOnConflict: true,
      timeout: WITNESS_TIMEOUT_MS,
      retry: WITNESS_RETRY,
    })
    if (urls.tsaUrl) {
      this.tsa = new TSAWitness({
        tsaBaseURL: urls.tsaUrl,
        timeout: WITNESS_TIMEOUT_MS,
        retry: WITNESS_RETRY,
      })
    }
  }

  async make(digest: Buffer, signature: Buffer): Promise<Bundle> {
    const certificate = await this.certificates.get()
    const bundle = toMessageSignatureBundle({ digest, signature, certificate: certificate.der })
    const [tlog, timestamps] = await Promise.all([
      this.rekor.testify(bundle.content, certificate.pem),
      this.tsa?.testify(bundle.content),
    ])
    bundle.verificationMaterial.tlogEntries = tlog.tlogEntries
    if (timestamps) {
      bundle.verificationMaterial.timestampVerificationData = {
        rfc3161Timestamps: timestamps.rfc3161Timestamps,
      }
    }
    return bundle
  }
}

export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundleToJSON(bundle), null, 2)}\n`
}
