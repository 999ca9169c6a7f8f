// Streams a release asset. Octokit buffers response bodies and follows
// redirects with our headers, so downloads use fetch directly: the API answers
// 302 to a storage host, and that request must carry no credentials (S3
// rejects a second auth mechanism, and the token must not leave GitHub).
import { debug } from '@actions/core'
import { summarizeBody } from '../util/body.js'
import { noteBytesRead } from '../util/memory.js'
import { retryAfterMs } from '../util/retry.js'

const MAX_REDIRECTS = 3

/** A download that receives nothing for this long is abandoned, and retried by the caller. */
export const IDLE_TIMEOUT_MS = 60_000

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions & { retryAfterMs?: number; status?: number },
  ) {
    super(message, options)
    this.retryAfterMs = options?.retryAfterMs
    this.status = options?.status
  }
  /** The wait the server asked for, if it asked. */
  readonly retryAfterMs?: number
  /** The HTTP status that ended the download, if one did. */
  readonly status?: number
}

/**
 * Streams from `from.url`: the API endpoint (with the token, or '' for an
 * anonymous read), or the web host's browser_download_url (token undefined:
 * it must not leave the API).
 */
export async function streamAsset(
  from: { name: string; url: string },
  token: string | undefined,
  idleTimeoutMs = IDLE_TIMEOUT_MS,
): Promise<AsyncIterable<Uint8Array>> {
  const asset = from
  // One idle timer for the whole download, restarted by every answer and every chunk.
  const controller = new AbortController()
  const idle = setTimeout(() => controller.abort(), idleTimeoutMs)
  let url = asset.url
  // An API download (token given; empty for anonymous reads of a public
  // repository) asks for the bytes; the web host needs no headers.
  let headers: Record<string, string> =
    token !== undefined
      ? {
          accept: 'application/octet-stream',
          ...(token ? { authorization: `token ${token}` } : {}),
          'user-agent': 'sign-release',
          'x-github-api-version': '2022-11-28',
        }
      : { 'user-agent': 'sign-release' }
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      let response: Response
      try {
        response = await fetch(url, { headers, redirect: 'manual', signal: controller.signal })
      } catch (error) {
        const why = controller.signal.aborted
          ? `no answer for ${idleTimeoutMs / 1000} s`
          : 'could not connect'
        throw new DownloadError(`${why} from ${new URL(url).host}`, true, { cause: error })
      }
      idle.refresh()
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel()
        url = new URL(location, url).toString()
        debug(`${asset.name}: following redirect to ${new URL(url).host}`)
        headers = { 'user-agent': 'sign-release' }
        continue
      }
      if (!response.ok || !response.body) {
        const text = await response.text().catch(() => '')
        // GitHub's secondary rate limit answers 403 (or 429) with a Retry-After.
        const limited =
          response.status === 429 ||
          (response.status === 403 &&
            (response.headers.has('retry-after') || /rate limit/i.test(text)))
        throw new DownloadError(
          `downloading ${asset.name} failed: HTTP ${response.status} from ${new URL(url).host}: ${summarizeBody(text)}`,
          limited || response.status >= 500 || response.status === 408,
          { retryAfterMs: retryAfterMs(response.headers), status: response.status },
        )
      }
      return watchIdle(response.body, idle, controller.signal, idleTimeoutMs)
    }
    throw new DownloadError(`downloading ${asset.name}: too many redirects`, false)
  } catch (error) {
    clearTimeout(idle)
    throw error
  }
}

async function* watchIdle(
  body: AsyncIterable<Uint8Array>,
  idle: NodeJS.Timeout,
  signal: AbortSignal,
  idleTimeoutMs: number,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) {
      idle.refresh()
      noteBytesRead(chunk.length)
      yield chunk
    }
  } catch (error) {
    if (signal.aborted) {
      throw new DownloadError(`no data for ${idleTimeoutMs / 1000} s; the download stalled`, true, {
        cause: error,
      })
    }
    throw error
  } finally {
    clearTimeout(idle)
  }
}
