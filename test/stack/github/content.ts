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

/** Block i of a stream is the shared block with i and the seed's hash written at its head. */
function* generate(size: number, seed: string): Generator<Buffer> {
  const head = Buffer.alloc(36)
  createHash('sha256').update(seed).digest().copy(head, 4)
  for (let i = 0, left = size; left > 0; i++, left -= BLOCK) {
    const block = Buffer.from(base().subarray(0, Math.min(BLOCK, left)))
    head.writeUInt32BE(i >>> 0, 0)
    head.copy(block, 0, 0, Math.min(head.length, block.length))
    yield block
  }
}

export async function contentDigest(content: Content): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of contentStream(content)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
