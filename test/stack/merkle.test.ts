// The stand-in Rekor's Merkle tree against RFC 6962's definitions, so a
// broken tree cannot make broken proofs look valid.
import { createHash } from 'node:crypto'
import { expect, it } from 'vitest'
import { leafHash, MerkleTree } from './sigstore/merkle.js'

const node = (l: Buffer, r: Buffer) =>
  createHash('sha256')
    .update(Buffer.from([1]))
    .update(l)
    .update(r)
    .digest()

/** Recomputes the root from a leaf and its audit path (RFC 9162 2.1.3.2). */
function rootFromProof(index: number, size: number, leaf: Buffer, proof: Buffer[]): Buffer {
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of proof) {
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r)
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1
        sn >>= 1
      }
    } else {
      r = node(r, p)
    }
    fn >>= 1
    sn >>= 1
  }
  return r
}

it('has the RFC 6962 root for small trees', () => {
  const tree = new MerkleTree()
  const leaves = ['a', 'b', 'c'].map((s) => Buffer.from(s))
  for (const l of leaves) tree.append(l)
  const [a, b, c] = leaves.map(leafHash) as [Buffer, Buffer, Buffer]
  expect(tree.root(1)).toEqual(a)
  expect(tree.root(2)).toEqual(node(a, b))
  expect(tree.root(3)).toEqual(node(node(a, b), c))
})

it('makes inclusion proofs that lead to the root for every leaf and size', () => {
  const tree = new MerkleTree()
  for (let i = 0; i < 37; i++) tree.append(Buffer.from(`entry ${i}`))
  for (const size of [1, 2, 3, 7, 8, 9, 16, 37]) {
    for (let index = 0; index < size; index++) {
      const proof = tree.inclusionProof(index, size)
      expect(rootFromProof(index, size, leafHash(Buffer.from(`entry ${index}`)), proof)).toEqual(
        tree.root(size),
      )
    }
  }
})
