// The shared plumbing of every stand-in server: a node:http server on
// 127.0.0.1 with an ephemeral port, a request log, and scripted faults.
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void

export interface LoggedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  /** When it arrived (Date.now()). */
  at: number
}

/** A fault a test can script for a route. */
export type Fault =
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'secondary-rate-limit'; retryAfter?: number }
  /** Retry-After in seconds, or as an HTTP date. */
  | { kind: 'too-many-requests'; retryAfter: number | string }
  /** Sends the headers and half the body, then resets the connection. */
  | { kind: 'reset' }
  /** Sends the headers and half the body, then closes the connection cleanly. */
  | { kind: 'truncate' }
  /** Sends the headers and half the body, then sends nothing more, keeping the connection open. */
  | { kind: 'stall' }
  /** Lets the handler do its work, then drops the connection before any response. */
  | { kind: 'lose-response' }
  /** Waits before answering normally. */
  | { kind: 'slow'; delayMs: number }
  /** An HTML page instead of the service's answer, as a load balancer or captive proxy sends. */
  | { kind: 'html'; status: 200 | 502 | 504 }

export interface FaultRule {
  method?: string
  /** Matched against the path and query of the request. */
  path: RegExp
  fault: Fault
  /** How many matching requests get the fault; then the rule is spent. */
  times: number
}

export class StandInServer {
  readonly requests: LoggedRequest[] = []
  private readonly rules: FaultRule[] = []
  private server?: http.Server
  url = ''
  /** Added before every answer, to model the round trip to a distant service. */
  latencyMs = 0

  constructor(
    readonly name: string,
    private readonly handler: Handler,
  ) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.serve(req, res))
    // Idle connections stay open for 5 s, as Node's default. Clients reuse a
    // connection only while the server's keep-alive hint, less a safety margin
    // (undici's is 2 s), is left; a shorter hint made every request to the
    // stand-ins open a new connection, which GitHub and Sigstore do not force.
    this.server.keepAliveTimeout = 5000
    this.server.listen(0, '127.0.0.1')
    await once(this.server, 'listening')
    const { port } = this.server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}`
    return this
  }

  async stop(): Promise<void> {
    if (!this.server) return
    this.server.closeAllConnections()
    this.server.close()
    await once(this.server, 'close')
  }

  /** Scripts a fault. With `times` omitted, the next matching request only. */
  fail(rule: Omit<FaultRule, 'times'> & { times?: number }): void {
    this.rules.push({ ...rule, times: rule.times ?? 1 })
  }

  /** How many scripted faults have not fired yet. */
  get unspentFaults(): number {
    return this.rules.reduce((sum, r) => sum + r.times, 0)
  }

  clearFaults(): void {
    this.rules.length = 0
  }

  private takeFault(req: http.IncomingMessage): Fault | undefined {
    const rule = this.rules.find(
      (r) => r.times > 0 && (!r.method || r.method === req.method) && r.path.test(req.url ?? ''),
    )
    if (!rule) return undefined
    rule.times -= 1
    return rule.fault
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      at: Date.now(),
    })
    const fault = this.takeFault(req)
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs))
    try {
      if (fault && (await applyFault(fault, req, res))) return
      await this.handler(req, res)
    } catch (error) {
      if (!res.headersSent) {
        sendJson(res, 500, { message: `stand-in ${this.name} failed: ${String(error)}` })
      } else {
        res.destroy()
      }
    }
  }
}

/** Applies a fault. Returns true when the fault has answered the request itself. */
async function applyFault(
  fault: Fault,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<boolean> {
  switch (fault.kind) {
    case 'status':
      await drain(req)
      sendJson(res, fault.status, { message: 'Server Error (injected)' })
      return true
    case 'secondary-rate-limit':
      await drain(req)
      res.setHeader('retry-after', String(fault.retryAfter ?? 1))
      sendJson(res, 403, {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      })
      return true
    case 'too-many-requests':
      await drain(req)
      res.setHeader('retry-after', String(fault.retryAfter))
      sendJson(res, 429, { message: 'Too Many Requests (injected)' })
      return true
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
      return false
    case 'html': {
      await drain(req)
      const page = `<!DOCTYPE html><html><head><title>Unicorn! &middot; GitHub</title></head><body>${'<p>No server is currently available to service your request.</p>'.repeat(40)}</body></html>`
      res.writeHead(fault.status, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(page),
      })
      res.end(page)
      return true
    }
    case 'reset':
    case 'truncate':
    case 'stall':
      cutBodyHalfway(res, fault.kind)
      return false
    case 'lose-response':
      res.writeHead = (() => {
        res.socket?.resetAndDestroy()
        return res
      }) as typeof res.writeHead
      res.end = (() => res) as typeof res.end
      return false
  }
}

/** Lets the real handler run, but stops its body halfway through. */
function cutBodyHalfway(res: http.ServerResponse, how: 'reset' | 'truncate' | 'stall'): void {
  const write = res.write.bind(res) as (chunk: Buffer) => boolean
  let sent = 0
  let limit = -1
  let cut = false
  const cutNow = () => {
    cut = true
    if (how === 'reset') res.socket?.resetAndDestroy()
    else if (how === 'truncate') res.socket?.end()
  }
  const limitFor = () => {
    if (limit < 0) limit = Math.floor(Number(res.getHeader('content-length') ?? 2) / 2)
    return limit
  }
  res.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
    if (cut) return false
    const buf = Buffer.from(chunk)
    const room = limitFor() - sent
    if (buf.length >= room) {
      write(buf.subarray(0, Math.max(room, 0)))
      cutNow()
      return false
    }
    sent += buf.length
    return write(buf, ...(rest as []))
  }) as typeof res.write
  res.end = ((chunk?: Buffer | string | (() => void)) => {
    if (cut) return res
    if (chunk && typeof chunk !== 'function') res.write(Buffer.from(chunk))
    if (!cut) cutNow()
    return res
  }) as typeof res.end
}

export async function drain(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function readJson<T>(req: http.IncomingMessage): Promise<T> {
  return JSON.parse((await drain(req)).toString('utf8')) as T
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}
