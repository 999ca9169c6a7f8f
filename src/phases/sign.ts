// Phase 3: hash each asset in one streamed pass (hash.ts), sign its digest,
// get it witnessed, verify the bundle, and write it under RUNNER_TEMP.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info } from '@actions/core'
import type { Bundle } from '@sigstore/bundle'
import Bottleneck from 'bottleneck/light.js'
import type { ReleaseApi } from '../github/types.js'
import type { BundleMaker } from '../sigstore/bundle.js'
import { serializeBundle } from '../sigstore/bundle.js'
import type { EphemeralKey } from '../sigstore/key.js'
import { DuplicateEntry } from '../sigstore/rekor-v2.js'
import type { BundleVerifier } from '../sigstore/verify.js'
import { mapSettled, type Settled } from '../util/pool.js'
import { hashAsset } from './hash.js'
import type { PlanItem } from './plan.js'

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
  /** Downloads (and hashes) at once. */
  concurrency: number
  /** Assets in flight at once, counting those waiting on a log or a timestamp. */
  witnessConcurrency: number
}

export async function signAssets(
  items: PlanItem[],
  signing: Signing,
): Promise<Settled<SignedItem>[]> {
  // Bottleneck (already the GitHub client's limiter) caps the downloads;
  // the pool lets more assets wait on a log at once than it lets download.
  const downloads = new Bottleneck({ maxConcurrent: signing.concurrency })
  return mapSettled(items, signing.witnessConcurrency, (item) => signOne(item, signing, downloads))
}

async function signOne(item: PlanItem, s: Signing, downloads: Bottleneck): Promise<SignedItem> {
  // Local files were hashed from disk; only release assets are downloaded.
  const { asset } = item
  const digest = item.digest ?? (asset && (await downloads.schedule(() => hashAsset(s.api, asset))))
  if (!digest) throw new Error(`${item.name} has neither bytes on the release nor a local file`)
  let bundle: Bundle
  try {
    bundle = await s.maker.make(digest, s.key.signDigest(digest))
  } catch (error) {
    if (!(error instanceof DuplicateEntry)) throw error
    // Rekor v2 holds the entry whose answer was lost, and cannot return it:
    // a new signature makes a new entry (the first stays in the log, unused).
    info(`${item.name}: ${error.message}; signing again for an entry of its own`)
    bundle = await s.maker.make(digest, s.key.signDigest(digest, true))
  }
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
    `signed ${item.name} sha256:${digest.toString('hex')} -> ${item.bundleName} (log index ${logIndex})`,
  )
  return { item, sha256: digest.toString('hex'), bundlePath, logIndex }
}
