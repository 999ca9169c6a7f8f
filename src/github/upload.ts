// Streams a local file to GitHub's uploads host. Octokit sends request bodies
// with fetch, and undici's fetch reads a streamed request body into memory as
// fast as the disk gives it (nodejs/undici#4058): a 1 GiB file would cost
// 1 GiB of memory. @actions/http-client sends with node:http, which honours
// backpressure, so the file passes through in 1 MiB pieces. Each attempt
// opens the file afresh.
import { createReadStream } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { warning } from '@actions/core'
import { HttpClient } from '@actions/http-client'
import { UserError } from '../errors.js'
import { summarizeBody } from '../util/body.js'
import { retryAfterMs, TransientHttpError, withRetry } from '../util/retry.js'
import { primaryLimitReset } from './failures.js'
import { RateLimitStop } from './rate-limit.js'
import { AssetExistsError } from './types.js'

const ATTEMPTS = 4
/** An upload that moves no bytes for this long is abandoned and tried again. */
const IDLE_TIMEOUT_MS = 60_000

export interface FileUpload {
  /** The release's upload_url template. */
  uploadUrl: string
  name: string
  path: string
  size: number
  contentType: string
  token: string
}

/** How an upload meets GitHub's rate limits, shared with the run's other requests. */
export interface UploadPacing {
  /** Before each attempt: throws when a limit stopped the run, waits while one holds writes. */
  before: () => Promise<void>
  /** GitHub asked for this wait (a secondary limit): every content-creating request waits. */
  limited: (waitMs: number) => void
}

/** Uploads the file; returns GitHub's asset JSON. */
export async function uploadFile(u: FileUpload, pacing: UploadPacing): Promise<unknown> {
  const url = `${u.uploadUrl.replace(/\{[^}]*\}$/, '')}?name=${encodeURIComponent(u.name)}`
  const client = new HttpClient('sign-release', [], {
    socketTimeout: IDLE_TIMEOUT_MS,
    allowRetries: false,
  })
  try {
    return await withRetry(
      async () => {
        await pacing.before()
        const response = await client.sendStream(
          'POST',
          url,
          createReadStream(u.path, { highWaterMark: 1 << 20 }),
          {
            authorization: `token ${u.token}`,
            accept: 'application/vnd.github+json',
            'x-github-api-version': '2022-11-28',
            'content-type': u.contentType,
            'content-length': String(u.size),
          },
        )
        const status = response.message.statusCode ?? 0
        const text = await readAnswer(response.message)
        const data = parseJson(text)
        if (status >= 200 && status < 300 && data !== undefined) return data
        const headers = new Headers()
        for (const [name, value] of Object.entries(response.message.headers)) {
          if (typeof value === 'string') headers.set(name, value)
        }
        const error = refusal(u.name, status, text, data, headers)
        if (error instanceof TransientHttpError && error.retryAfterMs !== undefined)
          pacing.limited(error.retryAfterMs)
        throw error
      },
      {
        attempts: ATTEMPTS,
        baseDelayMs: 1_000,
        // Refusals and name clashes are final; answers worth another try, resets and stalls are not.
        retryable: (error) =>
          !(error instanceof UploadRefused || error instanceof AssetExistsError),
        onRetry: (error, attempt) =>
          warning(`${u.name}: upload attempt ${attempt} failed (${describe(error)}); retrying`),
      },
    )
  } finally {
    client.dispose()
  }
}

/** GitHub refused the upload for good; the message says why. */
class UploadRefused extends UserError {
  override name = 'UploadRefused'
}

function refusal(
  name: string,
  status: number,
  text: string,
  data: unknown,
  headers: Headers,
): Error {
  const body = (data ?? {}) as { message?: string; errors?: { code?: string }[] }
  const until = primaryLimitReset(status, headers)
  if (until) return new RateLimitStop(until)
  if (status === 422 && body.errors?.some((e) => e.code === 'already_exists'))
    return new AssetExistsError(name)
  const said = body.message ?? summarizeBody(text)
  const limited =
    status === 429 || (status === 403 && (headers.has('retry-after') || /rate limit/i.test(said)))
  const ok = status >= 200 && status < 300
  if (ok || limited || status >= 500 || status === 408) {
    const wait = retryAfterMs(headers)
    const why = ok
      ? `HTTP ${status} and ${summarizeBody(text) || 'an empty body'}, not JSON`
      : `HTTP ${status}: ${said}`
    return new TransientHttpError(`GitHub answered the upload of ${name} with ${why}`, status, wait)
  }
  if (status === 403) {
    return new UploadRefused(
      `GitHub refused to upload ${name} (HTTP 403: ${said}). The token needs contents: write; ` +
        "add 'permissions: contents: write' to the job, or pass a github-token that has it.",
    )
  }
  return new UploadRefused(`GitHub API: could not upload ${name}: HTTP ${status}: ${said}`)
}

/**
 * The whole answer, or an error when it was cut off. (HttpClient's readBody
 * waits for an 'end' that a connection closed mid-answer never sends.)
 */
async function readAnswer(message: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of message) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks)
  const declared = message.headers['content-length']
  if (declared !== undefined && Number(declared) !== body.length) {
    throw new Error(`the answer was cut off after ${body.length} of ${declared} bytes`)
  }
  return body.toString('utf8')
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
