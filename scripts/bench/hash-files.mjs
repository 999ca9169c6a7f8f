// SHA-256 of each file, one after another, with Node's crypto (OpenSSL): the
// hashing any signer built on Node must do, without the download around it.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'

for (const file of process.argv.slice(2)) {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), hash)
  console.log(`${hash.digest('hex')}  ${file}`)
}
