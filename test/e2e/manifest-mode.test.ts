// bundles: manifest, for releases too big for a bundle beside each file: one
// signed checksums manifest and the provenance cover every file, in a handful
// of writes and two log entries, under github.com's limits; verify-release
// checks each asset against the signed manifest.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReleaseRecord } from '../stack/github/state.js'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { runCli } from '../support/cli.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
  verifyProvenanceFile,
} from '../support/fixtures.js'
import { runAction, runVerifyAction } from '../support/runner.js'
import { contentOf } from '../support/scenario.js'
import { workspaceWith } from '../support/workspace.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack.stop()
})

const parts = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`part-${i}.bin`, `part ${i}`]))

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

/** The manifest's lines, as sha256sum -c reads them. */
function manifestLines(release: ReleaseRecord, name = 'SHA256SUMS'): Map<string, string> {
  const lines = contentOf(release, name).toString('utf8').trim().split('\n')
  return new Map(lines.map((l) => [l.slice(66), l.slice(0, 64)]))
}

function verifyCli(release: ReleaseRecord, identity: string, extra: string[] = []) {
  return runCli(
    stack,
    [
      'verify-release',
      '--tag',
      release.tagName,
      '--repo',
      `${release.owner}/${release.repo}`,
      '--certificate-identity',
      identity,
      '--trusted-root',
      stack.trustedRootPath,
      '--json',
      ...extra,
    ],
    { env: { GITHUB_TOKEN: stack.github.token } },
  )
}

