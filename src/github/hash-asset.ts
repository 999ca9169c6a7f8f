// Streams an asset once and hashes it as the bytes pass, checking what
// arrived against GitHub's size and digest. Used by the plan (for assets
// GitHub lists no digest for) and by signing.
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { warning } from '@actions/core'
import { messageOf } from '../errors.js'
import { formatBytes } from '../util/format.js'
import { Progress } from '../util/progress.js'
import { withRetry } from '../util/retry.js'
import { DownloadError } from './download.js'
import { type Asset, listedSha256, type ReleaseReads } from './types.js'

const DOWNLOAD_ATTEMPTS = 4

/**
 * Downloads and hashes an asset, checking it against GitHub's size and
 * digest; with `saveTo`, also writes the bytes to that file as they pass.
 */
export async function hashAsset(api: ReleaseReads, asset: Asset, saveTo?: string): Promise<Buffer> {
  const expected = listedSha256(asset)
  return withRetry(
    async () => {
      const hash = createHash('sha256')
      const progress = new Progress(asset.name, asset.size)
      const file = saveTo ? createWriteStream(saveTo) : undefined
      let size = 0
      try {
        for await (const chunk of await api.downloadAsset(asset)) {
          hash.update(chunk)
          size += chunk.length
          progress.add(chunk.length)
          // Wait for the disk when it falls behind, so memory stays flat.
          if (file && !file.write(chunk)) await once(file, 'drain')
        }
      } finally {
        if (file) await new Promise((resolve) => file.end(resolve))
      }
      if (size !== asset.size) {
        throw new DownloadError(
          `received ${formatBytes(size)} but GitHub lists ${formatBytes(asset.size)}`,
          true,
        )
      }
      const digest = hash.digest()
      if (expected && digest.toString('hex') !== expected) {
        throw new DownloadError(
          `downloaded bytes hash to sha256:${digest.toString('hex')}, but GitHub lists ${asset.digest}`,
          true,
        )
      }
      return digest
    },
    {
      attempts: DOWNLOAD_ATTEMPTS,
      baseDelayMs: 1_000,
      // Errors thrown while streaming (connection reset, premature close) are transient.
      retryable: (error) => !(error instanceof DownloadError) || error.retryable,
      onRetry: (error, attempt) =>
        warning(
          `${asset.name}: download attempt ${attempt} failed (${messageOf(error)}); retrying`,
        ),
    },
  )
}
