// Every chunk of the bundle loads. Lazy chunks (the artifact client, TUF)
// are imported only on some runs, so a broken one would otherwise go unseen.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const chunks = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/chunks')

it.each(readdirSync(chunks).filter((f) => f.endsWith('.js')))(
  'dist/chunks/%s loads',
  async (file) => {
    await expect(import(path.join(chunks, file))).resolves.toBeDefined()
  },
)