describe('bundles: manifest', () => {
  it('signs 900 files in four writes and two log entries; verify-release passes them all, then fails a tampered one', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/nine-hundred' })
    const release = await seedRelease(stack, { claims, assets: parts(900) })
    const writes = stack.github.limits.writes
    const entries = stack.counts().entries
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { bundles: 'manifest' },
    })
    expect(run.exitCode, run.log.slice(-3000)).toBe(0)
    expect(run.log).toContain(
      'Write plan: 4 write(s) to GitHub, 3 new upload(s), 0 replacement(s), the release ends with 903 of 1000 assets.',
    )
    // The manifest, its bundle, the provenance and its attestation.
    expect(stack.github.limits.writes - writes).toBe(4)
    expect(stack.counts().entries - entries).toBe(2)
    expect(stack.github.limits.secondaryRefusals).toBe(0)
    expect(release.assets).toHaveLength(903)
    expect(
      release.assets.filter((a) => a.name.startsWith('part-') && a.name.endsWith('.json')),
    ).toEqual([])
    // The manifest's bundle verifies, and the manifest lists every file with its bytes' digest.
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'SHA256SUMS',
    ])
    const listed = manifestLines(release)
    expect(listed.size).toBe(900)
    for (const [name, digest] of listed) expect(digest).toBe(sha256(contentOf(release, name)))
    const provenance = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(provenance.statement.subject).toHaveLength(901)
    const results = JSON.parse(run.outputs.results ?? '[]') as { status: string; bundle: string }[]
    expect(results.filter((r) => r.status === 'covered')).toHaveLength(900)
    expect(results.find((r) => r.status === 'covered')?.bundle).toBe('SHA256SUMS.sigstore.json')

    const good = await verifyCli(release, identityOf(stack, claims))
    expect(good.code, good.stderr).toBe(0)
    const verdicts = JSON.parse(good.stdout).assets as {
      name: string
      status: string
      coveredBy?: string
    }[]
    expect(verdicts).toHaveLength(901)
    expect(verdicts.every((v) => v.status === 'ok')).toBe(true)
    expect(verdicts.find((v) => v.name === 'part-7.bin')?.coveredBy).toBe('SHA256SUMS')

    // A re-run with nothing changed writes nothing and logs nothing.
    const writesBefore = stack.github.limits.writes
    const entriesBefore = stack.counts().entries
    const again = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { bundles: 'manifest' },
    })
    expect(again.exitCode, again.log.slice(-3000)).toBe(0)
    expect(stack.github.limits.writes - writesBefore).toBe(0)
    expect(stack.counts().entries - entriesBefore).toBe(0)

    // One file's bytes replaced behind the signer's back.
    const asset = release.assets.find((a) => a.name === 'part-7.bin')
    if (!asset) throw new Error('no part-7.bin')
    asset.content = { kind: 'bytes', data: Buffer.from('evil') }
    asset.size = 4
    asset.digest = sha256('evil')
    const bad = await verifyCli(release, identityOf(stack, claims))
    expect(bad.code).toBe(1)
    const after = JSON.parse(bad.stdout).assets as {
      name: string
      status: string
      detail?: string
    }[]
    const failing = after.filter((v) => v.status !== 'ok')
    expect(failing.map((v) => [v.name, v.status])).toEqual([['part-7.bin', 'does not verify']])
    expect(failing[0]?.detail).toContain('SHA256SUMS gives it another SHA-256')
  }, 120_000)

  it('with files, a dry run and then publish: the dry run writes nothing; the real run attaches the files, the manifest and its bundle, then publishes', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/manifest-files' })
    const release = await seedRelease(stack, {
      claims,
      draft: true,
      assets: { 'tool.tar.gz': 'tool' },
    })
    const workspace = workspaceWith({
      'dist/app-linux.bin': 'linux build',
      'dist/app-darwin.bin': 'darwin build',
    })
    const inputs = {
      bundles: 'manifest',
      checksums: 'CHECKSUMS.txt',
      files: 'dist/*.bin',
      assets: '*',
      tag: release.tagName,
    }
    const writes = stack.github.limits.writes
    const dry = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace,
      event: releaseEvent(release),
      inputs: { ...inputs, 'dry-run': 'true' },
    })
    expect(dry.exitCode, dry.log.slice(-3000)).toBe(0)
    expect(stack.github.limits.writes - writes).toBe(0)
    expect(release.assets.map((a) => a.name)).toEqual(['tool.tar.gz'])
    expect(existsSync(path.join(dry.outputs['bundles-dir'] ?? '', 'CHECKSUMS.txt'))).toBe(true)

    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace,
      event: releaseEvent(release),
      inputs: { ...inputs, publish: 'true' },
    })
    expect(run.exitCode, run.log.slice(-3000)).toBe(0)
    expect(release.draft).toBe(false)
    expect(release.assets.map((a) => a.name).sort()).toEqual([
      'CHECKSUMS.txt',
      'CHECKSUMS.txt.sigstore.json',
      'app-darwin.bin',
      'app-linux.bin',
      'manifest-files-v1.0.0.intoto.jsonl',
      'tool.tar.gz',
    ])
    expect([...manifestLines(release, 'CHECKSUMS.txt').keys()]).toEqual([
      'app-darwin.bin',
      'app-linux.bin',
      'tool.tar.gz',
    ])
    const verdicts = await verifyCli(release, identityOf(stack, claims), [
      '--checksums',
      'CHECKSUMS.txt',
      '--require-provenance',
    ])
    expect(verdicts.code, verdicts.stdout).toBe(0)
  })

  it("with GitHub's source archives; the verify action checks every asset against the manifest", async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/manifest-archives' })
    const release = await seedRelease(stack, { claims, assets: { 'tool.tar.gz': 'tool' } })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { bundles: 'manifest', 'source-archive': 'github', assets: '*' },
    })
    expect(run.exitCode, run.log.slice(-3000)).toBe(0)
    expect([...manifestLines(release).keys()]).toEqual([
      'manifest-archives-v1.0.0.tar.gz',
      'manifest-archives-v1.0.0.zip',
      'tool.tar.gz',
    ])
    const verify = await runVerifyAction({
      stack,
      claims,
      inputs: {
        tag: release.tagName,
        'certificate-identity': identityOf(stack, claims),
        'trusted-root': stack.trustedRootPath,
        'require-provenance': 'true',
      },
    })
    expect(verify.exitCode, verify.log).toBe(0)
    const results = JSON.parse(verify.outputs.results ?? '[]') as {
      name: string
      status: string
      coveredBy?: string
    }[]
    expect(
      results
        .filter((r) => r.coveredBy === 'SHA256SUMS')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['manifest-archives-v1.0.0.tar.gz', 'manifest-archives-v1.0.0.zip', 'tool.tar.gz'])
    expect(results.every((r) => r.status === 'ok')).toBe(true)
  })

  it('rehearses on a scratch copy and leaves the release as it was', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/manifest-rehearsal' })
    const release = await seedRelease(stack, { claims, assets: parts(5) })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { bundles: 'manifest', rehearse: 'true' },
    })
    expect(run.exitCode, run.log.slice(-3000)).toBe(0)
    expect(run.log).toMatch(/ok: part-0\.bin \(by SHA256SUMS\)/)
    expect(release.assets).toHaveLength(5)
  })
})
