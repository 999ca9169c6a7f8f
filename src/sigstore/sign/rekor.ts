// Rekor v1: one hashedrekord entry per signature (a dsse entry for a DSSE
// envelope), returned in the form a
// bundle carries it (the entry's body, its signed entry timestamp and its
// inclusion proof with the checkpoint). A retried submission whose first try
// had landed gets 409 with the entry's location: that entry is read back.
import type { TransparencyLogEntry } from '@sigstore/bundle'
import { TransientHttpError, withRetry } from '../../util/retry.js'
import { readBody, SERVICE_RETRY, send } from './service.js'

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' }

export class RekorClient {
  constructor(private readonly baseUrl: string) {}

  /** `verifierPem`: the signing certificate, or a bare public key, in PEM. */
  async addHashedRekord(
    digest: Buffer,
    signature: Buffer,
    verifierPem: string,
  ): Promise<TransparencyLogEntry> {
    const proposed = JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
        signature: {
          content: signature.toString('base64'),
          publicKey: { content: Buffer.from(verifierPem).toString('base64') },
        },
      },
    })
    return this.submit(proposed)
  }

  /**
   * A dsse v0.0.1 entry for a DSSE envelope (its JSON, as a bundle carries
   * it): Rekor checks the signature against the envelope's PAE and stores
   * the hashes of the envelope and of its payload.
   */
  async addDsse(envelopeJson: unknown, verifierPem: string): Promise<TransparencyLogEntry> {
    return this.submit(
      JSON.stringify({
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          proposedContent: {
            envelope: JSON.stringify(envelopeJson),
            verifiers: [Buffer.from(verifierPem).toString('base64')],
          },
        },
      }),
    )
  }

  private async submit(proposed: string): Promise<TransparencyLogEntry> {
    const entries = `${this.baseUrl.replace(/\/$/, '')}/api/v1/log/entries`
    return withRetry(async () => {
      const what = 'write a log entry'
      const response = await send(
        what,
        entries,
        { method: 'POST', headers: JSON_HEADERS, body: proposed },
        [409],
      )
      if (response.status !== 409) return toEntry(await readBody(response, what), what)
      // An earlier attempt landed and its answer was lost: read that entry.
      await response.body?.cancel()
      const location = response.headers.get('location')
      if (!location) throw new TransientHttpError(`${what}: 409 without the entry's location`, 409)
      const again = 'read the log entry that was already written'
      const existing = await send(again, new URL(location, entries).toString(), {
        headers: { accept: 'application/json' },
      })
      return toEntry(await readBody(existing, again), again)
    }, SERVICE_RETRY)
  }
}

interface LogEntryJson {
  body?: unknown
  integratedTime?: unknown
  logID?: unknown
  logIndex?: unknown
  verification?: {
    signedEntryTimestamp?: unknown
    inclusionProof?: {
      checkpoint?: unknown
      hashes?: unknown
      logIndex?: unknown
      rootHash?: unknown
      treeSize?: unknown
    }
  }
}

/** Rekor's `{ "<uuid>": entry }` answer, as a bundle's TransparencyLogEntry. */
function toEntry(raw: Buffer, what: string): TransparencyLogEntry {
  const broken = (why: string) =>
    new TransientHttpError(`${what}: the answer is not a log entry (${why})`, undefined)
  let parsed: Record<string, LogEntryJson>
  try {
    parsed = JSON.parse(raw.toString('utf8'))
  } catch {
    throw broken(`${raw.length} bytes that are not JSON`)
  }
  const entry = parsed && typeof parsed === 'object' ? Object.values(parsed)[0] : undefined
  const proof = entry?.verification?.inclusionProof
  if (
    typeof entry?.body !== 'string' ||
    typeof entry.integratedTime !== 'number' ||
    typeof entry.logID !== 'string' ||
    typeof entry.logIndex !== 'number' ||
    typeof entry.verification?.signedEntryTimestamp !== 'string' ||
    typeof proof?.checkpoint !== 'string' ||
    typeof proof.rootHash !== 'string' ||
    typeof proof.logIndex !== 'number' ||
    typeof proof.treeSize !== 'number' ||
    !Array.isArray(proof.hashes)
  ) {
    throw broken('fields are missing')
  }
  const body = JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8')) as {
    kind?: string
    apiVersion?: string
  }
  return {
    logIndex: String(entry.logIndex),
    logId: { keyId: Buffer.from(entry.logID, 'hex') },
    kindVersion: { kind: body.kind ?? '', version: body.apiVersion ?? '' },
    integratedTime: String(entry.integratedTime),
    inclusionPromise: {
      signedEntryTimestamp: Buffer.from(entry.verification.signedEntryTimestamp, 'base64'),
    },
    inclusionProof: {
      logIndex: String(proof.logIndex),
      treeSize: String(proof.treeSize),
      rootHash: Buffer.from(proof.rootHash, 'hex'),
      hashes: (proof.hashes as string[]).map((h) => Buffer.from(h, 'hex')),
      checkpoint: { envelope: proof.checkpoint },
    },
    canonicalizedBody: Buffer.from(entry.body, 'base64'),
  }
}
