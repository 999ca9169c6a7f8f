// The workflow's own files (`files`): hashed from disk, signed with the run's
// certificate, uploaded beside their bundles, never modified; a release asset
// is never replaced. Every run here is against the stack's Sigstore services.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WAIT_SCALE_VARIABLE } from '../../src/util/wait.js'
import { type Stack, startStack } from '../stack/index.js'
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
import { commitAndTag, workspaceWith } from '../support/workspace.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

/** Every file under a folder with its size and modification time, to prove nothing was touched. */
function snapshot(dir: string): string {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(d, e.name)
      if (e.isDirectory()) return walk(full)
      const s = statSync(full)
      return [`${path.relative(dir, full)} ${s.size} ${s.mtimeMs} ${sha256(readFileSync(full))}`]
    })
  return walk(dir).sort().join('\n')
}

describe('files', () => {
  it('signs and attaches the files a pattern matches, leaving the workspace untouched', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/local-files' })
    const release = await seedRelease(stack, { claims, assets: { 'notes.txt': 'notes' } })
    const workspace = workspaceWith({
      'dist/pkg-1.0-py3-none-any.whl': 'wheel bytes',
      'dist/pkg-1.0.tar.gz': 'sdist bytes',
      'dist/pkg-1.0.dev.txt': 'excluded',
      'dist/sub/ignored.whl': 'not matched: the pattern has no **',
    })
    const before = snapshot(workspace)
    const signFiles = () =>
      runAction({
        sigstore: 'stack',
        stack,
        claims,
        workspace,
        event: releaseEvent(release),
        inputs: { files: 'dist/*\n!dist/*.txt' },
      })
    const run = await signFiles()
    expect(run.exitCode, run.log).toBe(0)
    expect(snapshot(workspace)).toBe(before)
    // Only the run's own files: the release's notes.txt is not signed unless assets asks for it.
    expect(assetNames(stack, release.id)).toEqual([
      'notes.txt',
      'pkg-1.0-py3-none-any.whl',
      'pkg-1.0-py3-none-any.whl.sigstore.json',
      'pkg-1.0.tar.gz',
      'pkg-1.0.tar.gz.sigstore.json',
    ])
    expect(contentOf(release, 'pkg-1.0.tar.gz').toString()).toBe('sdist bytes')
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'pkg-1.0-py3-none-any.whl',
      'pkg-1.0.tar.gz',
    ])
    const results = JSON.parse(run.outputs.results ?? '[]')
    expect(results.map((r: { name: string; source: string; status: string }) => r)).toEqual([
      expect.objectContaining({
        name: 'pkg-1.0-py3-none-any.whl',
        source: 'file',
        status: 'signed',
        sha256: sha256('wheel bytes'),
      }),
      expect.objectContaining({ name: 'pkg-1.0.tar.gz', source: 'file', status: 'signed' }),
    ])
    // One certificate for the run.
    expect(run.log).toContain('Certificates issued: 1')

    // A re-run finds both files on the release with the same bytes: nothing is uploaded again.
    const marks = requestMarks(stack)
    const again = await signFiles()
    expect(again.exitCode, again.log).toBe(0)
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    expect(
      JSON.parse(again.outputs.results ?? '[]').map((r: { status: string }) => r.status),
    ).toEqual(['unchanged', 'unchanged'])
  })

  it('refuses a pattern that matches nothing, naming it, before anything is signed', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/local-nomatch' })
    const release = await seedRelease(stack, { claims, assets: {} })
    const workspace = workspaceWith({ 'dist/app.bin': 'app' })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace,
      event: releaseEvent(release),
      inputs: { files: 'dist/app.bin\nbuild/*.whl' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/::error::Input 'files': 'build\/\*\.whl' matches no file under /)
    expect(requestsSince(stack, marks, 'fulcio')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    expect(assetNames(stack, release.id)).toEqual([])
  })

  it('never replaces an asset of the same name with other bytes, and signs nothing', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/local-conflict' })
    const release = await seedRelease(stack, { claims, assets: { 'app.bin': 'published bytes' } })
    const workspace = workspaceWith({ 'dist/app.bin': 'rebuilt bytes', 'dist/new.bin': 'new' })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace,
      event: releaseEvent(release),
      inputs: { files: 'dist/*' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain('the release already has a different app.bin')
    expect(run.log).toContain(path.join(workspace, 'dist/app.bin'))
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
    expect(assetNames(stack, release.id)).toEqual(['app.bin'])
    expect(contentOf(release, 'app.bin').toString()).toBe('published bytes')
  })

  it('refuses two files that would share one asset name', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/local-dupes' })
    const release = await seedRelease(stack, { claims, assets: {} })
    const workspace = workspaceWith({ 'linux/app': 'l', 'mac/app': 'm' })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace,
      event: releaseEvent(release),
      inputs: { files: '*/app' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /Input 'files': .*linux\/app and .*mac\/app would both be attached as app/,
    )
  })

  it('two patterns that reach one file by different paths attach it once', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/local-one-file' })
    const release = await seedRelease(stack, { claims, assets: {} })
    const workspace = workspaceWith({ 'dist/app.zip': 'the app' })
    // Another spelling of dist/, as DIST/ is on a file system that ignores case.
    symlinkSync('dist', path.join(workspace, 'DIST'))
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace,
      event: releaseEvent(release),
      inputs: { files: 'dist/*.zip, DIST/*.zip', provenance: 'false' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(assetNames(stack, release.id)).toEqual(['app.zip', 'app.zip.sigstore.json'])
  })

  it('lets a build matrix attach to one draft at once, then publishes once all are signed', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/matrix' })
    const release = await seedRelease(stack, { claims, draft: true, assets: {} })
    const platforms = ['linux', 'macos', 'windows']
    const jobs = platforms.map((p) =>
      runAction({
        sigstore: 'stack',
        stack,
        claims,
        workspace: workspaceWith({
          [`dist/app-${p}.bin`]: `app for ${p}`,
          // Every job also built the same documentation file.
          'dist/LICENSE.txt': 'Apache-2.0',
        }),
        event: releaseEvent(release, 'created'),
        inputs: { files: 'dist/*' },
      }),
    )
    const runs = await Promise.all(jobs)
    for (const run of runs) expect(run.exitCode, run.log).toBe(0)
    expect(release.draft).toBe(true)
    const expected = ['LICENSE.txt', ...platforms.map((p) => `app-${p}.bin`)].sort()
    expect(assetNames(stack, release.id)).toEqual(
      expected.flatMap((n) => [n, `${n}.sigstore.json`]).sort(),
    )
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(expected)

    // The last job writes the checksums file over everything and publishes.
    const last = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release, 'created'),
      inputs: { assets: '*', checksums: 'SHA256SUMS', publish: 'true' },
    })
    expect(last.exitCode, last.log).toBe(0)
    expect(release.draft).toBe(false)
    expect(contentOf(release, 'SHA256SUMS').toString()).toBe(
      expected.map((n) => `${sha256(contentOf(release, n))}  ${n}\n`).join(''),
    )
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      [...expected, 'SHA256SUMS'].sort(),
    )
    // The build jobs wrote no provenance (each signs only its own files); the last job
    // wrote the one provenance, over every file, before it published.
    expect(runs.every((run) => run.log.includes('No provenance from this job'))).toBe(true)
    expect(assetNames(stack, release.id).filter((n) => n.endsWith('.intoto.jsonl'))).toEqual([
      'matrix-v1.0.0.intoto.jsonl',
    ])
    const { statement } = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(statement.subject.map((s) => s.name)).toEqual([...expected, 'SHA256SUMS'].sort())
  })

  it('does not publish while another job has attached a file without a bundle', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/matrix-unsigned' })
    const release = await seedRelease(stack, {
      claims,
      draft: true,
      assets: { 'from-another-job.bin': 'unsigned' },
    })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace: workspaceWith({ 'dist/app.bin': 'app' }),
      event: releaseEvent(release, 'created'),
      inputs: { files: 'dist/app.bin', publish: 'true' },
    })
    expect(run.exitCode).toBe(1)
    const error = oneCleanFailure(run.log)
    // It was there all along, not selected: the message says so, and names the input that would select it.
    expect(error).toContain(
      "Did not publish v1.0.0: from-another-job.bin has no bundle beside it; it was on the release before this run, which signs only its own files (files, source-archive). Add assets: '*', or a pattern that names it, to sign it in this run.",
    )
    expect(error).not.toContain('added or replaced while the run was signing')
    expect(release.draft).toBe(true)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'app.bin',
    ])
  })

  it('waits for another job still uploading the same file, then uses its upload', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/matrix-starter' })
    const release = await seedRelease(stack, { claims, draft: true, assets: {} })
    // Another job's upload of the same bytes is under way: the name is held by a 'starter' asset.
    const other = await stack.github.state.addAsset(release, 'shared.txt', {
      kind: 'bytes',
      data: Buffer.alloc(0),
    })
    other.state = 'starter'
    setTimeout(() => {
      other.content = { kind: 'bytes', data: Buffer.from('shared') }
      other.size = 6
      other.digest = sha256('shared')
      other.state = 'uploaded'
    }, 3_000)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace: workspaceWith({ 'shared.txt': 'shared' }),
      event: releaseEvent(release, 'created'),
      inputs: { files: 'shared.txt' },
      // The other job finishes after 3 s of real time: the action polls at full length.
      env: { [WAIT_SCALE_VARIABLE]: '1' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain('shared.txt is already on the release with the same SHA-256')
    expect(assetNames(stack, release.id)).toEqual(['shared.txt', 'shared.txt.sigstore.json'])
    expect(release.assets.find((a) => a.name === 'shared.txt')?.id).toBe(other.id)
  })

  it('removes an upload that never finished, and attaches its own', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/stale-starter' })
    const release = await seedRelease(stack, { claims, draft: true, assets: {} })
    const stale = await stack.github.state.addAsset(release, 'app.bin', {
      kind: 'bytes',
      data: Buffer.alloc(0),
    })
    stale.state = 'starter'
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace: workspaceWith({ 'app.bin': 'app' }),
      event: releaseEvent(release, 'created'),
      inputs: { files: 'app.bin' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain("app.bin stayed in state 'starter'")
    expect(contentOf(release, 'app.bin').toString()).toBe('app')
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'app.bin',
    ])
  }, 60_000)

  it('publishes a draft only after its files, source archive, manifest and bundles are all attached', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/all-in-one' })
    const release = await seedRelease(stack, { claims, tag: 'v5.0.0', draft: true, assets: {} })
    const workspace = workspaceWith({ 'dist/tool.tar.gz': 'tool' })
    commitAndTag(workspace, 'v5.0.0')
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      workspace,
      event: releaseEvent(release, 'created'),
      inputs: {
        files: 'dist/*',
        'source-archive': 'git',
        checksums: 'SHA256SUMS',
        publish: 'true',
      },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(release.draft).toBe(false)
    const names = ['SHA256SUMS', 'all-in-one-v5.0.0.tar.gz', 'tool.tar.gz']
    expect(assetNames(stack, release.id)).toEqual(
      names.flatMap((n) => [n, `${n}.sigstore.json`]).sort(),
    )
    // The publish came after the last upload.
    const log = run.log
    expect(log.indexOf('Published v5.0.0')).toBeGreaterThan(
      log.lastIndexOf('attached SHA256SUMS.sigstore.json'),
    )
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(names)
  })
})
