// The Actions results service that @actions/artifact uploads to: Twirp
// CreateArtifact and FinalizeArtifact, and an Azure-style block-blob host for
// the signed upload URL. It keeps every finalized artifact for tests to read.
import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import { drain, StandInServer, sendJson } from '../http.js'

export interface StoredArtifact {
  name: string
  workflowRunBackendId: string
  workflowJobRunBackendId: string
  data: Buffer
  size: number
  hash?: string
}

interface Pending {
  name: string
  blocks: Map<string, Buffer>
  data?: Buffer
}

const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/'

export class ResultsService {
  readonly server = new StandInServer('results', (req, res) => this.handle(req, res))
  readonly artifacts: StoredArtifact[] = []
  private readonly pending = new Map<string, Pending>()
  readonly runBackendId = randomBytes(16).toString('hex')
  readonly jobBackendId = randomBytes(16).toString('hex')

  /** An ACTIONS_RUNTIME_TOKEN whose scope names this run and job, as the runner's does. */
  readonly runtimeToken = runtimeTokenFor(this.runBackendId, this.jobBackendId)

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://results')
    const body = await drain(req)
    if (url.pathname.startsWith(TWIRP) && req.method === 'POST') {
      if (req.headers.authorization !== `Bearer ${this.runtimeToken}`) {
        return sendJson(res, 401, { code: 'unauthenticated', msg: 'bad runtime token' })
      }
      return this.twirp(url.pathname.slice(TWIRP.length), JSON.parse(body.toString('utf8')), res)
    }
    const blob = /^\/blobs\/([0-9a-f]+)$/.exec(url.pathname)?.[1]
    const upload = blob ? this.pending.get(blob) : undefined
    if (req.method === 'PUT' && upload) return this.putBlob(url, body, upload, res)
    sendJson(res, 404, { message: 'Not Found' })
  }

  private twirp(method: string, body: Record<string, unknown>, res: http.ServerResponse): void {
    const ids =
      body.workflow_run_backend_id === this.runBackendId &&
      body.workflow_job_run_backend_id === this.jobBackendId
    if (!ids) return sendJson(res, 400, { code: 'invalid_argument', msg: 'unknown run or job' })
    const name = String(body.name)
    if (method === 'CreateArtifact') {
      const key = randomBytes(8).toString('hex')
      this.pending.set(key, { name, blocks: new Map() })
      return sendJson(res, 200, {
        ok: true,
        signed_upload_url: `${this.server.url}/blobs/${key}?sig=${randomBytes(8).toString('hex')}`,
      })
    }
    if (method === 'FinalizeArtifact') {
      const entry = [...this.pending.entries()].find(([, p]) => p.name === name && p.data)
      if (!entry) return sendJson(res, 404, { code: 'not_found', msg: 'artifact not uploaded' })
      const [key, upload] = entry
      this.pending.delete(key)
      const data = upload.data ?? Buffer.alloc(0)
      this.artifacts.push({
        name,
        workflowRunBackendId: this.runBackendId,
        workflowJobRunBackendId: this.jobBackendId,
        data,
        size: Number(body.size),
        hash: typeof body.hash === 'string' ? body.hash : undefined,
      })
      return sendJson(res, 200, { ok: true, artifact_id: String(this.artifacts.length) })
    }
    sendJson(res, 404, { code: 'bad_route', msg: `no method ${method}` })
  }

  /** Azure block blobs: Put Block, Put Block List, or a single Put Blob. */
  private putBlob(url: URL, body: Buffer, upload: Pending, res: http.ServerResponse): void {
    const comp = url.searchParams.get('comp')
    if (comp === 'block') upload.blocks.set(url.searchParams.get('blockid') ?? '', body)
    else if (comp === 'blocklist') {
      const ids = [
        ...body.toString('utf8').matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]+)</g),
      ].map((m) => m[1] ?? '')
      upload.data = Buffer.concat(ids.map((id) => upload.blocks.get(id) ?? Buffer.alloc(0)))
    } else upload.data = body
    res.writeHead(201, {
      etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
      'last-modified': new Date().toUTCString(),
      'x-ms-request-id': randomBytes(16).toString('hex'),
      'x-ms-version': '2025-05-05',
      'x-ms-request-server-encrypted': 'true',
      date: new Date().toUTCString(),
      'content-length': 0,
    })
    res.end()
  }
}

function runtimeTokenFor(run: string, job: string): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const scp = `Actions.GenericRead:00000000 Actions.Results:${run}:${job}`
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part({ scp, exp: Math.floor(Date.now() / 1000) + 3600 })}.c2ln`
}
