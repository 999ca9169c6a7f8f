// Rekor v1 (/api/v1/log/entries) over a real Merkle tree. It checks each
// hashedrekord signature against its certificate, signs an entry timestamp
// (SET) and a checkpoint, serves inclusion proofs that verify, answers a
// duplicate with 409 and the existing entry's location, and serves entries by
// UUID. (@sigstore/mock's Rekor puts every entry in a one-leaf tree.)
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto'
import type http from 'node:http'
import { dsse } from '@sigstore/core'
import { drain, readJson, StandInServer, sendJson } from '../http.js'
import { leafHash, MerkleTree } from './merkle.js'
import { p256DigestProblem } from './p256.js'

type KeyPair = { privateKey: KeyObject; publicKey: KeyObject }

interface HashedRekord {
  apiVersion: string
  kind: string
  spec: {
    data: { hash: { algorithm: string; value: string } }
    signature: { content: string; publicKey: { content: string } }
  }
}

interface StoredEntry {
  uuid: string
  body: Buffer
  logIndex: number
  integratedTime: number
  forged: boolean
}

export class RekorStandIn {
  readonly server = new StandInServer('rekor', (req, res) => this.handle(req, res))
  private readonly tree = new MerkleTree()
  private readonly entries: StoredEntry[] = []
  private readonly treeId = BigInt(`0x${randomBytes(7).toString('hex')}`).toString()
  readonly publicKeyDer: Buffer
  readonly logId: Buffer
  /** Entries whose timestamp (SET) is signed with a key the trusted root does not know. */
  forgedEntries = 0
  private readonly rogueKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey

  constructor(private readonly keys: KeyPair) {
    this.publicKeyDer = keys.publicKey.export({ format: 'der', type: 'spki' })
    this.logId = createHash('sha256').update(this.publicKeyDer).digest()
    // A real log is never empty: other projects' entries come first.
    for (let i = 0; i < 3; i++) this.tree.append(randomBytes(64))
  }

  /** How many entries this log has accepted from clients. */
  get entryCount(): number {
    return this.entries.length
  }

  private get treeIdHex(): string {
    return BigInt(this.treeId).toString(16).padStart(16, '0')
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://rekor').pathname
    if (req.method === 'POST' && path === '/api/v1/log/entries') return this.create(req, res)
    const get = /^\/api\/v1\/log\/entries\/([0-9a-f]{64,80})$/.exec(path)
    if (req.method === 'GET' && get?.[1]) {
      const uuid = get[1].slice(-64)
      const entry = this.entries.find((e) => e.uuid === uuid)
      if (!entry) return sendJson(res, 404, { code: 404, message: 'entry not found' })
      return sendJson(res, 200, this.render(entry))
    }
    await drain(req)
    sendJson(res, 404, { code: 404, message: 'Not Found' })
  }

  private async create(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const proposed = await readJson<HashedRekord | ProposedDsse>(req)
    let canonical: unknown
    if (proposed.kind === 'hashedrekord' && proposed.apiVersion === '0.0.1') {
      const problem = checkHashedRekord(proposed as HashedRekord)
      if (problem) return sendJson(res, 400, { code: 400, message: problem })
      canonical = proposed
    } else if (proposed.kind === 'dsse' && proposed.apiVersion === '0.0.1') {
      const accepted = dsseEntry(proposed as ProposedDsse)
      if (typeof accepted === 'string') return sendJson(res, 400, { code: 400, message: accepted })
      canonical = accepted
    } else {
      return sendJson(res, 400, { code: 400, message: 'unsupported entry kind or version' })
    }

    const body = Buffer.from(canonicalJson(canonical))
    const uuid = leafHash(body).toString('hex')
    const existing = this.entries.find((e) => e.uuid === uuid)
    if (existing) {
      return sendJson(
        res,
        409,
        {
          code: 409,
          message: `An equivalent entry already exists in the transparency log with UUID ${this.treeIdHex}${uuid}`,
        },
        { location: `/api/v1/log/entries/${this.treeIdHex}${uuid}` },
      )
    }
    const logIndex = this.tree.append(body)
    const forged = this.forgedEntries > 0
    if (forged) this.forgedEntries--
    const entry = { uuid, body, logIndex, integratedTime: Math.floor(Date.now() / 1000), forged }
    this.entries.push(entry)
    sendJson(res, 201, this.render(entry), {
      location: `/api/v1/log/entries/${this.treeIdHex}${uuid}`,
    })
  }

