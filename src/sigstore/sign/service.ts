// One request to a Sigstore service (Rekor, the timestamp authority), under
// the run's retry policy: 5xx, 408, 429, resets, stalls and broken answers
// are tried again, after the wait the service asks for (Retry-After) when it
// asks, up to the cap in util/retry.ts, or a minute, doubling, after a 429
// without Retry-After (Sigstore's public proxies give none). Any other
// refusal is final.
//
// sigstore-js's witnesses retry too, but through make-fetch-happen, whose
// errors carry no headers: they cannot honour Retry-After. So the two calls
// are made here, with fetch.
import { summarizeBody } from '../../util/body.js'
import {
  RATE_LIMIT_WAIT_MS,
  type RetryOptions,
  retryAfterMs,
  TransientHttpError,
} from '../../util/retry.js'

/** A busy log can take longer than sigstore-js's default of 5 s. */
const REQUEST_TIMEOUT_MS = 20_000

/** The service said no, for a reason another try will not change. */
export class ServiceRefusal extends Error {
  override name = 'ServiceRefusal'
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

export const SERVICE_RETRY: Omit<RetryOptions, 'onRetry'> = {
  attempts: 4,
  baseDelayMs: 500,
  retryable: (error) => !(error instanceof ServiceRefusal),
  rateLimitWaitMs: RATE_LIMIT_WAIT_MS,
}

/**
 * Sends the request. Returns the answer when it is a success or one of
 * `accepted`; throws TransientHttpError or ServiceRefusal otherwise.
 */
export async function send(
  what: string,
  url: string,
  init: RequestInit,
  accepted: number[] = [],
): Promise<Response> {
  const host = new URL(url).host
  let response: Response
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
  } catch (error) {
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? 'no answer in time'
        : 'could not connect'
    throw new TransientHttpError(`${what}: ${why} (${host})`, undefined, undefined, {
      cause: error,
    })
  }
  if (response.ok || accepted.includes(response.status)) return response
  const text = await response.text().catch(() => '')
  const message = `${what}: HTTP ${response.status} from ${host}: ${summarizeBody(text)}`
  const { status } = response
  if (status >= 500 || status === 408 || status === 429)
    throw new TransientHttpError(message, status, retryAfterMs(response.headers))
  throw new ServiceRefusal(message, status)
}

/** The whole body; an answer cut off on the way is worth another try. */
export async function readBody(response: Response, what: string): Promise<Buffer<ArrayBuffer>> {
  try {
    return Buffer.from(await response.arrayBuffer())
  } catch (error) {
    throw new TransientHttpError(`${what}: the answer was cut off`, response.status, undefined, {
      cause: error,
    })
  }
}
