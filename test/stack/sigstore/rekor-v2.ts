// Rekor v2 (/api/v2/log/entries), as rekor-tiles behaves: entries wait in a
// batch that is sequenced into a real Merkle tree every `batchMs`, and each
// answer comes only once its entry is in the tree, with an inclusion proof and
// a checkpoint signed (ed25519, as a C2SP signed note) over the tree that
// holds it. There is no signed entry timestamp and no integrated time. An
// entry already in the log is refused as rekor-tiles refuses it: 409
// (gRPC AlreadyExists) with its index in `x-log-index`, and no entry to read
// back. It takes hashedrekord entries (v0.0.2), a DSSE envelope's among them
// (over its PAE), and refuses the dsse type that rekor-tiles dropped.
// (@sigstore/mock's Rekor v2 serves proofs that never verify.)
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  X509Certificate,
} from 'node:crypto'
import type http from 'node:http'
import { TransparencyLogEntry } from '@sigstore/protobuf-specs'
import { CreateEntryRequest, Entry } from '@sigstore/protobuf-specs/rekor/v2'
import { drain, readJson, StandInServer, sendJson } from '../http.js'
import { leafHash, MerkleTree } from './merkle.js'
import { p256DigestProblem } from './p256.js'
import { canonicalJson } from './rekor.js'

interface Pending {
  body: Buffer
  resolve: (index: number) => void
}

