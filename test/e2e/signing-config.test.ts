// Services from the signing config: the default path through TUF with
// timestamps, Rekor v2, a signing config file, configs that offer nothing
// usable, inputs that do not fit together, and the guard that keeps a
// private repository's name out of a public log.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stack } from '../stack/index.js'
import { startStack } from '../stack/index.js'
import { signingConfigJson } from '../stack/sigstore/signing-config.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
  verifyProvenanceFile,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import {
  assetNames,
  contentOf,
  oneCleanFailure,
  requestMarks,
  requestsSince,
} from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

interface BundleJson {
  verificationMaterial: {
    tlogEntries: { kindVersion: { version: string }; inclusionPromise?: unknown }[]
    timestampVerificationData?: { rfc3161Timestamps: unknown[] }
  }
}

function bundleOf(release: Parameters<typeof contentOf>[0], name: string): BundleJson {
  return JSON.parse(contentOf(release, `${name}.sigstore.json`).toString('utf8'))
}

async function signed(repository: string, inputs: Record<string, string>, tuf = true) {
  const claims = releaseJobClaims({ repository })
  const release = await seedRelease(stack, {
    claims,
    assets: { 'app.tar.gz': `app of ${repository}`, 'app.zip': `zip of ${repository}` },
  })
  const marks = requestMarks(stack)
  const run = await runAction({
    sigstore: tuf ? 'stack-tuf' : 'stack',
    stack,
    claims,
    event: releaseEvent(release),
    inputs,
  })
  return { run, release, claims, marks }
}

