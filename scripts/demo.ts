// The demo: starts the offline stack, creates a sample release with one
// asset, and a workspace as a release job leaves it (a checkout of the tag and
// two freshly built files). It runs the bundled action as a runner would, to
// sign the asset, the built files, the tag's source archive and a checksums
// manifest, then prints the result table, an independent verification of
// every attached bundle, and `sha256sum -c` over the release.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { bundleFromJSON } from '@sigstore/bundle'
import { toSignedEntity } from '@sigstore/verify'
import { startStack } from '../test/stack/index.js'
import { releaseJobClaims } from '../test/support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  stackVerifier,
  verifyProvenanceFile,
  workflowPolicy,
} from '../test/support/fixtures.js'
import { runAction } from '../test/support/runner.js'

const stack = await startStack()
try {
  const claims = releaseJobClaims({ repository: 'octo-org/demo' })
  const release = await seedRelease(stack, {
    claims,
    tag: 'v1.0.0',
    assets: { 'demo-linux-amd64.tar.gz': 'pretend this is a Linux build, attached earlier\n' },
  })
  const workspace = mkdtempSync(path.join(tmpdir(), 'sign-release-demo-'))
  const git = (...args: string[]) =>
    execFileSync('git', [
      '-C',
      workspace,
      '-c',
      'user.name=demo',
      '-c',
      'user.email=demo@example.com',
      ...args,
    ])
  git('init', '-q')
  writeFileSync(path.join(workspace, 'README.md'), '# demo\n')
  git('add', 'README.md')
  git('commit', '-q', '-m', 'Release 1.0.0')
  git('tag', 'v1.0.0')
  mkdirSync(path.join(workspace, 'dist'))
  writeFileSync(
    path.join(workspace, 'dist/demo-darwin-arm64.tar.gz'),
    'pretend this is a macOS build\n',
  )
  writeFileSync(
    path.join(workspace, 'dist/demo-windows-amd64.zip'),
    'pretend this is a Windows build\n',
  )

  const inputs = {
    assets: '*',
    files: 'dist/*',
    'source-archive': 'git',
    checksums: 'SHA256SUMS',
  }
  console.log(
    `Release ${release.tagName} of ${claims.repository} has ${release.assets.length} asset; the workspace holds a checkout of the tag and dist/.`,
  )
  console.log(`Running dist/index.js as the runner would, on a release: published event, with`)
  for (const [name, value] of Object.entries(inputs)) console.log(`  ${name}: ${value}`)
  console.log(
    `  tuf-mirror, tuf-root: the stack's TUF repository, which gives the trusted root and the signing config\n` +
      "  (Fulcio, Rekor v1, the timestamp authority), as Sigstore's own repository does with no inputs at all",
  )
  console.log('')

  const run = await runAction({
    sigstore: 'stack-tuf',
    stack,
    claims,
    workspace,
    event: releaseEvent(release),
    inputs,
  })
  const log = run.log
    .split('\n')
    .filter((line) => line && !line.startsWith('::debug::'))
    .map((line) => `  | ${line}`)
    .join('\n')
  console.log(log)
  if (run.exitCode !== 0) throw new Error(`the action failed with exit code ${run.exitCode}`)

  const results = JSON.parse(run.outputs.results ?? '[]') as {
    name: string
    source: string
    sha256: string
    status: string
    logIndex: string
    bundle: string
  }[]
  console.log("\nResults (the action's `results` output):")
  console.table(
    results.map((r) => ({
      asset: r.name,
      source: r.source,
      sha256: `${r.sha256.slice(0, 16)}…`,
      status: r.status,
      'log index': r.logIndex,
    })),
  )

  console.log('Independent verification of every bundle attached to the release')
  console.log(
    `(@sigstore/verify, whole artifact in memory, identity ${run.outputs['certificate-identity']}):`,
  )
  const verifier = stackVerifier(stack)
  let failures = 0
  for (const result of results) {
    const asset = release.assets.find((a) => a.name === result.name)
    const bundleAsset = release.assets.find((a) => a.name === result.bundle)
    try {
      if (result.source === 'provenance') {
        // A DSSE envelope over an in-toto statement: each subject must be a file on the release.
        const { statement } = verifyProvenanceFile(stack, release, identityOf(stack, claims))
        console.log(
          `  OK    ${result.bundle} (SLSA provenance over ${statement.subject.length} files, each digest matching the release)`,
        )
        continue
      }
      if (asset?.content.kind !== 'bytes' || bundleAsset?.content.kind !== 'bytes')
        throw new Error('not on the release')
      const bundle = bundleFromJSON(JSON.parse(bundleAsset.content.data.toString('utf8')))
      verifier.verify(
        toSignedEntity(bundle, asset.content.data),
        workflowPolicy(identityOf(stack, claims)),
      )
      console.log(`  OK    ${result.bundle}`)
    } catch (error) {
      failures++
      console.log(
        `  FAIL  ${result.bundle}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
  const consumer = mkdtempSync(path.join(tmpdir(), 'sign-release-consumer-'))
  for (const asset of release.assets) {
    if (asset.content.kind === 'bytes')
      writeFileSync(path.join(consumer, asset.name), asset.content.data)
  }
  console.log('\nsha256sum -c SHA256SUMS, over the files on the release:')
  console.log(
    execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: consumer })
      .toString()
      .trimEnd()
      .replace(/^/gm, '  '),
  )
  console.log('')
  rmSync(consumer, { recursive: true, force: true })
  rmSync(workspace, { recursive: true, force: true })
  console.log(
    `On github.com, a consumer runs:\n  cosign verify-blob ${results[0]?.name} --bundle ${results[0]?.bundle} \\`,
  )
  console.log(`    --certificate-identity '${run.outputs['certificate-identity']}' \\`)
  console.log(`    --certificate-oidc-issuer '${run.outputs['certificate-oidc-issuer']}'`)
  console.log(
    'or, for every file at once, the same for SHA256SUMS and then: sha256sum -c SHA256SUMS',
  )
  const provenance = results.find((r) => r.source === 'provenance')
  if (provenance) {
    console.log(
      `and, with GitHub's CLI: gh attestation verify ${results[0]?.name} --repo ${claims.repository} [--bundle ${provenance.name}]`,
    )
  }
  if (failures > 0) process.exitCode = 1
} finally {
  await stack.stop()
}
