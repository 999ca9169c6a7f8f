// Rekor v2: one hashedrekord v0.0.2 entry per signature, through
// /api/v2/log/entries. The log sequences entries in batches, so an answer can
// take a second or more; it comes back as the TransparencyLogEntry a bundle
// carries, with the inclusion proof and the checkpoint, and with no signed
// entry timestamp or log time (a timestamp authority gives the time).
//
// An entry already in the log is refused with 409 and its index, and Rekor v2
// has no way to hand that entry back (only tiles, with no proof for one
// entry). So a retry after a lost answer ends in DuplicateEntry, and the
// signer signs again for an entry of its own (signer/sign/sign-files.ts).
import type { TransparencyLogEntry } from '@sigstore/bundle'
import { TransparencyLogEntry as EntryJson, PublicKeyDetails } from '@sigstore/protobuf-specs'
import { CreateEntryRequest } from '@sigstore/protobuf-specs/rekor/v2'
import { TransientHttpError, withRetry } from '../../util/retry.js'
import { readBody, SERVICE_RETRY, ServiceRefusal, send } from './service.js'

/** The log already holds this entry (an earlier attempt's answer was lost), and will not return it. */
export class DuplicateEntry extends ServiceRefusal {
  override name = 'DuplicateEntry'
}

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
      const response = await send(
        what,
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: request,
        },
        [409],
      )
      if (response.status === 409) {
        await response.body?.cancel()
        const index = response.headers.get('x-log-index') ?? 'unknown'
        throw new DuplicateEntry(`${what}: the log already holds this entry (index ${index})`, 409)
      }
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
