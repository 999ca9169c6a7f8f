// An RFC 6962 Merkle tree: leaf and node hashes, roots and inclusion proofs.
import { createHash } from 'node:crypto'

export function leafHash(data: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(data)
    .digest()
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest()
}

/** Largest power of two strictly smaller than n (n > 1). */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

export class MerkleTree {
  private readonly leaves: Buffer[] = []
  /**
   * Roots of complete subtrees (a power of two of leaves), which never change
   * once their leaves exist. Without them every root and proof rehashed the
   * whole log, and a 500-entry run spent half a second of the stand-in's CPU here.
   */
  private readonly complete = new Map<string, Buffer>()

  get size(): number {
    return this.leaves.length
  }

  append(data: Buffer): number {
    this.leaves.push(leafHash(data))
    return this.leaves.length - 1
  }

  root(size = this.size): Buffer {
    return this.subtreeRoot(0, size)
  }

  /** Audit path for leaf `index` in the tree of the first `size` leaves (RFC 6962 2.1.1). */
  inclusionProof(index: number, size = this.size): Buffer[] {
    return this.path(index, 0, size)
  }

  private subtreeRoot(start: number, end: number): Buffer {
    const n = end - start
    if (n === 0) return createHash('sha256').digest()
    if (n === 1) return this.leaves[start] as Buffer
    const isComplete = (n & (n - 1)) === 0
    const cached = isComplete ? this.complete.get(`${start}+${n}`) : undefined
    if (cached) return cached
    const k = split(n)
    const root = nodeHash(this.subtreeRoot(start, start + k), this.subtreeRoot(start + k, end))
    if (isComplete) this.complete.set(`${start}+${n}`, root)
    return root
  }

  private path(index: number, start: number, end: number): Buffer[] {
    const n = end - start
    if (n <= 1) return []
    const k = split(n)
    if (index < k) return [...this.path(index, start, start + k), this.subtreeRoot(start + k, end)]
    return [...this.path(index - k, start + k, end), this.subtreeRoot(start, start + k)]
  }
}
