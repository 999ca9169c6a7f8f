// Shared helpers for end-to-end tests: what is on a release, what each
// stand-in server saw during one run, and how a run failed.
import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import type { ReleaseRecord } from '../stack/github/state.js'
import type { Stack } from '../stack/index.js'

/** Names of the assets on a release, sorted. */
export function assetNames(stack: Stack, releaseId: number): string[] {
  return (stack.github.state.release(releaseId)?.assets ?? []).map((a) => a.name).sort()
}

/** The bytes of an asset the stack holds in memory (every uploaded one). */
export function contentOf(release: ReleaseRecord, name: string): Buffer {
  const asset = release.assets.find((a) => a.name === name)
  if (asset?.content.kind !== 'bytes') throw new Error(`no in-memory asset ${name}`)
  return asset.content.data
}

/** How many requests each server has seen so far, to measure one run. */
export function requestMarks(stack: Stack): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stack.servers).map(([name, s]) => [name, s.requests.length]),
  )
}

/** Requests a server saw since the marks were taken. */
export function requestsSince(
  stack: Stack,
  marks: Record<string, number>,
  server: keyof Stack['servers'],
) {
  return stack.servers[server].requests.slice(marks[server] ?? 0)
}

/** The run failed once, cleanly: one error line, no crash, no stack trace. Returns that line. */
export function oneCleanFailure(log: string): string {
  const errors = log.split('\n').filter((l) => l.startsWith('::error::'))
  expect(errors, log).toHaveLength(1)
  expect(log).not.toMatch(/TypeError|ReferenceError|is not a function|\n\s+at /)
  return errors[0] ?? ''
}

/** New bytes for an asset, as GitHub holds a replaced upload: new size, new digest. */
export function setContent(release: ReleaseRecord, name: string, text: string): void {
  const asset = release.assets.find((a) => a.name === name)
  if (!asset) throw new Error(`no ${name}`)
  asset.content = { kind: 'bytes', data: Buffer.from(text) }
  asset.size = Buffer.byteLength(text)
  asset.digest = createHash('sha256').update(text).digest('hex')
}
