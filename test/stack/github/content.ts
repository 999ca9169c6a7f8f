// Where an asset's bytes come from. Large assets are generated on the fly or
// read from disk, so the stand-in never holds them in memory.
import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { Readable } from 'node:stream'

export type Content =
  | { kind: 'bytes'; data: Buffer }
  | { kind: 'file'; path: string }
  /** A deterministic byte stream of `size` bytes, derived from `seed`. */
  | { kind: 'generated'; size: number; seed: string }

const BLOCK = 1 << 20

/** One pseudo-random 1 MiB block, computed once and shared by every generated stream. */
let baseBlock: Buffer | undefined
function base(): Buffer {
  if (baseBlock) return baseBlock
  const block = Buffer.alloc(BLOCK)
  let h = createHash('sha256').update('sign-release stand-in content').digest()
  for (let off = 0; off < BLOCK; off += h.length) {
    h.copy(block, off)
    h = createHash('sha256').update(h).digest()
  }
  baseBlock = block
  return block
}

export function contentSize(content: Content): number {
  switch (content.kind) {
    case 'bytes':
      return content.data.length
    case 'file':
      return statSync(content.path).size
    case 'generated':
      return content.size
  }
}

export function contentStream(content: Content): Readable {
  switch (content.kind) {
    case 'bytes':
      return Readable.from([content.data])
    case 'file':
      return createReadStream(content.path, { highWaterMark: BLOCK })
    case 'generated':
      return Readable.from(generate(content.size, content.seed), { objectMode: false })
  }
}

/**
 * Block i of a stream is the shared block with i and the seed's hash written
 * at its head. The head is yielded as its own small chunk and the rest as a
 * view of the shared block, so serving a GiB allocates and copies almost
 * nothing: the stand-in must not be what a download benchmark measures.
 */
function* generate(size: number, seed: string): Generator<Buffer> {
  const seedHash = createHash('sha256').update(seed).digest()
  for (let i = 0, left = size; left > 0; i++, left -= BLOCK) {
    const length = Math.min(BLOCK, left)
    const head = Buffer.alloc(HEAD)
    head.writeUInt32BE(i >>> 0, 0)
    seedHash.copy(head, 4)
    yield head.subarray(0, Math.min(HEAD, length))
    if (length > HEAD) yield base().subarray(HEAD, length)
  }
}

const HEAD = 36

export async function contentDigest(content: Content): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of contentStream(content)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
