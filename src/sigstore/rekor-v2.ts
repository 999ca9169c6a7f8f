// Rekor v2: one hashedrekord v0.0.2 entry per signature, through
// /api/v2/log/entries. The log sequences entries in batches, so an answer can
// take a second or more; it comes back as the TransparencyLogEntry a bundle
// carries, with the inclusion proof and the checkpoint, and with no signed
// entry timestamp or log time (a timestamp authority gives the time). A
// resubmitted entry is answered with the one already in the log, so a retry
// after a lost answer needs no recovery of its own.
import type { TransparencyLogEntry } from '@sigstore/bundle'
import { TransparencyLogEntry as EntryJson, PublicKeyDetails } from '@sigstore/protobuf-specs'
import { CreateEntryRequest } from '@sigstore/protobuf-specs/rekor/v2'
import { TransientHttpError, withRetry } from '../util/retry.js'
import { readBody, SERVICE_RETRY, send } from './service.js'

export class RekorV2Client {
  constructor(private readonly baseUrl: string) {}

  /** `verifierPem`: the signing certificate, or a bare public key, in PEM. */
  async addHashedRekord(
    digest: Buffer,
    signature: Buffer,
    verifierPem: string,
  ): Promise<TransparencyLogEntry> {
    const der = pemBody(verifierPem)
    const isCertificate = verifierPem.includes('CERTIFICATE')
    const request = JSON.stringify(
      CreateEntryRequest.toJSON({
        spec: {
          $case: 'hashedRekordRequestV002',
          hashedRekordRequestV002: {
            digest,
            signature: {
              content: signature,
              verifier: {
                verifier: isCertificate
                  ? { $case: 'x509Certificate', x509Certificate: { rawBytes: der } }
                  : { $case: 'publicKey', publicKey: { rawBytes: der } },
                keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
              },
            },
          },
        },
      }),
    )
    const url = `${this.baseUrl.replace(/\/$/, '')}/api/v2/log/entries`
    return withRetry(async () => {
      const what = 'write a log entry (Rekor v2)'
      const response = await send(what, url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: request,
      })
      return toEntry(await readBody(response, what), what)
    }, SERVICE_RETRY)
  }
}

function pemBody(pem: string): Buffer {
  return Buffer.from(
    pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''),
    'base64',
  )
}

/** The answer as a bundle's entry; anything that is not a complete v2 entry is a broken answer. */
function toEntry(raw: Buffer, what: string): TransparencyLogEntry {
  const broken = (why: string) =>
    new TransientHttpError(`${what}: the answer is not a log entry (${why})`, undefined)
  let entry: ReturnType<typeof EntryJson.fromJSON>
  try {
    entry = EntryJson.fromJSON(JSON.parse(raw.toString('utf8')))
  } catch {
    throw broken(`${raw.length} bytes that are not JSON`)
  }
  const proof = entry.inclusionProof
  if (
    entry.kindVersion?.kind !== 'hashedrekord' ||
    entry.kindVersion.version !== '0.0.2' ||
    !entry.logId?.keyId.length ||
    !entry.canonicalizedBody.length ||
    !proof?.checkpoint?.envelope ||
    !proof.rootHash.length
  ) {
    throw broken('fields are missing')
  }
  // Checked above: the fields @sigstore/bundle's type requires are there.
  return entry as TransparencyLogEntry
}
