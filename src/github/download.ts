// Streams a release asset. Octokit buffers response bodies and follows
// redirects with our headers, so downloads use fetch directly: the API answers
// 302 to a storage host, and that request must carry no credentials (S3
// rejects a second auth mechanism, and the token must not leave GitHub).
import { debug } from '@actions/core'
import type { Asset } from './types.js'

const MAX_REDIRECTS = 3

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export async function streamAsset(asset: Asset, token: string): Promise<AsyncIterable<Uint8Array>> {
  let url = asset.url
  let headers: Record<string, string> = {
    accept: 'application/octet-stream',
    authorization: `token ${token}`,
    'user-agent': 'sign-release',
    'x-github-api-version': '2022-11-28',
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response
    try {
      response = await fetch(url, { headers, redirect: 'manual' })
    } catch (error) {
      throw new DownloadError(`could not connect to ${new URL(url).host}`, true, { cause: error })
    }
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
      throw new DownloadError(
        `downloading ${asset.name} failed with HTTP ${response.status}: ${text.slice(0, 200)}`,
        response.status >= 500 || response.status === 429 || response.status === 408,
      )
    }
    return response.body
  }
  throw new DownloadError(`downloading ${asset.name}: too many redirects`, false)
}