export class RekorV2StandIn {
  readonly server = new StandInServer('rekor-v2', (req, res) => this.handle(req, res))
  private readonly tree = new MerkleTree()
  /** Log index of each entry body already in the tree, by its leaf hash. */
  private readonly indexOf = new Map<string, number>()
  private pending: Pending[] = []
  private timer?: NodeJS.Timeout
  private readonly privateKey: KeyObject
  readonly publicKeyDer: Buffer
  /** How long an entry waits for its batch to be sequenced (rekor-tiles: up to about 1 s). */
  batchMs = 100
  /**
   * A log misconfigured to sign its checkpoints for another origin (such as
   * its host with the port), under its own key and key hint: @sigstore/verify
   * accepts such a checkpoint, cosign and sigstore-go refuse it.
   */
  checkpointOrigin: string | undefined

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    this.privateKey = privateKey
    this.publicKeyDer = publicKey.export({ format: 'der', type: 'spki' })
    for (let i = 0; i < 3; i++) this.tree.append(Buffer.from(`earlier entry ${i}`))
  }

  /** The checkpoint's origin and signer name: the host name of its base URL, without the port (sigstore-go refuses any other). */
  get origin(): string {
    return new URL(this.server.url).hostname
  }

  /**
   * The log's ID as trusted roots give it for a Rekor v2 log: the C2SP note
   * key ID, SHA-256(name || 0x0A || 0x01 || raw ed25519 key). Its first four
   * bytes are the key hint on each checkpoint signature.
   */
  get logId(): Buffer {
    return createHash('sha256')
      .update(`${this.origin}\n`)
      .update(Buffer.from([0x01]))
      .update(this.publicKeyDer.subarray(-32))
      .digest()
  }

  get entryCount(): number {
    return this.indexOf.size
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://rekor').pathname
    if (req.method === 'POST' && path === '/api/v2/log/entries') return this.create(req, res)
    await drain(req)
    sendJson(res, 404, { code: 5, message: 'Not Found' })
  }

  private async create(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const spec = CreateEntryRequest.fromJSON(await readJson(req)).spec
    let entry: Entry
    if (spec?.$case === 'hashedRekordRequestV002') {
      const { digest, signature } = spec.hashedRekordRequestV002
      const problem = checkSignature(digest, signature)
      if (problem) return sendJson(res, 400, { code: 3, message: problem })
      entry = {
        kind: 'hashedrekord',
        apiVersion: '0.0.2',
        spec: {
          spec: {
            $case: 'hashedRekordV002',
            hashedRekordV002: { data: { algorithm: 1 /* SHA2_256 */, digest }, signature },
          },
        },
      }
    } else if (spec?.$case === 'dsseRequestV002') {
      // rekor-tiles dropped the dsse type: a DSSE envelope is logged as a
      // hashedrekord over its pre-authentication encoding.
      return sendJson(res, 400, {
        code: 3,
        message: 'dsse entries are not supported; log the envelope as a hashedrekord over its PAE',
      })
    } else {
      return sendJson(res, 400, { code: 3, message: 'unsupported entry kind' })
    }
    const body = Buffer.from(canonicalJson(Entry.toJSON(entry)))
    const existing = this.indexOf.get(leafHash(body).toString('hex'))
    if (existing !== undefined) {
      return sendJson(
        res,
        409,
        {
          code: 6,
          message: `an equivalent entry already exists in the log at index ${existing}`,
          details: [],
        },
        { 'x-log-index': String(existing) },
      )
    }
    const logIndex = await this.sequence(body)
    sendJson(res, 201, this.render(body, entry.kind, logIndex))
  }

  /** Resolves with the entry's index once its batch is in the tree. */
  private sequence(body: Buffer): Promise<number> {
    return new Promise((resolve) => {
      this.pending.push({ body, resolve })
      this.timer ??= setTimeout(() => this.integrate(), this.batchMs)
    })
  }

  private integrate(): void {
    this.timer = undefined
    const batch = this.pending
    this.pending = []
    for (const { body, resolve } of batch) {
      const leaf = leafHash(body).toString('hex')
      let index = this.indexOf.get(leaf)
      if (index === undefined) {
        index = this.tree.append(body)
        this.indexOf.set(leaf, index)
      }
      resolve(index)
    }
  }

  private render(body: Buffer, kind: string, logIndex: number): unknown {
    const treeSize = this.tree.size
    const rootHash = this.tree.root(treeSize)
    return TransparencyLogEntry.toJSON({
      logIndex: String(logIndex),
      logId: { keyId: this.logId },
      kindVersion: { kind, version: '0.0.2' },
      integratedTime: '0',
      inclusionPromise: undefined,
      inclusionProof: {
        logIndex: String(logIndex),
        rootHash,
        treeSize: String(treeSize),
        hashes: this.tree.inclusionProof(logIndex, treeSize),
        checkpoint: { envelope: this.checkpoint(treeSize, rootHash) },
      },
      canonicalizedBody: body,
    })
  }

  private checkpoint(
    size: number,
    root: Buffer,
    origin = this.checkpointOrigin ?? this.origin,
  ): string {
    const note = `${origin}\n${size}\n${root.toString('base64')}\n`
    const signature = sign(null, Buffer.from(note), this.privateKey)
    const stamp = Buffer.concat([this.logId.subarray(0, 4), signature]).toString('base64')
    return `${note}\n\u2014 ${origin} ${stamp}\n`
  }

  /** A checkpoint this log signed, signed again (validly, with its key) for another origin. */
  resignCheckpoint(envelope: string, origin: string): string {
    const [, size = '', root = ''] = envelope.split('\n')
    return this.checkpoint(Number(size), Buffer.from(root, 'base64'), origin)
  }
}

/** DSSE's PAE: what an envelope's signature covers. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType)
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ])
}

type V2Signature = Extract<
  CreateEntryRequest['spec'],
  { $case: 'hashedRekordRequestV002' }
>['hashedRekordRequestV002']['signature']

/** Why the signature over `digest` does not verify with the key it names, or undefined. */
function checkSignature(digest: Buffer, signature: V2Signature): string | undefined {
  if (digest.length !== 32) return 'invalid digest: want 32 bytes of SHA-256'
  const verifier = signature?.verifier?.verifier
  let key: KeyObject
  try {
    if (verifier?.$case === 'x509Certificate') {
      key = new X509Certificate(verifier.x509Certificate.rawBytes).publicKey
    } else if (verifier?.$case === 'publicKey') {
      key = createPublicKey({ key: verifier.publicKey.rawBytes, format: 'der', type: 'spki' })
    } else {
      return 'missing verifier'
    }
  } catch {
    return 'invalid verifier: not a DER certificate or public key'
  }
  return p256DigestProblem(key, digest, signature?.content ?? Buffer.alloc(0))
}
