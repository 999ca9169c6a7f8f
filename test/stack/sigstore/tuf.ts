// A TUF repository for the stack's Sigstore instance, served as static files
// the way Sigstore's CDN serves its own: consistent-snapshot metadata signed
// with ed25519 keys made at start-up, and trusted_root.json as a target.
// Built with @tufjs/models, the models the TUF client itself parses.
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import type http from 'node:http'
import {
  Key,
  Metadata,
  MetaFile,
  Root,
  Signature,
  Snapshot,
  TargetFile,
  Targets,
  Timestamp,
} from '@tufjs/models'
import { StandInServer } from '../http.js'

type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp'
const ROLES: RoleName[] = ['root', 'targets', 'snapshot', 'timestamp']
const SPEC_VERSION = '1.0.31'
const WEEK_MS = 7 * 86_400_000

class SigningKey {
  readonly key: Key
  private readonly privateKey: KeyObject

  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    this.privateKey = privateKey
    // TUF writes ed25519 keys as the hex of the raw 32-byte public key.
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex')
    const fields = { keytype: 'ed25519', keyval: { public: raw }, scheme: 'ed25519' }
    // The key ID is the SHA-256 of the key's canonical JSON (these keys are already in order).
    const keyID = createHash('sha256').update(JSON.stringify(fields)).digest('hex')
    this.key = new Key({ keyID, keyType: 'ed25519', scheme: 'ed25519', keyVal: fields.keyval })
  }

  signer = (bytes: Buffer): Signature =>
    new Signature({
      keyID: this.key.keyID,
      sig: sign(null, bytes, this.privateKey).toString('hex'),
    })
}

export class TufRepositoryStandIn {
  readonly server = new StandInServer('tuf', (req, res) => this.serve(req, res))
  private readonly files = new Map<string, Buffer>()
  private readonly targets = new Map<string, Buffer>()
  private readonly keys: Record<RoleName, SigningKey>
  private rootVersion = 0
  private version = 0

  constructor() {
    this.keys = {
      root: new SigningKey(),
      targets: new SigningKey(),
      snapshot: new SigningKey(),
      timestamp: new SigningKey(),
    }
    this.publishRoot()
  }

  /** The repository's first root: what a client is given as its initial root.json. */
  get initialRoot(): Buffer {
    return this.file('1.root.json')
  }

  /**
   * Publishes the next root version with a new timestamp key, signed by the
   * root key that every client already trusts: a key rotation, which a client
   * starting from the initial root has to walk through.
   */
  rotateTimestampKey(): void {
    this.keys.timestamp = new SigningKey()
    this.publishRoot()
    this.publishTargets()
  }

  /** Adds or replaces a target, and publishes new targets, snapshot and timestamp metadata. */
  setTarget(name: string, bytes: Buffer): void {
    this.targets.set(name, bytes)
    this.publishTargets()
  }

  /** Removes a target, and publishes new targets, snapshot and timestamp metadata. */
  removeTarget(name: string): void {
    this.targets.delete(name)
    this.publishTargets()
  }

  /** Serves other bytes for a target than its signed metadata describes, as a compromised mirror would. */
  tamperTarget(name: string, bytes: Buffer): void {
    const signed = this.targets.get(name)
    if (!signed) throw new Error(`no target ${name}`)
    this.files.set(targetPath(name, signed), bytes)
  }

  private file(name: string): Buffer {
    const bytes = this.files.get(name)
    if (!bytes) throw new Error(`no file ${name} in the TUF repository`)
    return bytes
  }

  private publishRoot(): void {
    this.rootVersion += 1
    const root = new Root({
      version: this.rootVersion,
      specVersion: SPEC_VERSION,
      expires: expiry(),
      consistentSnapshot: true,
    })
    for (const role of ROLES) root.addKey(this.keys[role].key, role)
    const metadata = new Metadata(root)
    metadata.sign(this.keys.root.signer)
    this.files.set(`${this.rootVersion}.root.json`, toBytes(metadata))
  }

  private publishTargets(): void {
    this.version += 1
    const targets = new Targets({
      version: this.version,
      specVersion: SPEC_VERSION,
      expires: expiry(),
    })
    for (const [name, bytes] of this.targets) {
      targets.addTarget(
        new TargetFile({ path: name, length: bytes.length, hashes: { sha256: sha256(bytes) } }),
      )
      this.files.set(targetPath(name, bytes), bytes)
    }
    this.files.set(`${this.version}.targets.json`, this.signed(targets, 'targets'))

    const snapshot = new Snapshot({
      version: this.version,
      specVersion: SPEC_VERSION,
      expires: expiry(),
      meta: { 'targets.json': new MetaFile({ version: this.version }) },
    })
    this.files.set(`${this.version}.snapshot.json`, this.signed(snapshot, 'snapshot'))

    const timestamp = new Timestamp({
      version: this.version,
      specVersion: SPEC_VERSION,
      expires: expiry(),
      snapshotMeta: new MetaFile({ version: this.version }),
    })
    this.files.set('timestamp.json', this.signed(timestamp, 'timestamp'))
  }

  private signed(signed: Targets | Snapshot | Timestamp, role: RoleName): Buffer {
    const metadata = new Metadata(signed)
    metadata.sign(this.keys[role].signer)
    return toBytes(metadata)
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://tuf').pathname.slice(1))
    const bytes = req.method === 'GET' ? this.files.get(name) : undefined
    if (!bytes) {
      // As a static bucket answers for a root version that does not exist yet.
      res.writeHead(404, { 'content-type': 'application/xml' })
      res.end('<Error><Code>NoSuchKey</Code></Error>')
      return
    }
    res.writeHead(200, {
      'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'content-length': bytes.length,
    })
    res.end(bytes)
  }
}

function targetPath(name: string, bytes: Buffer): string {
  return `targets/${sha256(bytes)}.${name}`
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function expiry(): string {
  return new Date(Date.now() + WEEK_MS).toISOString().replace(/\.\d+Z$/, 'Z')
}

function toBytes(metadata: Metadata<Root | Targets | Snapshot | Timestamp>): Buffer {
  return Buffer.from(JSON.stringify(metadata.toJSON(), null, 2))
}
