import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { hashFile, hashFiles } from '../../src/util/hash-files.js'
import { tempDir } from '../support/temp.js'

const MiB = 1 << 20
const dir = tempDir('sign-release-hash-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Sizes around the 1 MiB read size, where a chunking mistake would show. */
const SIZES = [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5, 17]
const files = SIZES.map((size, i) => {
  const file = path.join(dir, `file-${i}.bin`)
  writeFileSync(file, randomBytes(size))
  return file
})
const expected = files.map((file) => {
  const bytes = readFileSync(file)
  return { size: bytes.length, hex: createHash('sha256').update(bytes).digest('hex') }
})
const shown = (digests: { size: number; digest: Buffer }[]) =>
  digests.map((d) => ({ size: d.size, hex: d.digest.toString('hex') }))

describe('hashFiles', () => {
  for (const threads of [1, 2, 3]) {
    it(`gives each file's size and SHA-256, in the order given, on ${threads} thread(s)`, async () => {
      const digests = await hashFiles(files, threads)
      expect(digests.every((d) => Buffer.isBuffer(d.digest))).toBe(true)
      expect(shown(digests)).toEqual(expected)
    })
  }

  it('hashes as hashFile does, one file at a time', async () => {
    const one = await Promise.all(files.map((f) => hashFile(f)))
    expect(shown(one)).toEqual(expected)
  })

  it("rejects with the file's own error when one cannot be read, on worker threads too", async () => {
    const missing = path.join(dir, 'not-there.bin')
    for (const threads of [1, 2]) {
      const failure = await hashFiles([files[5] as string, missing, files[0] as string], threads)
        .then(() => undefined)
        .catch((error: NodeJS.ErrnoException) => error)
      expect(failure?.code).toBe('ENOENT')
      expect(failure?.message).toContain(missing)
    }
  })

  it('gives nothing for no files', async () => {
    expect(await hashFiles([])).toEqual([])
  })
})
