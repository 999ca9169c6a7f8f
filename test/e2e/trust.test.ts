// Where the trusted root comes from: the instance's TUF repository (the
// default path), a file, and what happens when neither can be had.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stack } from '../stack/index.js'
import { startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { assetNames, oneCleanFailure, requestMarks, requestsSince } from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

/** Nothing was signed, logged or written: no token, certificate, entry or upload. */
function nothingDone(marks: Record<string, number>, releaseId: number, before: string[]) {
  for (const server of ['oidc', 'fulcio', 'rekor', 'tsa', 'uploads'] as const) {
    expect(requestsSince(stack, marks, server), server).toHaveLength(0)
  }
  expect(assetNames(stack, releaseId)).toEqual(before)
}

describe('trusted root from a TUF repository', () => {
  it('signs through tuf-mirror and tuf-root, walking a rotated root, and every bundle verifies', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/tuf' })
    const release = await seedRelease(stack, {
      claims,
      assets: { 'app.tar.gz': 'app', 'app.zip': 'zip' },
    })
    // The run starts from root version 1; version 2 rotated the timestamp key.
    stack.tuf.rotateTimestampKey()
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack-tuf',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(
      `TUF repository: ${stack.tuf.server.url} (trusted_root.json, signing_config.v0.2.json)`,
    )
    const fetched = requestsSince(stack, marks, 'tuf').map((r) => r.path)
    expect(fetched).toEqual(
      expect.arrayContaining([
        '/2.root.json',
        '/3.root.json',
        '/timestamp.json',
        expect.stringMatching(/^\/targets\/[0-9a-f]{64}\.trusted_root\.json$/),
        expect.stringMatching(/^\/targets\/[0-9a-f]{64}\.signing_config\.v0\.2\.json$/),
      ]),
    )
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'app.tar.gz',
      'app.zip',
    ])
  })

  it('refuses a target whose bytes do not match the signed metadata, before any log entry', async () => {
    const other = await startStack()
    try {
      const claims = releaseJobClaims({ repository: 'octo-org/tampered' })
      const release = await seedRelease(other, { claims, assets: { 'app.tar.gz': 'app' } })
      // A mirror that serves a trusted root of its own choosing, of the same
      // length as the signed one, so only its hash can give it away.
      const signed = readFileSync(other.trustedRootPath, 'utf8')
      const forged = signed.replace('sigstore.mock', 'sigstore.evil')
      expect(forged.length).toBe(signed.length)
      other.tuf.tamperTarget('trusted_root.json', Buffer.from(forged))
      const before = assetNames(other, release.id)
      const run = await runAction({
        sigstore: 'stack-tuf',
        stack: other,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode).toBe(1)
      const error = oneCleanFailure(run.log)
      expect(error).toContain(
        `Could not fetch trusted_root.json and signing_config.v0.2.json from the TUF repository at ${other.tuf.server.url}`,
      )
      expect(error).toContain('trusted-root')
      expect(other.counts()).toEqual({ tokens: 0, certificates: 0, entries: 0 })
      expect(assetNames(other, release.id)).toEqual(before)
    } finally {
      await other.stop()
    }
  })
})

describe('with no Sigstore inputs at all, as a new user writes the step', () => {
  it.each([
    ['production', 'tuf-repo-cdn.sigstore.dev'],
    ['staging', 'tuf-repo-cdn.sigstage.dev'],
  ] as const)(
    '%s: reaches %s, and fails with one clear message when it is blocked',
    async (instance, host) => {
      const claims = releaseJobClaims({ repository: `octo-org/defaults-${instance}` })
      const release = await seedRelease(stack, { claims, assets: { 'app.tar.gz': 'app' } })
      const before = assetNames(stack, release.id)
      const attempts = stack.egress.attempts.length
      const marks = requestMarks(stack)
      const run = await runAction({
        sigstore: instance,
        stack,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode).toBe(1)
      // The run got as far as Sigstore's TUF repository: the egress proxy saw it.
      expect(stack.egress.attempts.slice(attempts)).toContain(`${host}:443`)
      const error = oneCleanFailure(run.log)
      expect(error).toContain(
        `Could not fetch trusted_root.json and signing_config.v0.2.json from the TUF repository at https://${host}`,
      )
      expect(error).toContain('give its trusted_root.json with the trusted-root input')
      if (instance === 'staging') expect(run.log).toContain('belongs to a test instance')
      nothingDone(marks, release.id, before)
    },
  )
})

describe('trusted root from a file', () => {
  it('refuses one with no certificate authority or log, before any log entry', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/empty-root' })
    const release = await seedRelease(stack, { claims, assets: { 'app.tar.gz': 'app' } })
    const emptyRoot = path.join(stack.dir, 'empty-root.json')
    writeFileSync(emptyRoot, '{}')
    const before = assetNames(stack, release.id)
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { 'trusted-root': emptyRoot },
    })
    expect(run.exitCode).toBe(1)
    expect(oneCleanFailure(run.log)).toContain(
      `Input 'trusted-root': ${emptyRoot} has no certificate authority and no transparency log`,
    )
    nothingDone(marks, release.id, before)
  })
})