describe('services from the signing config', () => {
  it('default path: TUF gives the trusted root and the signing config, and every signature is timestamped', async () => {
    const { run, release, claims, marks } = await signed('octo-org/sc-default', {})
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(
      `Services: from signing_config.v0.2.json from ${stack.tuf.server.url}`,
    )
    expect(run.log).toContain(`Transparency log: ${stack.rekor.server.url} (Rekor v1)`)
    expect(run.log).toContain(`Timestamp authority: ${stack.tsa.server.url}/api/v1/timestamp`)
    expect(run.summary).toContain('Sigstore services')
    expect(run.summary).toContain(`${stack.rekor.server.url} (Rekor v1)`)
    // No URL was given: the services were found through the signing config alone.
    // Each asset's signature is timestamped, and the provenance's.
    expect(requestsSince(stack, marks, 'tsa').filter((r) => r.method === 'POST')).toHaveLength(3)
    expect(requestsSince(stack, marks, 'rekorV2')).toHaveLength(0)
    for (const name of ['app.tar.gz', 'app.zip']) {
      const bundle = bundleOf(release, name)
      expect(bundle.verificationMaterial.tlogEntries[0]?.kindVersion.version).toBe('0.0.1')
      expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(
        1,
      )
    }
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'app.tar.gz',
      'app.zip',
    ])
    // The provenance: a dsse entry in Rekor v1, and a timestamp like the others.
    const { bundle } = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(bundle.verificationMaterial.tlogEntries[0]?.kindVersion).toEqual({
      kind: 'dsse',
      version: '0.0.1',
    })
    expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1)
  })

  it('rekor-version: 2 reads the Rekor v2 signing config and writes v2 entries that verify', async () => {
    const { run, release, claims, marks } = await signed('octo-org/sc-rekor-v2', {
      'rekor-version': '2',
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(
      `Services: from signing_config_rekor_v2.v0.2.json from ${stack.tuf.server.url}`,
    )
    expect(run.log).toContain(`Transparency log: ${stack.rekorV2.server.url} (Rekor v2)`)
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    // One entry per asset, and one for the provenance.
    expect(requestsSince(stack, marks, 'rekorV2').filter((r) => r.method === 'POST')).toHaveLength(
      3,
    )
    for (const name of ['app.tar.gz', 'app.zip']) {
      const { tlogEntries, timestampVerificationData } = bundleOf(
        release,
        name,
      ).verificationMaterial
      expect(tlogEntries[0]?.kindVersion.version).toBe('0.0.2')
      expect(tlogEntries[0]?.inclusionPromise).toBeUndefined()
      expect(timestampVerificationData?.rfc3161Timestamps).toHaveLength(1)
    }
    // Checked by @sigstore/verify itself: inclusion proof, signed checkpoint, timestamp.
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'app.tar.gz',
      'app.zip',
    ])
    // The provenance: Rekor v2 has no DSSE type, so a hashedrekord 0.0.2 over the envelope's
    // PAE, which @sigstore/verify accepts for a DSSE bundle.
    const { bundle } = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(bundle.verificationMaterial.tlogEntries[0]?.kindVersion).toEqual({
      kind: 'hashedrekord',
      version: '0.0.2',
    })
    expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1)
    // A re-run keeps what verifies: Rekor v2 bundles pass the plan's check too.
    const again = await runAction({
      sigstore: 'stack-tuf',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { 'rekor-version': '2' },
    })
    expect(again.exitCode, again.log).toBe(0)
    expect(
      JSON.parse(again.outputs.results ?? '[]').map((r: { status: string }) => r.status),
    ).toEqual(['unchanged', 'unchanged', 'unchanged'])
  })

  it("attaches no bundle whose Rekor v2 checkpoint names another origin than the log's host name", async () => {
    const host = new URL(stack.rekorV2.server.url)
    // A log that signs its checkpoints for its host with the port: its key
    // and key hint are right, so @sigstore/verify alone would pass them.
    stack.rekorV2.checkpointOrigin = host.host
    try {
      const { run, release } = await signed('octo-org/sc-rekor-v2-origin', {
        'rekor-version': '2',
      })
      expect(run.exitCode).toBe(1)
      expect(oneCleanFailure(run.log)).toContain(
        `the log's checkpoint is for origin '${host.host}', not '${host.hostname}'`,
      )
      expect(assetNames(stack, release.id)).toEqual(['app.tar.gz', 'app.zip'])
    } finally {
      stack.rekorV2.checkpointOrigin = undefined
    }
  })

  it('signing-config from a file, with trusted-root, signs through the services it names', async () => {
    const { run, release, claims } = await signed(
      'octo-org/sc-file',
      { 'signing-config': stack.signingConfigV2Path, 'trusted-root': stack.trustedRootPath },
      false,
    )
    // The 'stack' target gives URLs; a signing config replaces them, so they are cleared.
    expect(run.exitCode, run.log).toBe(1)
    expect(oneCleanFailure(run.log)).toContain(
      "Input 'signing-config': cannot be combined with fulcio-url, rekor-url or tsa-url",
    )
    const fromFile = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: {
        'fulcio-url': '',
        'rekor-url': '',
        'tsa-url': '',
        'signing-config': stack.signingConfigV2Path,
        'trusted-root': stack.trustedRootPath,
      },
    })
    expect(fromFile.exitCode, fromFile.log).toBe(0)
    expect(fromFile.log).toContain(`Services: from ${stack.signingConfigV2Path}`)
    expect(
      bundleOf(release, 'app.zip').verificationMaterial.tlogEntries[0]?.kindVersion.version,
    ).toBe('0.0.2')
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(2)
  })

  it.each([
    [
      'whose only log has expired',
      { end: new Date(Date.now() - 3_600_000).toISOString() },
      'lists no transparency log that is valid now',
    ],
    [
      'whose only log is not valid yet',
      { start: new Date(Date.now() + 3_600_000).toISOString() },
      'lists no transparency log that is valid now',
    ],
  ])('refuses a signing config %s, before any token or entry', async (_, window, message) => {
    const file = path.join(stack.dir, `sc-${Math.random().toString(36).slice(2)}.json`)
    writeFileSync(
      file,
      signingConfigJson({
        ca: [{ url: stack.fulcio.server.url, majorApiVersion: 1 }],
        tlogs: [{ url: stack.rekor.server.url, majorApiVersion: 1, ...window }],
        tsas: [],
      }),
    )
    const claims = releaseJobClaims({ repository: 'octo-org/sc-window' })
    const release = await seedRelease(stack, { claims, assets: { 'app.tar.gz': 'app' } })
    const before = assetNames(stack, release.id)
    const counts = stack.counts()
    const run = await runAction({
      sigstore: 'stack-tuf',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { 'signing-config': file },
    })
    expect(run.exitCode).toBe(1)
    const error = oneCleanFailure(run.log)
    expect(error).toContain(`Input 'signing-config': ${file} ${message}`)
    expect(error).toContain(stack.rekor.server.url)
    expect(stack.counts()).toEqual(counts)
    expect(assetNames(stack, release.id)).toEqual(before)
  })

  it('refuses Rekor v2 without a timestamp, naming the inputs', async () => {
    const { run } = await signed('octo-org/sc-v2-no-ts', {
      'rekor-version': '2',
      timestamp: 'false',
    })
    expect(run.exitCode).toBe(1)
    expect(oneCleanFailure(run.log)).toContain(
      'selects Rekor v2, whose entries carry no time, so timestamp: false cannot be used with it',
    )
  })

  it('timestamp: false leaves timestamps out on Rekor v1', async () => {
    const { run, release } = await signed('octo-org/sc-no-ts', { timestamp: 'false' })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain('Timestamp authority: none')
    expect(
      bundleOf(release, 'app.zip').verificationMaterial.timestampVerificationData
        ?.rfc3161Timestamps ?? [],
    ).toEqual([])
  })
})

