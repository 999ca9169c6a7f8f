// The Octokit the GitHub adapter talks through: a timeout on every request,
// GitHub's rate limits kept by the throttling plugin and the run's gate
// (rate-limit.ts), every write paced (write-pacer.ts), and every other
// failure worth another try retried with Retry-After honoured (retries.ts).
import { debug, warning } from '@actions/core'
import { getOctokit } from '@actions/github'
import { GitHub } from '@actions/github/lib/utils'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'
import { scaled } from '../util/wait.js'
import { secondaryLimit } from './failures.js'
import type { RateLimitGate } from './rate-limit.js'
import { retryEachRequest } from './retries.js'
import { strictFetch } from './strict-fetch.js'
import type { WritePacer } from './write-pacer.js'

/**
 * Writes (uploads and deletes of bundles) allowed in flight at once, as many
 * as the run has assets in flight (CONCURRENCY in signer/run/concurrency.ts). The throttling
 * plugin's default is one write per second, which would take over eight
 * minutes to attach a 500-asset release; release tools such as goreleaser
 * upload several assets at once. The plugin's own limit of ten requests in
 * flight, reads and writes together, still applies, so at most ten writes run
 * at once. The windows GitHub counts writes in are kept by the write pacer.
 */
const WRITE_CONCURRENCY = 16

/** Octokit sets no timeout of its own; a request that hangs this long fails and is retried. */
export const REQUEST_TIMEOUT_MS = 60_000

export type Octokit = ReturnType<typeof getOctokit>

/** An Octokit for the token (empty: anonymous reads); without a pacer, for reads only. */
export function buildOctokit(
  token: string,
  apiUrl: string,
  gate: RateLimitGate,
  pacer?: WritePacer,
): Octokit {
  const octokitOptions = {
    baseUrl: apiUrl,
    log: { debug, info: debug, warn: warning, error: warning },
    request: { fetch: strictFetch(REQUEST_TIMEOUT_MS) },
    throttle: {
      // The plugin waits this per second of Retry-After: through the wait
      // scale, like every other wait the action takes.
      retryAfterBaseValue: scaled(1_000),
      write: new Bottleneck.Group({
        maxConcurrent: WRITE_CONCURRENCY,
      }),
      onRateLimit: (
        retryAfter: number,
        opts: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => gate.decide('rate limit', retryAfter, opts, retryCount),
      onSecondaryRateLimit: (
        retryAfter: number,
        opts: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => gate.decide('secondary rate limit', retryAfter, opts, retryCount),
    },
  }
  // getOctokit loads only REST methods and pagination; the throttling
  // plugin must be passed in or its options do nothing. It also insists on
  // a token, so anonymous reads build the same client bare.
  const octokit = token
    ? getOctokit(token, octokitOptions, throttling)
    : (new (GitHub.plugin(throttling))(octokitOptions) as unknown as Octokit)
  octokit.hook.before('request', () => gate.check())
  // Each attempt at a write goes through the pacer, which also waits out its
  // secondary-limit answers (the plugin leaves those to it).
  if (pacer) {
    octokit.hook.wrap('request', (request, opts) =>
      opts.method === 'GET'
        ? request(opts)
        : pacer.write(`${opts.method} ${opts.url}`, async () => request(opts), secondaryLimit),
    )
  }
  // Every other failure worth another try is retried around each request,
  // so the gate above sees every attempt (see retries.ts).
  retryEachRequest(octokit)
  return octokit
}
