// Faults: the storage redirect, transient GitHub and Sigstore errors, an
// asset replaced mid-run, and secrets kept out of the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Stack } from '../stack/index.js'
import { startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
  verifyProvenanceFile,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { assetNames, oneCleanFailure, requestMarks, requestsSince } from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

const ASSETS = { 'one.tar.gz': 'one', 'two.tar.gz': 'two', 'three.tar.gz': 'three' }

async function scenario(repository: string) {
  const claims = releaseJobClaims({ repository })
  const release = await seedRelease(stack, { claims, assets: ASSETS })
  return { claims, release, event: releaseEvent(release) }
}

/** A scenario whose assets all have their bundles, and no provenance yet: a run writes only that. */
async function signedWithoutProvenance(repository: string) {
  const signed = await scenario(repository)
  const { claims, event } = signed
  const run = await runAction({
    sigstore: 'stack',
    stack,
    claims,
    event,
    inputs: { provenance: 'false' },
  })
  expect(run.exitCode, run.log).toBe(0)
  return signed
}

describe('faults', () => {
  it('a certificate authority that drops every connection is one failure of the run, naming it', async () => {
    const { claims, release, event } = await scenario('octo-org/fulcio-down')
    stack.servers.fulcio.fail({ path: /signingCert/, fault: { kind: 'reset' }, times: 1000 })
    const marks = requestMarks(stack)
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    stack.servers.fulcio.clearFaults()
    expect(run.exitCode).toBe(1)
    const error = oneCleanFailure(run.log)
    expect(error).toContain(
      `::error::Could not get the run's signing certificate from Fulcio (${stack.fulcio.server.url}) after 4 attempt(s): `,
    )
    expect(error).toContain('Nothing was signed.')
    // Not one failure per asset: the certificate is the run's.
    expect(run.log).not.toMatch(/asset\(s\) failed/)
    expect(run.log).not.toMatch(/^::warning::(one|two|three)\.tar\.gz: /m)
    expect(requestsSince(stack, marks, 'fulcio')).toHaveLength(4)
    expect(requestsSince(stack, marks, 'rekor')).toEqual([])
    expect(requestsSince(stack, marks, 'uploads')).toEqual([])
    expect(assetNames(stack, release.id)).toEqual(Object.keys(ASSETS).sort())
  })

  it('follows the storage redirect without sending any credentials there', async () => {
    const { claims, release, event } = await scenario('octo-org/redirect')
    const marks = requestMarks(stack)
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    expect(run.exitCode, run.log).toBe(0)
    const storage = requestsSince(stack, marks, 'storage')
    expect(storage.length).toBeGreaterThanOrEqual(3)
    for (const request of storage) {
      expect(request.headers.authorization).toBeUndefined()
      expect(JSON.stringify(request.headers)).not.toContain(stack.github.token)
    }
    const downloads = requestsSince(stack, marks, 'api').filter(
      (r) => r.headers.accept === 'application/octet-stream',
    )
    expect(downloads.every((r) => r.headers.authorization === `token ${stack.github.token}`)).toBe(
      true,
    )
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
  })

  it('survives 5xx answers, rate limits and a connection reset mid-download', async () => {
    const { claims, release, event } = await scenario('octo-org/flaky')
    stack.servers.api.fail({
      method: 'GET',
      path: /\/releases\/\d+$/,
      fault: { kind: 'status', status: 502 },
    })
    stack.servers.api.fail({
      method: 'GET',
      path: /\/assets\?/,
      fault: { kind: 'too-many-requests', retryAfter: 1 },
    })
    stack.servers.api.fail({
      method: 'GET',
      path: /\/assets\?/,
      fault: { kind: 'secondary-rate-limit', retryAfter: 1 },
    })
    stack.servers.storage.fail({ path: /one\.tar\.gz/, fault: { kind: 'reset' } })
    stack.servers.storage.fail({ path: /two\.tar\.gz/, fault: { kind: 'truncate' } })
    stack.servers.fulcio.fail({ path: /signingCert/, fault: { kind: 'status', status: 503 } })
    stack.servers.rekor.fail({
      method: 'POST',
      path: /entries/,
      fault: { kind: 'status', status: 500 },
    })
    stack.servers.tsa.fail({ path: /timestamp/, fault: { kind: 'status', status: 502 } })
    stack.servers.uploads.fail({ path: /assets/, fault: { kind: 'status', status: 502 } })
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    expect(run.exitCode, run.log).toBe(0)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
    // Three assets, three bundles, and the provenance.
    expect(assetNames(stack, release.id)).toHaveLength(7)
    verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(run.log).toMatch(/one\.tar\.gz: download attempt 1 failed/)
    expect(run.log).toMatch(/two\.tar\.gz: download attempt 1 failed/)
    for (const server of Object.values(stack.servers))
      expect(server.unspentFaults, server.name).toBe(0)
  })

  it('recovers the existing log entry when a submission landed but its answer was lost (409)', async () => {
    const { claims, release, event } = await scenario('octo-org/lost-answer')
    const before = stack.rekor.entryCount
    stack.servers.rekor.fail({ method: 'POST', path: /entries/, fault: { kind: 'lose-response' } })
    const marks = requestMarks(stack)
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    expect(run.exitCode, run.log).toBe(0)
    // One entry per asset and one for the provenance: the lost answer's entry was read back.
    expect(stack.rekor.entryCount - before).toBe(4)
    expect(requestsSince(stack, marks, 'rekor').filter((r) => r.method === 'GET')).toHaveLength(1)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
  })

  it('Rekor v2: after a lost answer, the resubmission is refused as a duplicate, and a new signature gets its own entry', async () => {
    const { claims, release, event } = await scenario('octo-org/lost-answer-v2')
    const before = stack.rekorV2.entryCount
    stack.servers.rekorV2.fail({
      method: 'POST',
      path: /entries/,
      fault: { kind: 'lose-response' },
    })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack-tuf',
      stack,
      claims,
      event,
      inputs: { 'rekor-version': '2' },
    })
    expect(run.exitCode, run.log).toBe(0)
    // One asset: the lost answer, the retry refused with 409, the new signature's entry;
    // then one for each other asset, and one for the provenance.
    expect(requestsSince(stack, marks, 'rekorV2')).toHaveLength(6)
    expect(run.log).toMatch(/the log already holds this entry \(index \d+\); signing again/)
    expect(stack.rekorV2.entryCount - before).toBe(5)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
  })

  it('resolves an already_exists race when an upload landed but its answer was lost', async () => {
    const { claims, release, event } = await scenario('octo-org/upload-race')
    stack.servers.uploads.fail({
      path: /one\.tar\.gz\.sigstore\.json/,
      fault: { kind: 'lose-response' },
    })
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    expect(run.exitCode, run.log).toBe(0)
    expect(stack.servers.uploads.unspentFaults).toBe(0)
    expect(
      assetNames(stack, release.id).filter((n) => n === 'one.tar.gz.sigstore.json'),
    ).toHaveLength(1)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
  })

  it('never attaches a bundle that fails verification', async () => {
    const { claims, release, event } = await scenario('octo-org/forged-log')
    stack.rekor.forgedEntries = 1
    const run = await runAction({ sigstore: 'stack', stack, claims, event, tsa: false })
    expect(stack.rekor.forgedEntries).toBe(0)
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /::error::1 of \d+ asset\(s\) failed:.*the new bundle failed verification/,
    )
    const bundles = assetNames(stack, release.id).filter((n) => n.endsWith('.sigstore.json'))
    expect(bundles).toHaveLength(2)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(2)
    // No provenance over a release with a file missing its bundle; the re-run writes it.
    expect(run.log).toContain(
      'No provenance while a file failed; a re-run writes forged-log-v1.0.0.intoto.jsonl.',
    )
    expect(assetNames(stack, release.id).some((n) => n.endsWith('.intoto.jsonl'))).toBe(false)
    const again = await runAction({ sigstore: 'stack', stack, claims, event, tsa: false })
    expect(again.exitCode, again.log).toBe(0)
    expect(
      verifyProvenanceFile(stack, release, identityOf(stack, claims)).statement.subject,
    ).toHaveLength(3)
  })

  it('never attaches a provenance that fails verification, and keeps every bundle', async () => {
    const { claims, release, event } = await signedWithoutProvenance('octo-org/forged-provenance')
    // The provenance's entry is the only one the next run writes.
    stack.rekor.forgedEntries = 1
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    expect(stack.rekor.forgedEntries).toBe(0)
    expect(run.exitCode).toBe(1)
    const error = oneCleanFailure(run.log)
    expect(error).toContain('The provenance forged-provenance-v1.0.0.intoto.jsonl was not written')
    expect(error).toContain('the new provenance failed verification, so it will not be attached')
    expect(assetNames(stack, release.id).some((n) => n.endsWith('.intoto.jsonl'))).toBe(false)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
    expect(JSON.parse(run.outputs.results ?? '[]').at(-1)).toMatchObject({
      source: 'provenance',
      status: 'failed',
    })
    // No attestation of it was stored either.
    expect(stack.github.state.attestations.filter((a) => a.repo === 'forged-provenance')).toEqual(
      [],
    )
  })

  it('names the log that stays down when only the provenance is left to write, and attaches none', async () => {
    const { claims, release, event } = await signedWithoutProvenance('octo-org/provenance-outage')
    stack.servers.rekor.fail({
      method: 'POST',
      path: /entries/,
      fault: { kind: 'status', status: 503 },
      times: 100,
    })
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    stack.servers.rekor.clearFaults()
    expect(run.exitCode).toBe(1)
    const error = oneCleanFailure(run.log)
    expect(error).toContain('The provenance provenance-outage-v1.0.0.intoto.jsonl was not written')
    expect(error).toMatch(/write a log entry.*503/)
    expect(assetNames(stack, release.id).some((n) => n.endsWith('.intoto.jsonl'))).toBe(false)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
  })

  it('fails cleanly, attaching nothing, when a Sigstore service stays down', async () => {
    const { claims, release, event } = await scenario('octo-org/rekor-down')
    stack.servers.rekor.fail({
      method: 'POST',
      path: /entries/,
      fault: { kind: 'status', status: 503 },
      times: 100,
    })
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    stack.servers.rekor.clearFaults()
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/::error::3 of 3 asset\(s\) failed/)
    expect(assetNames(stack, release.id)).toEqual(Object.keys(ASSETS).sort())
  })

  it('attaches no bundle for an asset replaced while it was being signed, and names it', async () => {
    const { claims, release, event } = await scenario('octo-org/replaced')
    stack.servers.storage.fail({ path: /two\.tar\.gz/, fault: { kind: 'slow', delayMs: 1500 } })
    const marks = requestMarks(stack)
    const running = runAction({ sigstore: 'stack', stack, claims, event })
    // Once the action has started downloading two.tar.gz, the maintainer re-uploads it.
    while (!requestsSince(stack, marks, 'storage').some((r) => r.path.includes('two.tar.gz'))) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    release.assets = release.assets.filter((a) => a.name !== 'two.tar.gz')
    await stack.github.state.addAsset(release, 'two.tar.gz', {
      kind: 'bytes',
      data: Buffer.from('two, rebuilt'),
    })
    const run = await running
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /::error::.*two\.tar\.gz was replaced or removed while it was being signed/,
    )
    const names = assetNames(stack, release.id)
    expect(names).not.toContain('two.tar.gz.sigstore.json')
    expect(names).toContain('one.tar.gz.sigstore.json')
    expect(names).toContain('three.tar.gz.sigstore.json')
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'one.tar.gz',
      'three.tar.gz',
    ])
  })

  it('never prints the GitHub token or an OIDC token, even with debug logging', async () => {
    const { claims, event } = await scenario('octo-org/secrets')
    const minted = stack.oidc.minted.length
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event,
      env: { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' },
    })
    expect(run.exitCode, run.log).toBe(0)
    const tokens = stack.oidc.minted.slice(minted)
    expect(tokens.length).toBeGreaterThan(0)
    const secrets = [stack.github.token, ...tokens]
    // Outside the ::add-mask:: commands the runner consumes, no secret appears.
    const printed = run.rawOutput
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
    for (const secret of secrets) {
      expect(printed).not.toContain(secret)
      expect(printed).not.toContain(secret.split('.')[1] ?? secret)
      expect(run.log).not.toContain(secret)
    }
    expect(run.log).toContain('::debug::')
  })

  it('gives up on a token answer that stalls after 15 s, and the retry signs', async () => {
    const { claims, release, event } = await scenario('octo-org/stalled-token')
    stack.servers.oidc.fail({ path: /token/, fault: { kind: 'stall' } })
    const started = Date.now()
    const run = await runAction({ sigstore: 'stack', stack, claims, event })
    expect(run.exitCode, run.log).toBe(0)
    expect(Date.now() - started).toBeLessThan(45_000)
    expect(stack.servers.oidc.unspentFaults).toBe(0)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
  })
})
