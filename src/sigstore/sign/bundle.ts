// Turns a digest and its signature (or a DSSE payload and the signature over
// its PAE) into a Sigstore bundle v0.3: the run's certificate, an entry in
// each chosen log (Rekor v1, rekor.ts, or v2, rekor-v2.ts), and an RFC 3161
// timestamp from each chosen timestamp authority (tsa.ts). None needs the
// artifact, only the signature and the certificate.
import { createHash } from 'node:crypto'
import {
  type Bundle,
  bundleToJSON,
  type TransparencyLogEntry,
  toDSSEBundle,
  toMessageSignatureBundle,
} from '@sigstore/bundle'
import { dsse } from '@sigstore/core'
import type { Services } from '../signing-config.js'
import type { CertificateSource } from './certificate.js'
import { RekorClient } from './rekor.js'
import { RekorV2Client } from './rekor-v2.js'
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
    return this.witness(bundle, signature, (log) =>
      log.addHashedRekord(digest, signature, certificate.pem),
    )
  }

  /**
   * A DSSE envelope over `payload`; `signature` is over its PAE's SHA-256
   * (dsseDigest). Rekor v1 logs it as a dsse entry. Rekor v2 has no DSSE
   * type any more: there it is a hashedrekord over the PAE's digest, which
   * verifiers accept for a DSSE bundle.
   */
  async makeDsse(payload: Buffer, payloadType: string, signature: Buffer): Promise<Bundle> {
    const certificate = await this.certificates.get()
    const bundle = toDSSEBundle({
      artifact: payload,
      artifactType: payloadType,
      signature,
      certificate: certificate.der,
    })
    const envelope = bundleToJSON(bundle).dsseEnvelope
    const digest = dsseDigest(payload, payloadType)
    return this.witness(bundle, signature, (log) =>
      log instanceof RekorClient
        ? log.addDsse(envelope, certificate.pem)
        : log.addHashedRekord(digest, signature, certificate.pem),
    )
  }

  private async witness(
    bundle: Bundle,
    signature: Buffer,
    logEntry: (log: RekorClient | RekorV2Client) => Promise<TransparencyLogEntry>,
  ): Promise<Bundle> {
    const [entries, timestamps] = await Promise.all([
      Promise.all(this.logs.map(logEntry)),
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

/** What a DSSE signature signs: the SHA-256 of the envelope's pre-authentication encoding. */
export function dsseDigest(payload: Buffer, payloadType: string): Buffer {
  return createHash('sha256').update(dsse.preAuthEncoding(payloadType, payload)).digest()
}

export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundleToJSON(bundle), null, 2)}\n`
}
