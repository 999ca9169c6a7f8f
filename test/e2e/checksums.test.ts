// The checksums manifest (`checksums`), and a dry run of everything a
// workflow builds. Every run here is against the stack's Sigstore services.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { bundleFromJSON } from '@sigstore/bundle'
import { toSignedEntity } from '@sigstore/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReleaseRecord } from '../stack/github/state.js'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  stackVerifier,
  verifyAttachedBundles,
  workflowPolicy,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { assetNames, contentOf, requestMarks, requestsSince } from '../support/scenario.js'
import { tempDir } from '../support/temp.js'
import { commitAndTag, workspaceWith } from '../support/workspace.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

/** Downloads every non-bundle asset into a folder and runs `sha256sum -c` there, as a consumer would. */
function consumerCheck(release: ReleaseRecord, manifest: string): string {
  const dir = tempDir('sign-release-consumer-')
  for (const asset of release.assets)
    writeFileSync(path.join(dir, asset.name), contentOf(release, asset.name))
  return execFileSync('sha256sum', ['-c', manifest], { cwd: dir }).toString()
}

describe('checksums', () => {
  it('attaches a signed manifest that sha256sum -c accepts, and rewrites it only when it changes', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sums' })
    const release = await seedRelease(stack, {
      claims,
      assets: { 'b-linux.tar.gz': 'linux', 'a-macos.zip': 'mac', 'notes.txt': 'notes' },
    })
    const workspace = tempDir('sign-release-ws-')
    writeFileSync(path.join(workspace, 'c-local.whl'), 'wheel')
    const inputs = { assets: '*.tar.gz, *.zip', files: 'c-local.whl', checksums: 'SHA256SUMS' }
    const signAll = () =>
      runAction({
        sigstore: 'stack',
        stack,
        claims,
        workspace,
        event: releaseEvent(release),
        inputs,
      })
    const run = await signAll()
    expect(run.exitCode, run.log).toBe(0)
    const manifest = contentOf(release, 'SHA256SUMS').toString()
    const line = (name: string) =>
      `${createHash('sha256').update(contentOf(release, name)).digest('hex')}  ${name}\n`
    // Sorted by name; the unselected notes.txt and every bundle are left out.
    expect(manifest).toBe(line('a-macos.zip') + line('b-linux.tar.gz') + line('c-local.whl'))
    expect(consumerCheck(release, 'SHA256SUMS')).toBe(
      'a-macos.zip: OK\nb-linux.tar.gz: OK\nc-local.whl: OK\n',
    )
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'SHA256SUMS',
      'a-macos.zip',
      'b-linux.tar.gz',
      'c-local.whl',
    ])
    const results = JSON.parse(run.outputs.results ?? '[]')
    // The manifest is the last file signed; the provenance, over all of them, follows it.
    expect(results.at(-2)).toMatchObject({
      name: 'SHA256SUMS',
      source: 'checksums',
      status: 'signed',
    })
    expect(results.at(-1)).toMatchObject({ source: 'provenance', status: 'signed' })
    expect(run.summary).toContain("sha256sum -c --ignore-missing 'SHA256SUMS'")
    expect(run.summary).toContain("shasum -a 256 -c --ignore-missing 'SHA256SUMS'")

    // Nothing changed: the manifest and its bundle stay, and nothing is uploaded.
    const marks = requestMarks(stack)
    const again = await signAll()
    expect(again.exitCode, again.log).toBe(0)
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
    const manifestId = release.assets.find((a) => a.name === 'SHA256SUMS')?.id

    // A new asset: the manifest is rewritten, and both it and its bundle are replaced.
    await stack.github.state.addAsset(release, 'd-windows.zip', {
      kind: 'bytes',
      data: Buffer.from('win'),
    })
    const third = await signAll()
    expect(third.exitCode, third.log).toBe(0)
    expect(release.assets.find((a) => a.name === 'SHA256SUMS')?.id).not.toBe(manifestId)
    expect(contentOf(release, 'SHA256SUMS').toString()).toContain('  d-windows.zip\n')
    expect(consumerCheck(release, 'SHA256SUMS')).toContain('d-windows.zip: OK')
    expect(assetNames(stack, release.id).filter((n) => n.startsWith('SHA256SUMS'))).toEqual([
      'SHA256SUMS',
      'SHA256SUMS.sigstore.json',
    ])
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toContain(
      'SHA256SUMS',
    )
    expect(JSON.parse(third.outputs.results ?? '[]').at(-2)).toMatchObject({
      name: 'SHA256SUMS',
      status: 'replaced',
    })
  })

  it("refuses, before signing, to overwrite a file of the user's under the manifest's name", async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sums-theirs' })
    const release = await seedRelease(stack, {
      claims,
      assets: { 'app.bin': 'app', SHA256SUMS: 'hand-written release notes, not checksums' },
    })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { checksums: 'SHA256SUMS' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /::error::Input 'checksums': the release already has an asset named SHA256SUMS that is not a checksums file this action wrote/,
    )
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    expect(contentOf(release, 'SHA256SUMS').toString()).toBe(
      'hand-written release notes, not checksums',
    )
  })

  it('refuses to replace a checksums file that no bundle from this workflow vouches for', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sums-unsigned' })
    const stale = `${'0'.repeat(64)}  app.bin\n`
    const release = await seedRelease(stack, {
      claims,
      assets: { 'app.bin': 'app', SHA256SUMS: stale },
    })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { checksums: 'SHA256SUMS' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain('SHA256SUMS on the release differs from this run')
    expect(contentOf(release, 'SHA256SUMS').toString()).toBe(stale)
  })
})

