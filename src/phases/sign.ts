// Phase 3: stream each asset once (hash as the bytes pass), sign its digest,
// get it witnessed, verify the bundle, and write it under RUNNER_TEMP.
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info, warning } from '@actions/core'
import { messageOf } from '../errors.js'
import { DownloadError } from '../github/download.js'
import { type Asset, listedSha256, type ReleaseApi } from '../github/types.js'
import type { BundleMaker } from '../sigstore/bundle.js'
import { serializeBundle } from '../sigstore/bundle.js'
import type { EphemeralKey } from '../sigstore/key.js'
import type { BundleVerifier } from '../sigstore/verify.js'
import { formatBytes } from '../util/format.js'
import { mapSettled, type Settled } from '../util/pool.js'
import { Progress } from '../util/progress.js'
import { withRetry } from '../util/retry.js'
import type { PlanItem } from './plan.js'

const DOWNLOAD_ATTEMPTS = 4

export interface SignedItem {
  item: PlanItem
  sha256: string
  bundlePath: string
  logIndex: string
}

export interface Signing {
  api: ReleaseApi
  key: EphemeralKey
  maker: BundleMaker
  verifier: BundleVerifier
  bundlesDir: string
  concurrency: number
}

export async function signAssets(
  items: PlanItem[],
  signing: Signing,
): Promise<Settled<SignedItem>[]> {
  return mapSettled(items, signing.concurrency, (item) => signOne(item, signing))
}

async function signOne(item: PlanItem, s: Signing): Promise<SignedItem> {
  const digest = await hashAsset(s.api, item.asset)
  const signature = s.key.signDigest(digest)
  const bundle = await s.maker.make(digest, signature)
  const json = serializeBundle(bundle)
  try {
    s.verifier.verify(JSON.parse(json), digest)
  } catch (error) {
    throw new Error('the new bundle failed verification, so it will not be attached', {
      cause: error,
    })
  }
  const bundlePath = path.join(s.bundlesDir, item.fileName)
  await writeFile(bundlePath, json)
  const logIndex = bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? ''
  info(
    `signed ${item.asset.name} sha256:${digest.toString('hex')} -> ${item.bundleName} (log index ${logIndex})`,
  )
  return { item, sha256: digest.toString('hex'), bundlePath, logIndex }
}

/** Downloads and hashes an asset, checking it against GitHub's size and digest. */
async function hashAsset(api: ReleaseApi, asset: Asset): Promise<Buffer> {
  const expected = listedSha256(asset)
  return withRetry(
    async () => {
      const hash = createHash('sha256')
      const progress = new Progress(asset.name, asset.size)
      let size = 0
      for await (const chunk of await api.downloadAsset(asset)) {
        hash.update(chunk)
        size += chunk.length
        progress.add(chunk.length)
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
