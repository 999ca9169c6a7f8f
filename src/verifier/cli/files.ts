// What the command line reads from disk, each failure naming the file and the
// flag. A file that cannot be read is a usage error (exit 2); one that can,
// but holds something else, fails verification (exit 1).
import { createPublicKey, type KeyObject } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { messageOf, UserError } from '../../errors.js'
import { hashFile } from '../../util/hash-files.js'
import { UsageError } from './args.js'

export function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`${flag}: could not read ${file}: ${messageOf(error)}`)
  }
}

export function readJson(file: string, flag: string): unknown {
  const text = readText(file, flag)
  try {
    return JSON.parse(text)
  } catch (error) {
    // Not a usage error: the file is there, and what it holds does not verify.
    throw new UserError(`${flag}: ${file} is not JSON: ${messageOf(error)}`)
  }
}

export function readKey(file: string): KeyObject {
  try {
    return createPublicKey(readText(file, '--key'))
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UserError(`--key: ${file} is not a PEM public key: ${messageOf(error)}`)
  }
}

/** Checks FILE_OR_DIGEST without reading the file: a file that exists, or sha256:<hex>. */
export function checkSubject(subject: string): void {
  if (existsSync(subject) || /^sha256:[0-9a-fA-F]{64}$/.test(subject)) return
  throw new UsageError(
    `FILE_OR_DIGEST: ${subject} is neither a file nor a digest of the form sha256:<64 hex digits>`,
  )
}

/** A file's SHA-256, or the digest given as sha256:<hex> when no such file exists. */
export async function digestOf(subject: string): Promise<Buffer> {
  checkSubject(subject)
  if (existsSync(subject)) return (await hashFile(subject)).digest
  return Buffer.from(subject.slice('sha256:'.length), 'hex')
}
