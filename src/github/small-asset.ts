// Reads a small asset whole: a bundle, a provenance, or a checksums manifest.
// Anything larger than the limit is refused before a byte is downloaded.
import { formatBytes } from '../util/format.js'
import type { Asset, ReleaseReads } from './types.js'

/**
 * Bundles are a few kilobytes; anything near a megabyte is not one. A
 * provenance over GitHub's 1,000 assets with the longest names is about
 * half a megabyte.
 */
export const MAX_BUNDLE_BYTES = 1 << 20

export async function readSmallAsset(
  api: ReleaseReads,
  asset: Asset,
  limit = MAX_BUNDLE_BYTES,
): Promise<Buffer> {
  if (asset.size > limit)
    throw new Error(`${asset.name} is ${formatBytes(asset.size)}, more than ${formatBytes(limit)}`)
  const chunks: Uint8Array[] = []
  for await (const chunk of await api.downloadAsset(asset)) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** A JSON-lines file (`.intoto.jsonl`): its bytes, and its first line parsed. */
export async function readJsonLine(
  api: ReleaseReads,
  asset: Asset,
): Promise<{ data: Buffer; json: unknown }> {
  const data = await readSmallAsset(api, asset)
  return { data, json: JSON.parse(data.toString('utf8').split('\n')[0] ?? '') }
}
