// Every way of starting the action ends with exactly one valid bundle per
// selected asset, signed with the identity the run reports.
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
import { assetNames } from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

const ASSETS = {
  'tool-linux-amd64.tar.gz': 'linux build',
  'tool-darwin-arm64.zip': 'mac build',
  'checksums.txt': 'sums',
}

function expectOneBundleEach(releaseId: number, subjects: string[]) {
  const names = assetNames(stack, releaseId)
  for (const subject of subjects) {
    expect(names.filter((n) => n === `${subject}.sigstore.json`)).toHaveLength(1)
  }
}

describe('triggers', () => {
  it('a release event signs every asset of the triggering release', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/release-event' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    expectOneBundleEach(release.id, Object.keys(ASSETS))
    const identity = identityOf(stack, claims)
    expect(await verifyAttachedBundles(stack, release, identity)).toEqual(
      Object.keys(ASSETS).sort(),
    )
    expect(run.outputs['certificate-identity']).toBe(identity)
    expect(run.outputs['certificate-oidc-issuer']).toBe(
      'https://token.actions.githubusercontent.com',
    )
    const results = JSON.parse(run.outputs.results ?? '[]') as {
      name: string
      status: string
      sha256: string
    }[]
    // Three assets, and the provenance over them.
    expect(results.map((r) => r.status)).toEqual(['signed', 'signed', 'signed', 'signed'])
    expect(results.at(-1)).toMatchObject({
      source: 'provenance',
      bundle: 'release-event-v1.0.0.intoto.jsonl',
    })
    expect(results.every((r) => /^[0-9a-f]{64}$/.test(r.sha256))).toBe(true)
    expect(run.summary).toContain(`--certificate-identity '${identity}'`)
    expect(run.summary).toContain('npx sign-release verify-release --repo')
  })

  it('workflow_dispatch with a tag signs that release with the identity of the branch the run started from', async () => {
    const claims = releaseJobClaims({
      repository: 'octo-org/dispatch',
      ref: 'refs/heads/main',
      event_name: 'workflow_dispatch',
      job_workflow_ref: 'octo-org/dispatch/.github/workflows/sign.yml@refs/heads/main',
      workflow_ref: 'octo-org/dispatch/.github/workflows/sign.yml@refs/heads/main',
    })
    const release = await seedRelease(stack, { claims, tag: 'v0.9.0', assets: ASSETS })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: { inputs: { tag: 'v0.9.0' } },
      inputs: { tag: 'v0.9.0' },
    })
    expect(run.exitCode, run.log).toBe(0)
    const identity =
      'https://github.com/octo-org/dispatch/.github/workflows/sign.yml@refs/heads/main'
    expect(run.outputs['certificate-identity']).toBe(identity)
    expect(await verifyAttachedBundles(stack, release, identity)).toEqual(
      Object.keys(ASSETS).sort(),
    )
    const tagIdentity =
      'https://github.com/octo-org/dispatch/.github/workflows/sign.yml@refs/tags/v0.9.0'
    await expect(verifyAttachedBundles(stack, release, tagIdentity)).rejects.toThrow(/identity/)
  })

  it('quotes an identity with a quote in it for the shell, and escapes names in the step summary', async () => {
    const ref = "refs/heads/it's-<b>ranch"
    const claims = releaseJobClaims({
      repository: 'octo-org/quoting',
      ref,
      event_name: 'workflow_dispatch',
      job_workflow_ref: `octo-org/quoting/.github/workflows/sign.yml@${ref}`,
      workflow_ref: `octo-org/quoting/.github/workflows/sign.yml@${ref}`,
    })
    await seedRelease(stack, { claims, tag: 'v0.9.0', assets: { 'app.tar.gz': 'app' } })
    const run = await runAction({ sigstore: 'stack', stack, claims, inputs: { tag: 'v0.9.0' } })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.summary).not.toContain('<b>')
    // The summary is HTML: what a reader copies is the text with its entities decoded.
    const text = run.summary
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&')
    const identity = `https://github.com/octo-org/quoting/.github/workflows/sign.yml@${ref}`
    expect(text).toContain(`--certificate-identity '${identity.replaceAll("'", "'\\''")}'`)
  })

  it('finds a draft by tag, even past the first page of releases, and leaves it a draft', async () => {
    const claims = releaseJobClaims({
      repository: 'octo-org/many-releases',
      event_name: 'workflow_dispatch',
      ref: 'refs/heads/main',
    })
    const draft = await seedRelease(stack, { claims, tag: 'v0.0.1', draft: true, assets: ASSETS })
    // 120 newer releases push the draft onto the second page of the list.
    for (let i = 0; i < 120; i++) await seedRelease(stack, { claims, tag: `v1.${i}.0`, assets: {} })
    const run = await runAction({ sigstore: 'stack', stack, claims, inputs: { tag: 'v0.0.1' } })
    expect(run.exitCode, run.log).toBe(0)
    expectOneBundleEach(draft.id, Object.keys(ASSETS))
    expect(await verifyAttachedBundles(stack, draft, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
    expect(stack.github.state.release(draft.id)?.draft).toBe(true)
    const listed = stack.servers.api.requests.filter((r) =>
      r.path.includes('/many-releases/releases?'),
    )
    expect(listed.some((r) => r.path.includes('page=2'))).toBe(true)
  })

  it('a tag push signs the release of the pushed tag', async () => {
    const claims = releaseJobClaims({
      repository: 'octo-org/tag-push',
      ref: 'refs/tags/v3.0.0',
      event_name: 'push',
    })
    const release = await seedRelease(stack, { claims, tag: 'v3.0.0', assets: ASSETS })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: { ref: 'refs/tags/v3.0.0' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
  })

  it('signs only the assets the patterns select, never bundles, and names bundles after what GitHub stored', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/patterns' })
    const release = await seedRelease(stack, {
      claims,
      assets: {
        'app (linux).tar.gz': 'renamed by GitHub',
        'app-debug.tar.gz': 'excluded',
        'notes.txt': 'not selected',
        'old.tar.gz.sigstore': 'an old bundle, never signed',
      },
    })
    expect(assetNames(stack, release.id)).toContain('app.linux.tar.gz')
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { assets: '*.tar.gz\n!*-debug.*' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(assetNames(stack, release.id).filter((n) => n.endsWith('.sigstore.json'))).toEqual([
      'app.linux.tar.gz.sigstore.json',
    ])
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'app.linux.tar.gz',
    ])
  })

  it('writes .sigstore bundles when bundle-suffix asks for the older name', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/old-suffix' })
    const release = await seedRelease(stack, { claims, assets: { 'a.whl': 'wheel' } })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { 'bundle-suffix': '.sigstore' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(
      await verifyAttachedBundles(stack, release, identityOf(stack, claims), '.sigstore'),
    ).toEqual(['a.whl'])
  })
})
