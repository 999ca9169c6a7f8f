// Turns a digest and its signature into a Sigstore bundle v0.3: the run's
// certificate, a Rekor entry (recovered on 409), and an optional RFC 3161
// timestamp. The witnesses come from @sigstore/sign; they need only the
// signature and certificate, never the artifact.
import { type Bundle, bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle'
import { RFC3161Timestamp } from '@sigstore/core'
import { RekorWitness, TSAWitness } from '@sigstore/sign'
import { withRetry } from '../util/retry.js'
import type { CertificateSource } from './certificate.js'

/** sigstore-js waits 5 s by default; a busy log can take longer. */
const WITNESS_TIMEOUT_MS = 20_000
const WITNESS_RETRY = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 }
/** Tries after a broken answer, which sigstore-js does not retry itself. */
const BROKEN_ANSWER_ATTEMPTS = 3

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
    const tsa = this.tsa
    const [tlog, timestamps] = await Promise.all([
      // A retried entry that had landed gets 409, and fetchOnConflict recovers it.
      retryBroken(() => this.rekor.testify(bundle.content, certificate.pem)),
      tsa &&
        retryBroken(async () => {
          const answer = await tsa.testify(bundle.content)
          // sigstore-js takes any bytes as a timestamp; a page in its place is a broken answer.
          for (const t of answer.rfc3161Timestamps)
            RFC3161Timestamp.parse(Buffer.from(t.signedTimestamp))
          return answer
        }),
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

/**
 * sigstore-js retries answers with an error status itself, but not an answer
 * that was cut off or is not what the service sends (an HTML page, say).
 * Those are retried here; errors that carry a status are not retried twice.
 */
function retryBroken<T>(fn: () => Promise<T>): Promise<T> {
  return withRetry(fn, {
    attempts: BROKEN_ANSWER_ATTEMPTS,
    baseDelayMs: 500,
    retryable: (error) => !hasStatus(error),
  })
}

function hasStatus(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof (e as { statusCode?: unknown }).statusCode === 'number') return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}
