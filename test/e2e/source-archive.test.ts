// The tag's source archive (`source-archive`): made with git archive from the
// checkout, or downloaded from GitHub, attached as a real asset and signed.
// Every run here is against the stack's Sigstore services.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { assetNames, contentOf, requestMarks, requestsSince } from '../support/scenario.js'
import { commitAndTag, workspaceWith } from '../support/workspace.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

/** A checkout with one commit; `tag` is created on it unless it is undefined. */
function checkout(tag: string | undefined): string {
  const dir = workspaceWith({ 'README.md': '# project\n', '.gitignore': 'secret.env\n' })
  commitAndTag(dir, tag)
  // Work-tree changes after the tag never reach the archive.
  writeFileSync(path.join(dir, 'README.md'), '# uncommitted edit\n')
  writeFileSync(path.join(dir, 'secret.env'), 'TOKEN=do-not-ship\n')
  return dir
}

/** The file names inside a .tar.gz, as tar lists them. */
function tarList(data: Buffer): string[] {
  return execFileSync('tar', ['-tzf', '-'], { input: data }).toString().trim().split('\n').sort()
}

describe('source-archive: git', () => {
  it('attaches and signs git archive of the tag, never the work tree, and keeps it on a re-run', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/proj' })
    const release = await seedRelease(stack, { claims, tag: 'v1.2.0', assets: {} })
    const workspace = checkout('v1.2.0')
    const signArchive = () =>
      runAction({
        sigstore: 'stack',
        stack,
        claims,
        workspace,
        event: releaseEvent(release),
        inputs: { 'source-archive': 'git' },
      })
    const run = await signArchive()
    expect(run.exitCode, run.log).toBe(0)
    expect(assetNames(stack, release.id)).toEqual([
      'proj-v1.2.0.tar.gz',
      'proj-v1.2.0.tar.gz.sigstore.json',
    ])
    const archive = contentOf(release, 'proj-v1.2.0.tar.gz')
    expect(tarList(archive)).toEqual([
      'proj-v1.2.0/',
      'proj-v1.2.0/.gitignore',
      'proj-v1.2.0/README.md',
    ])
    const readme = execFileSync('tar', ['-xzOf', '-', 'proj-v1.2.0/README.md'], { input: archive })
    expect(readme.toString()).toBe('# project\n')
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'proj-v1.2.0.tar.gz',
    ])
    const [result] = JSON.parse(run.outputs.results ?? '[]')
    expect(result).toMatchObject({ source: 'source-archive', status: 'signed' })

    const marks = requestMarks(stack)
    const again = await signArchive()
    expect(again.exitCode, again.log).toBe(0)
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    expect(JSON.parse(again.outputs.results ?? '[]')[0]).toMatchObject({ status: 'unchanged' })
  })

  it('never replaces an archive already on the release, even when git would now make other bytes', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/proj2' })
    const published = Buffer.from('an archive made by an older git')
    const release = await seedRelease(stack, {
      claims,
      tag: 'v2.0.0',
      assets: { 'proj2-v2.0.0.tar.gz': published.toString() },
    })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace: checkout('v2.0.0'),
      event: releaseEvent(release),
      inputs: { 'source-archive': 'git' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(contentOf(release, 'proj2-v2.0.0.tar.gz')).toEqual(published)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'proj2-v2.0.0.tar.gz',
    ])
  })

  it('refuses a checkout without the tag before signing, saying how to check out', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/proj3' })
    const release = await seedRelease(stack, { claims, tag: 'v3.0.0', assets: {} })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace: checkout(undefined),
      event: releaseEvent(release),
      inputs: { 'source-archive': 'git' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /::error::Input 'source-archive': git needs the tag v3\.0\.0 in the checkout/,
    )
    expect(run.log).toContain("'ref: v3.0.0'")
    expect(run.log).toContain("'fetch-depth: 0'")
    expect(requestsSince(stack, marks, 'fulcio')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    expect(assetNames(stack, release.id)).toEqual([])
  })

  it('refuses a workspace that is no checkout at all', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/proj4' })
    const release = await seedRelease(stack, { claims, tag: 'v4.0.0', assets: {} })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { 'source-archive': 'git' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /::error::Input 'source-archive': git needs the tag v4\.0\.0 in the checkout/,
    )
  })

  it('names the archive with - for each / in the tag', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/mono', ref: 'refs/tags/pkg/v1.0.0' })
    const release = await seedRelease(stack, { claims, tag: 'pkg/v1.0.0', assets: {} })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace: checkout('pkg/v1.0.0'),
      event: releaseEvent(release),
      inputs: { 'source-archive': 'git' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(assetNames(stack, release.id)).toEqual([
      'mono-pkg-v1.0.0.tar.gz',
      'mono-pkg-v1.0.0.tar.gz.sigstore.json',
    ])
    expect(tarList(contentOf(release, 'mono-pkg-v1.0.0.tar.gz'))[0]).toBe('mono-pkg-v1.0.0/')
  })
})

describe('source-archive: github', () => {
  it('attaches GitHub archives as real assets, signing the bytes it downloaded', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/gh-archive' })
    const release = await seedRelease(stack, { claims, tag: 'v1.0.0', assets: {} })
    // GitHub does not promise the same bytes twice; what is signed must be what was attached.
    stack.github.state.unstableArchives = true
    const marks = requestMarks(stack)
    try {
      const run = await runAction({
        sigstore: 'stack',
        stack,
        claims,
        event: releaseEvent(release),
        inputs: { 'source-archive': 'github' },
      })
      expect(run.exitCode, run.log).toBe(0)
    } finally {
      stack.github.state.unstableArchives = false
    }
    expect(assetNames(stack, release.id)).toEqual([
      'gh-archive-v1.0.0.tar.gz',
      'gh-archive-v1.0.0.tar.gz.sigstore.json',
      'gh-archive-v1.0.0.zip',
      'gh-archive-v1.0.0.zip.sigstore.json',
    ])
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'gh-archive-v1.0.0.tar.gz',
      'gh-archive-v1.0.0.zip',
    ])
    expect(contentOf(release, 'gh-archive-v1.0.0.zip')).toHaveLength(4096)
    // The archive host got no credentials (it refuses them, as S3 does).
    const archiveGets = requestsSince(stack, marks, 'storage')
    expect(archiveGets.length).toBeGreaterThanOrEqual(2)
    for (const r of archiveGets) expect(r.headers.authorization).toBeUndefined()
  })

  it('refuses a draft whose tag does not exist yet, before signing', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/gh-draft' })
    const release = await seedRelease(stack, { claims, tag: 'v9.0.0', draft: true, assets: {} })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release, 'created'),
      inputs: { 'source-archive': 'github' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /GitHub has no tar\.gz archive for the tag v9\.0\.0: the tag does not exist yet/,
    )
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
  })
})
