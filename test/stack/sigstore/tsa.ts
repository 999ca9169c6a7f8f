// An RFC 3161 timestamp authority, from @sigstore/mock's TSA. Its clock is
// pinned to whole seconds: with fractional seconds the mock sometimes writes a
// genTime with two fraction digits, which @sigstore/core rejects.
import type { KeyObject } from 'node:crypto'
import type http from 'node:http'
import { initializeTSA, tsaHandler } from '@sigstore/mock'

type TSA = Awaited<ReturnType<typeof initializeTSA>>

import { drain, StandInServer, sendJson } from '../http.js'

export class TsaStandIn {
  readonly server = new StandInServer('tsa', (req, res) => this.handle(req, res))
  private tsa?: TSA
  private handler?: ReturnType<typeof tsaHandler>

  async start(keys: { privateKey: KeyObject; publicKey: KeyObject }): Promise<this> {
    this.tsa = await initializeTSA(keys as never)
    ;(this.tsa as unknown as { getCurrentTime: () => Date }).getCurrentTime = () =>
      new Date(Math.floor(Date.now() / 1000) * 1000)
    this.handler = tsaHandler(this.tsa)
    await this.server.start()
    return this
  }

  get chain(): Buffer[] {
    if (!this.tsa) throw new Error('TSA stand-in not started')
    return [this.tsa.intCertificate, this.tsa.rootCertificate].map((c) =>
      Buffer.from(c.buffer, c.byteOffset, c.byteLength),
    )
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await drain(req)
    if (req.method !== 'POST' || req.url !== '/api/v1/timestamp' || !this.handler) {
      return sendJson(res, 404, { message: 'Not Found' })
    }
    const result = await this.handler.fn(body.toString('utf8'))
    const payload =
      typeof result.response === 'string'
        ? Buffer.from(result.response)
        : Buffer.from(
            result.response.buffer,
            result.response.byteOffset,
            result.response.byteLength,
          )
    res.writeHead(result.statusCode, {
      'content-type': result.contentType ?? 'text/plain',
      'content-length': payload.length,
    })
    res.end(payload)
  }
}