describe('a TUF repository that cannot give a usable signing config', () => {
  it.each([
    [
      'serves a signing config other than the signed one',
      (other: Stack) => other.tuf.tamperTarget('signing_config.v0.2.json', Buffer.from('{}')),
      'Could not fetch trusted_root.json and signing_config.v0.2.json from the TUF repository at',
    ],
    [
      'distributes none',
      (other: Stack) => other.tuf.removeTarget('signing_config.v0.2.json'),
      'distributes no signing config (signing_config.v0.2.json), so it names no services to sign with',
    ],
  ])('refuses one that %s, before any token or entry', async (_, breakIt, message) => {
    const other = await startStack()
    try {
      breakIt(other)
      const claims = releaseJobClaims({ repository: 'octo-org/sc-broken-tuf' })
      const release = await seedRelease(other, { claims, assets: { 'app.tar.gz': 'app' } })
      const run = await runAction({
        sigstore: 'stack-tuf',
        stack: other,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode).toBe(1)
      expect(oneCleanFailure(run.log)).toContain(message)
      expect(other.counts()).toEqual({ tokens: 0, certificates: 0, entries: 0 })
      expect(assetNames(other, release.id)).toEqual(['app.tar.gz'])
    } finally {
      await other.stop()
    }
  })
})

describe('private repositories', () => {
  it.each([
    ['private', { privateRepo: true }, releaseEvent],
    ['internal', {}, undefined],
  ] as const)(
    'refuses to sign a %s repository with the public-good instance, before any request to Sigstore',
    async (visibility, seed, eventOf) => {
      const claims = releaseJobClaims({ repository: `octo-org/hidden-${visibility}` })
      const [owner = '', repo = ''] = claims.repository.split('/')
      stack.github.state.addRepo(owner, repo, {
        private: visibility === 'private',
        internal: visibility === 'internal',
      })
      const release = await seedRelease(stack, { claims, assets: { 'app.tar.gz': 'x' }, ...seed })
      const attempts = stack.egress.attempts.length
      const counts = stack.counts()
      const run = await runAction({
        sigstore: 'production',
        stack,
        claims,
        // The internal case's event says nothing of visibility: the API is asked.
        event: eventOf
          ? eventOf(release, 'published', true)
          : { release: { id: release.id, tag_name: release.tagName } },
      })
      expect(run.exitCode).toBe(1)
      const error = oneCleanFailure(run.log)
      expect(error).toContain(`${claims.repository} is ${visibility}`)
      expect(error).toContain('allow-private-repository: true')
      expect(error).toContain('private Sigstore instance')
      expect(stack.egress.attempts.slice(attempts)).toEqual([])
      expect(stack.counts()).toEqual(counts)
    },
  )

  it('with allow-private-repository: true, goes on to the public instance with a warning', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/hidden-allowed' })
    const release = await seedRelease(stack, {
      claims,
      privateRepo: true,
      assets: { 'app.tar.gz': 'x' },
    })
    const attempts = stack.egress.attempts.length
    const run = await runAction({
      sigstore: 'production',
      stack,
      claims,
      event: releaseEvent(release, 'published', true),
      inputs: { 'allow-private-repository': 'true' },
    })
    expect(run.log).toContain(
      '::warning::octo-org/hidden-allowed is private, and allow-private-repository is true',
    )
    // It went on to Sigstore's TUF repository, which this machine cannot reach.
    expect(stack.egress.attempts.slice(attempts)).toContain('tuf-repo-cdn.sigstore.dev:443')
    expect(run.exitCode).toBe(1)
  })

  it('signs a private repository with an instance of its own, without being asked', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/hidden-own-instance' })
    const release = await seedRelease(stack, {
      claims,
      privateRepo: true,
      assets: { 'app.tar.gz': 'x' },
    })
    const run = await runAction({
      sigstore: 'stack-tuf',
      stack,
      claims,
      event: releaseEvent(release, 'published', true),
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).not.toContain('allow-private-repository')
  })
})
