// The storage host that release downloads redirect to. Like S3 behind a
// pre-signed URL, it refuses any request that also carries Authorization.
import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import { pipeline } from 'node:stream/promises'
import { StandInServer } from '../http.js'
import { type Content, contentSize, contentStream } from './content.js'

interface Ticket {
  content: Content
  expires: number
  /** Sent with no Content-Length (chunked), as GitHub's archive host streams what it builds. */
  chunked: boolean
}

export class StorageHost {
  private readonly tickets = new Map<string, Ticket>()
  readonly server = new StandInServer('storage', (req, res) => this.handle(req, res))
  /**
   * Capacity of the link that every download from this host shares, modelling
   * the runner's network; 0 is loopback speed. Bytes are released at this rate.
   */
  bandwidthBytesPerSecond = 0
  private linkFreeAt = 0

  /** Issues a short-lived pre-signed URL for the content. */
  presign(content: Content, filename: string, opts: { chunked?: boolean } = {}): string {
    const key = randomBytes(12).toString('hex')
    this.tickets.set(key, {
      content,
      expires: Date.now() + 5 * 60_000,
      chunked: opts.chunked ?? false,
    })
    return `${this.server.url}/blobs/${key}/${encodeURIComponent(filename)}?X-Amz-Signature=${randomBytes(16).toString('hex')}`
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.headers.authorization) {
      const text =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message></Error>'
      res.writeHead(400, { 'content-type': 'application/xml', 'content-length': text.length })
      res.end(text)
      return
    }
    const key = /^\/blobs\/([0-9a-f]+)\//.exec(req.url ?? '')?.[1]
    const ticket = key ? this.tickets.get(key) : undefined
    if (!ticket || ticket.expires < Date.now()) {
      const text = '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'
      res.writeHead(403, { 'content-type': 'application/xml', 'content-length': text.length })
      res.end(text)
      return
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      ...(ticket.chunked ? {} : { 'content-length': contentSize(ticket.content) }),
    })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    if (this.bandwidthBytesPerSecond > 0) {
      await pipeline(contentStream(ticket.content), (source) => this.paced(source), res)
    } else {
      await pipeline(contentStream(ticket.content), res)
    }
  }

  /** Passes each chunk on once the shared link would have carried it. */
  private async *paced(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      const now = performance.now()
      this.linkFreeAt =
        Math.max(now, this.linkFreeAt) + (chunk.length / this.bandwidthBytesPerSecond) * 1000
      const wait = this.linkFreeAt - now
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait))
      yield chunk
    }
  }
}
