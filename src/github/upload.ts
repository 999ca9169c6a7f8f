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
import { primaryLimitReset, secondaryLimitAnswer } from './failures.js'
import { RateLimitStop } from './rate-limit.js'
import { AssetExistsError, ReleaseFullError } from './types.js'
import type { LimitAnswer, WritePacer } from './write-pacer.js'

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

/** Uploads the file; returns GitHub's asset JSON. */
export async function uploadFile(u: FileUpload, pacer: WritePacer): Promise<unknown> {
  const url = `${u.uploadUrl.replace(/\{[^}]*\}$/, '')}?name=${encodeURIComponent(u.name)}`
  const client = new HttpClient('sign-release', [], {
    socketTimeout: IDLE_TIMEOUT_MS,
    allowRetries: false,
  })
  // One attempt, read whole; a secondary-limit answer is thrown here, so the
  // pacer waits it out and sends again.
  const send = async () => {
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
    throw refusal(u.name, status, text, data, headersOf(response.message))
  }
  try {
    return await withRetry(() => pacer.write(`the upload of ${u.name}`, send, limitOf), {
      attempts: ATTEMPTS,
      baseDelayMs: 1_000,
      // Refusals, name clashes, a full release and a secondary limit the pacer
      // gave up on are final; answers worth another try, resets and stalls are not.
      retryable: (error) =>
        !(
          error instanceof UploadRefused ||
          error instanceof AssetExistsError ||
          error instanceof ReleaseFullError ||
          error instanceof SecondaryLimitAnswer
        ),
      onRetry: (error, attempt) =>
        warning(`${u.name}: upload attempt ${attempt} failed (${describe(error)}); retrying`),
    })
  } finally {
    client.dispose()
  }
}

function limitOf(error: unknown): LimitAnswer | undefined {
  return error instanceof SecondaryLimitAnswer ? { retryAfterMs: error.retryAfterMs } : undefined
}

function headersOf(message: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(message.headers)) {
    if (typeof value === 'string') headers.set(name, value)
  }
  return headers
}

/** GitHub refused the upload under its secondary limit. */
class SecondaryLimitAnswer extends TransientHttpError {
  override name = 'SecondaryLimitAnswer'
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
  const body = (data ?? {}) as {
    message?: string
    errors?: { code?: string; field?: string }[]
  }
  const until = primaryLimitReset(status, headers)
  if (until) return new RateLimitStop(until)
  if (status === 422 && body.errors?.some((e) => e.code === 'already_exists'))
    return new AssetExistsError(name)
  // Not "already exists", whatever the wording: match on the field.
  if (status === 422 && body.errors?.some((e) => e.field === 'file_count'))
    return new ReleaseFullError(name)
  const said = body.message ?? summarizeBody(text)
  const limit = secondaryLimitAnswer(status, headers, said)
  if (limit) {
    return new SecondaryLimitAnswer(
      `GitHub answered the upload of ${name} with HTTP ${status}: ${said}`,
      status,
      limit.retryAfterMs,
    )
  }
  const ok = status >= 200 && status < 300
  if (ok || status >= 500 || status === 408) {
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
