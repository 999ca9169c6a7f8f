// The demo: starts the offline stack, creates a sample release with a few
// assets, runs the bundled action on it as a runner would, then prints the
// result table and an independent verification of every attached bundle.

import { bundleFromJSON } from '@sigstore/bundle'
import { toSignedEntity } from '@sigstore/verify'
import { startStack } from '../test/stack/index.js'
import { releaseJobClaims } from '../test/support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  stackVerifier,
  workflowPolicy,
} from '../test/support/fixtures.js'
import { runAction } from '../test/support/runner.js'

const stack = await startStack()
try {
  const claims = releaseJobClaims({ repository: 'octo-org/demo' })
  const release = await seedRelease(stack, {
    claims,
    tag: 'v1.0.0',
    assets: {
      'demo-linux-amd64.tar.gz': 'pretend this is a Linux build\n',
      'demo-darwin-arm64.tar.gz': 'pretend this is a macOS build\n',
      'demo-windows-amd64.zip': 'pretend this is a Windows build\n',
      'SHA256SUMS.txt': 'checksums\n',
    },
  })
  console.log(
    `Release ${release.tagName} of ${claims.repository} has ${release.assets.length} assets.`,
  )
  console.log('Running dist/index.js as the runner would, on a release: published event...\n')

  const run = await runAction({
    sigstore: 'stack-tuf',
    stack,
    claims,
    event: releaseEvent(release),
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
    sha256: string
    status: string
    logIndex: string
    bundle: string
  }[]
  console.log("\nResults (the action's `results` output):")
  console.table(
    results.map((r) => ({
      asset: r.name,
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
  console.log(
    `\nOn github.com, a consumer runs:\n  cosign verify-blob ${results[0]?.name} --bundle ${results[0]?.bundle} \\`,
  )
  console.log(`    --certificate-identity '${run.outputs['certificate-identity']}' \\`)
  console.log(`    --certificate-oidc-issuer '${run.outputs['certificate-oidc-issuer']}'`)
  if (failures > 0) process.exitCode = 1
} finally {
  await stack.stop()
}