describe('dry run of what a workflow builds', () => {
  it('signs local files, the git archive and the manifest, attaches nothing, and keeps them all', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/dry-build' })
    const release = await seedRelease(stack, { claims, tag: 'v1.0.0', assets: {} })
    const workspace = workspaceWith({ 'main.c': 'int main(void) { return 0; }\n' })
    commitAndTag(workspace, 'v1.0.0')
    writeFileSync(path.join(workspace, 'app'), 'built binary')
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace,
      event: releaseEvent(release),
      artifactService: true,
      inputs: {
        files: 'app',
        'source-archive': 'git',
        checksums: 'SHA256SUMS',
        'dry-run': 'true',
      },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'api').filter((r) => r.method !== 'GET')).toHaveLength(0)
    expect(assetNames(stack, release.id)).toEqual([])

    const dir = run.outputs['bundles-dir'] ?? ''
    expect(readdirSync(dir).sort()).toEqual([
      'SHA256SUMS',
      'SHA256SUMS.sigstore.json',
      'app.sigstore.json',
      'dry-build-v1.0.0.tar.gz',
      'dry-build-v1.0.0.tar.gz.sigstore.json',
    ])
    const verifier = stackVerifier(stack)
    const policy = workflowPolicy(identityOf(stack, claims))
    const subjects: Record<string, Buffer> = {
      app: Buffer.from('built binary'),
      SHA256SUMS: readFileSync(path.join(dir, 'SHA256SUMS')),
      'dry-build-v1.0.0.tar.gz': readFileSync(path.join(dir, 'dry-build-v1.0.0.tar.gz')),
    }
    for (const [name, data] of Object.entries(subjects)) {
      const bundle = bundleFromJSON(
        JSON.parse(readFileSync(path.join(dir, `${name}.sigstore.json`), 'utf8')),
      )
      verifier.verify(toSignedEntity(bundle, data), policy)
    }
    expect(subjects.SHA256SUMS?.toString()).toContain('  app\n')
    expect(subjects.SHA256SUMS?.toString()).toContain('  dry-build-v1.0.0.tar.gz\n')
    const zip = stack.results.artifacts.at(-1)?.data ?? Buffer.alloc(0)
    for (const name of readdirSync(dir)) expect(zip.includes(name), name).toBe(true)
  })
})