  private render(entry: StoredEntry) {
    const logID = this.logId.toString('hex')
    const setPayload = canonicalJson({
      body: entry.body.toString('base64'),
      integratedTime: entry.integratedTime,
      logID,
      logIndex: entry.logIndex,
    })
    const treeSize = this.tree.size
    const rootHash = this.tree.root(treeSize)
    return {
      [`${this.treeIdHex}${entry.uuid}`]: {
        body: entry.body.toString('base64'),
        integratedTime: entry.integratedTime,
        logID,
        logIndex: entry.logIndex,
        verification: {
          inclusionProof: {
            checkpoint: this.checkpoint(treeSize, rootHash),
            hashes: this.tree
              .inclusionProof(entry.logIndex, treeSize)
              .map((h) => h.toString('hex')),
            logIndex: entry.logIndex,
            rootHash: rootHash.toString('hex'),
            treeSize,
          },
          signedEntryTimestamp: sign(
            'sha256',
            Buffer.from(setPayload),
            entry.forged ? this.rogueKey : this.keys.privateKey,
          ).toString('base64'),
        },
      },
    }
  }

  private checkpoint(size: number, root: Buffer): string {
    const name = new URL(this.server.url).hostname
    const note = `${name} - ${this.treeId}\n${size}\n${root.toString('base64')}\n`
    const signature = sign('sha256', Buffer.from(note), this.keys.privateKey)
    const stamp = Buffer.concat([this.logId.subarray(0, 4), signature]).toString('base64')
    return `${note}\n\u2014 ${name} ${stamp}\n`
  }
}

/** A proposed dsse v0.0.1 entry: the envelope as JSON text, and the PEM certificate of its signer. */
interface ProposedDsse {
  apiVersion: string
  kind: string
  spec: { proposedContent: { envelope: string; verifiers: string[] } }
}

/**
 * The entry Rekor stores for a DSSE envelope, as its dsse v0.0.1 type
 * canonicalises it (hashes of the envelope and of its payload, and each
 * signature with its verifier), once each signature checks against the PAE;
 * or why it is refused.
 */
function dsseEntry(proposed: ProposedDsse): unknown {
  const { envelope: text, verifiers } = proposed.spec?.proposedContent ?? {}
  let envelope: { payload: string; payloadType: string; signatures: { sig: string }[] }
  try {
    envelope = JSON.parse(text ?? '')
  } catch {
    return 'invalid envelope: not JSON'
  }
  const [verifier] = verifiers ?? []
  if (!verifier || envelope.signatures?.length !== 1) return 'want one signature and one verifier'
  let key: KeyObject
  try {
    key = new X509Certificate(Buffer.from(verifier, 'base64')).publicKey
  } catch {
    return 'invalid verifier: not a PEM certificate'
  }
  const payload = Buffer.from(envelope.payload, 'base64')
  const pae = dsse.preAuthEncoding(envelope.payloadType, payload)
  const signature = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64')
  const problem = p256DigestProblem(key, createHash('sha256').update(pae).digest(), signature)
  if (problem) return `verifying signature: ${problem}`
  const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(canonicalJson(envelope)) },
      payloadHash: { algorithm: 'sha256', value: sha256(payload) },
      signatures: [{ signature: envelope.signatures[0]?.sig, verifier }],
    },
  }
}

/** Returns why a hashedrekord entry is unacceptable, or undefined. */
function checkHashedRekord(entry: HashedRekord): string | undefined {
  const { hash } = entry.spec.data
  if (hash.algorithm !== 'sha256' || !/^[0-9a-f]{64}$/.test(hash.value)) return 'invalid hash'
  // Rekor takes a certificate or a bare public key (a managed key), both PEM.
  const pem = Buffer.from(entry.spec.signature.publicKey.content, 'base64')
  let key: KeyObject
  try {
    key = new X509Certificate(pem).publicKey
  } catch {
    try {
      key = createPublicKey(pem)
    } catch {
      return 'invalid public key: neither a PEM certificate nor a PEM public key'
    }
  }
  const signature = Buffer.from(entry.spec.signature.content, 'base64')
  const problem = p256DigestProblem(key, Buffer.from(hash.value, 'hex'), signature)
  return problem && `verifying signature: ${problem}`
}

/** RFC 8785-style canonical JSON for the plain objects Rekor signs. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}
