// An RFC 3161 timestamp over a signature, from a timestamp authority's
// /api/v1/timestamp (the URL is used as it is when it already has a path, as
// a signing config gives it). What comes back must parse as a timestamp: an
// error page in its place is a broken answer, and is tried again.
import { createHash } from 'node:crypto'
import { RFC3161Timestamp } from '@sigstore/core'
import { TransientHttpError, withRetry } from '../../util/retry.js'
import { readBody, SERVICE_RETRY, send } from './service.js'

export class TimestampClient {
  private readonly url: string

  constructor(baseUrl: string) {
    this.url =
      new URL(baseUrl).pathname === '/' ? `${baseUrl.replace(/\/$/, '')}/api/v1/timestamp` : baseUrl
  }

  /** The DER-encoded timestamp token over the SHA-256 of `signature`. */
  async timestamp(signature: Buffer): Promise<Buffer> {
    const request = JSON.stringify({
      artifactHash: createHash('sha256').update(signature).digest('base64'),
      hashAlgorithm: 'sha256',
    })
    return withRetry(async () => {
      const what = 'get a timestamp'
      const response = await send(what, this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: request,
      })
      const der = await readBody(response, what)
      try {
        RFC3161Timestamp.parse(der)
      } catch (error) {
        throw new TransientHttpError(
          `${what}: the answer is not a timestamp (${der.length} bytes)`,
          response.status,
          undefined,
          { cause: error },
        )
      }
      return der
    }, SERVICE_RETRY)
  }
}
