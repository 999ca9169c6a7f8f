// The Windows lane: the bundled action as a Windows runner runs it (Node 24
// for Windows under Wine, drive paths, RUNNER_OS=Windows) against the
// stand-ins: a dry run, a real run whose bundles verify, files found by
// globs in either separator, an asset pattern that keeps case, and names
// Windows keeps for devices.
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
  verifyProvenanceFile,
} from '../support/fixtures.js'
import { type RunOptions, runAction } from '../support/runner.js'
import { oneCleanFailure } from '../support/scenario.js'
import { WINDOWS_LANE, windowsLaneReady, windowsPath } from '../support/windows.js'
import { workspaceWith } from '../support/workspace.js'

let stack: Stack
beforeAll(async () => {
  if (!windowsLaneReady())
    throw new Error('The Windows lane is not set up: run scripts/windows-lane.sh setup (as root).')
  stack = await startStack()
})
afterAll(async () => {
  await stack?.stop()
})

const onWindows = (options: Omit<RunOptions, 'stack' | 'sigstore'>) =>
  runAction({ ...options, stack, sigstore: 'stack', windows: WINDOWS_LANE })

/** A drive path the action gave back, as this machine sees it. */
const posixPath = (drive: string) => drive.replace(/^[A-Za-z]:/, '').replaceAll('\\', '/')

describe('on a Windows runner', () => {
  it('a dry run signs and verifies, writes the bundles under RUNNER_TEMP, and attaches nothing', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/win-dry' })
    const release = await seedRelease(stack, {
      claims,
      assets: { 'tool.tar.gz': 'tool', 'tool.zip': 'zip' },
    })
    const run = await onWindows({
      claims,
      event: releaseEvent(release),
      inputs: { 'dry-run': 'true' },
    })
    expect(run.exitCode, run.log).toBe(0)
    const dir = run.outputs['bundles-dir'] ?? ''
    expect(dir).toMatch(/^Z:\\/)
    expect(readdirSync(posixPath(dir)).sort()).toContain('tool.tar.gz.sigstore.json')
    expect(release.assets.map((a) => a.name).sort()).toEqual(['tool.tar.gz', 'tool.zip'])
  })

  it('a real run attaches bundles and a provenance that verify, and the summary speaks PowerShell', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/win-real' })
    const release = await seedRelease(stack, {
      claims,
      assets: { 'tool.tar.gz': 'tool', 'tool.zip': 'zip' },
    })
    const run = await onWindows({
      claims,
      event: releaseEvent(release),
      inputs: { checksums: 'SHA256SUMS' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'SHA256SUMS',
      'tool.tar.gz',
      'tool.zip',
    ])
    verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(run.summary).toContain('<pre lang="powershell">')
    expect(run.summary).toContain('Get-FileHash')
  })

  it('files: globs with either separator, an exclusion, an absolute drive path and ./, one asset per file', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/win-files' })
    const release = await seedRelease(stack, { claims, draft: true, assets: {} })
    const workspace = workspaceWith({
      'dist/app.zip': 'app',
      'dist/notes.txt': 'notes',
      'dist/sub/deep.bin': 'deep',
      'dist/octo-cli': 'octo',
    })
    const files = [
      'dist/*',
      'dist\\**\\*.bin',
      '!dist/*.txt',
      `${windowsPath(workspace)}\\dist\\*.zip`,
      `${windowsPath(workspace).replace('Z:', 'z:').replaceAll('\\', '/')}/dist/app.zip`,
      './dist/octo-*',
    ].join('\n')
    const run = await onWindows({
      claims,
      workspace,
      event: releaseEvent(release, 'created'),
      inputs: { tag: release.tagName, files, provenance: 'false' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(release.assets.map((a) => a.name).sort()).toEqual([
      'app.zip',
      'app.zip.sigstore.json',
      'deep.bin',
      'deep.bin.sigstore.json',
      'octo-cli',
      'octo-cli.sigstore.json',
    ])
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(3)
  })

  it('an assets pattern keeps case, as GitHub names assets', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/win-case' })
    const release = await seedRelease(stack, { claims, assets: { 'tool.tar.gz': 'tool' } })
    const run = await onWindows({
      claims,
      event: releaseEvent(release),
      inputs: { assets: '*.TAR.GZ' },
    })
    expect(run.exitCode).toBe(1)
    expect(oneCleanFailure(run.log)).toContain(
      "Input 'assets': no asset of the release matches *.TAR.GZ",
    )
    expect(release.assets).toHaveLength(1)
  })

  it('signs assets named as Windows devices (aux, con, nul): their names on the release stay', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/win-devices' })
    const release = await seedRelease(stack, {
      claims,
      assets: { 'aux.tar.gz': 'aux', 'con.zip': 'con', nul: 'nul' },
    })
    const run = await onWindows({ claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'aux.tar.gz',
      'con.zip',
      'nul',
    ])
  })
})
