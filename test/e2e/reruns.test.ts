// Re-runs and re-published releases leave the release correct: nothing is
// uploaded twice, and stale or broken bundles are replaced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReleaseRecord } from '../stack/github/state.js'
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

const ASSETS = { 'a.tar.gz': 'first', 'b.tar.gz': 'second', 'c.zip': 'third' }

async function signedRelease(repository: string) {
  const claims = releaseJobClaims({ repository })
  const release = await seedRelease(stack, { claims, assets: ASSETS })
  const first = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
  expect(first.exitCode, first.log).toBe(0)
  return { claims, release }
}

function bundleIds(release: ReleaseRecord): Record<string, number> {
  return Object.fromEntries(
    release.assets.filter((a) => a.name.endsWith('.sigstore.json')).map((a) => [a.name, a.id]),
  )
}

function statuses(outputs: Record<string, string>): Record<string, string> {
  const results = JSON.parse(outputs.results ?? '[]') as { name: string; status: string }[]
  return Object.fromEntries(results.map((r) => [r.name, r.status]))
}

describe('re-runs', () => {
  it('a second run changes nothing and asks for no certificate', async () => {
    const { claims, release } = await signedRelease('octo-org/rerun')
    const before = bundleIds(release)
    const marks = requestMarks(stack)
    const second = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(second.exitCode, second.log).toBe(0)
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'api').filter((r) => r.method !== 'GET')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'fulcio')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    expect(bundleIds(release)).toEqual(before)
    expect(statuses(second.outputs)).toEqual({
      'a.tar.gz': 'unchanged',
      'b.tar.gz': 'unchanged',
      'c.zip': 'unchanged',
      // It still covers exactly these files: no new log entry, and nothing stored again.
      'rerun-v1.0.0.intoto.jsonl': 'unchanged',
    })
  })

  it('overwrite replaces every bundle with a new, valid one', async () => {
    const { claims, release } = await signedRelease('octo-org/overwrite')
    const before = bundleIds(release)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { overwrite: 'true' },
    })
    expect(run.exitCode, run.log).toBe(0)
    const after = bundleIds(release)
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort())
    for (const name of Object.keys(before)) expect(after[name]).not.toBe(before[name])
    expect(assetNames(stack, release.id)).toHaveLength(7)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
    expect(statuses(run.outputs)).toEqual({
      'a.tar.gz': 'replaced',
      'b.tar.gz': 'replaced',
      'c.zip': 'replaced',
      'overwrite-v1.0.0.intoto.jsonl': 'replaced',
    })
  })

  it('replaces a stale bundle (asset re-uploaded) and a broken one, and keeps the rest', async () => {
    const { claims, release } = await signedRelease('octo-org/stale')
    // a.tar.gz is re-uploaded with new bytes; c.zip's bundle is corrupted.
    release.assets = release.assets.filter((a) => a.name !== 'a.tar.gz')
    await stack.github.state.addAsset(release, 'a.tar.gz', {
      kind: 'bytes',
      data: Buffer.from('rebuilt'),
    })
    const broken = release.assets.find((a) => a.name === 'c.zip.sigstore.json')
    if (!broken) throw new Error('missing bundle')
    broken.content = { kind: 'bytes', data: Buffer.from('{"mediaType": "not a bundle"}') }
    broken.size = broken.content.data.length

    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    expect(statuses(run.outputs)).toEqual({
      'a.tar.gz': 'replaced',
      'b.tar.gz': 'unchanged',
      'c.zip': 'replaced',
      // a.tar.gz has new bytes: the provenance is replaced too.
      'stale-v1.0.0.intoto.jsonl': 'replaced',
    })
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
    expect(assetNames(stack, release.id)).toHaveLength(7)
    const subjects = verifyProvenanceFile(stack, release, identityOf(stack, claims)).statement
      .subject
    expect(subjects.map((s) => s.name)).toEqual(Object.keys(ASSETS).sort())
  })

  it('warns about a bundle whose asset is gone, and leaves it in place', async () => {
    const { claims, release } = await signedRelease('octo-org/orphan')
    release.assets = release.assets.filter((a) => a.name !== 'b.tar.gz')
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(
      '::warning::b.tar.gz.sigstore.json has no asset b.tar.gz on the release',
    )
    expect(assetNames(stack, release.id)).toContain('b.tar.gz.sigstore.json')
  })

  it('keeps a valid bundle made by another workflow, reports it as foreign, and replaces it only with overwrite', async () => {
    const { claims: earlier, release } = await signedRelease('octo-org/new-workflow')
    const claims = releaseJobClaims({
      repository: 'octo-org/new-workflow',
      job_workflow_ref: 'octo-org/new-workflow/.github/workflows/sign.yml@refs/tags/v1.0.0',
    })
    const marks = requestMarks(stack)
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    expect(Object.values(statuses(run.outputs))).toEqual(['foreign', 'foreign', 'foreign'])
    expect(run.log).toContain(
      `::warning::a.tar.gz.sigstore.json verifies but was signed by ${identityOf(stack, earlier)}`,
    )
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, earlier))).toEqual(
      Object.keys(ASSETS).sort(),
    )

    const replaced = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { overwrite: 'true' },
    })
    expect(replaced.exitCode, replaced.log).toBe(0)
    // The earlier workflow's provenance is replaced too, with this one's.
    expect(Object.values(statuses(replaced.outputs))).toEqual([
      'replaced',
      'replaced',
      'replaced',
      'replaced',
    ])
    verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
  })

  it('checks the bundles of assets GitHub lists no digest for against a download, and keeps them', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/old-assets' })
    const release = await seedRelease(stack, { claims, assets: {} })
    for (const [name, text] of Object.entries(ASSETS)) {
      await stack.github.state.addAsset(
        release,
        name,
        { kind: 'bytes', data: Buffer.from(text) },
        { digest: null },
      )
    }
    const first = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(first.exitCode, first.log).toBe(0)
    const marks = requestMarks(stack)
    const again = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
    })
    expect(again.exitCode, again.log).toBe(0)
    expect(Object.values(statuses(again.outputs))).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ])
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    const results = JSON.parse(again.outputs.results ?? '[]') as { sha256: string }[]
    expect(results.every((r) => /^[0-9a-f]{64}$/.test(r.sha256))).toBe(true)
  })

  it('a release turned back into a draft and re-published is signed again end to end with overwrite', async () => {
    const { claims, release } = await signedRelease('octo-org/republish')
    release.draft = true
    stack.github.state.publish(release)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release, 'published'),
      inputs: { overwrite: 'true' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(Object.values(statuses(run.outputs))).toEqual([
      'replaced',
      'replaced',
      'replaced',
      'replaced',
    ])
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
  })

  it('overwrite with every upload failing leaves each old bundle in place, still verifying', async () => {
    const { claims, release } = await signedRelease('octo-org/no-gap')
    const before = bundleBytes(release)
    stack.servers.uploads.fail({
      path: /assets/,
      fault: { kind: 'status', status: 502 },
      times: 1000,
    })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { overwrite: 'true' },
    })
    stack.servers.uploads.clearFaults()
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/3 of 3 asset\(s\) failed/)
    expect(run.log).toContain('A re-run resumes')
    const results = JSON.parse(run.outputs.results ?? '[]') as { status: string; error?: string }[]
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed'])
    expect(results[0]?.error).toMatch(/could not upload .*HTTP 502/)
    expect(bundleBytes(release)).toEqual(before)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
  })

  it('replaces a bundle through a temporary name, and a later run removes what an interrupted one left', async () => {
    const { claims, release } = await signedRelease('octo-org/leftover')
    // An earlier run died, an hour ago, after uploading a replacement under its temporary name.
    await leftoverFrom(release, 'a.tar.gz.sigstore.json.sign-release-tmp-0badc0de', 60)
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { overwrite: 'true' },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain('removed a.tar.gz.sigstore.json.sign-release-tmp-0badc0de')
    // Each replacement, the provenance's too: upload under a temporary name, delete the old one, rename.
    const uploads = requestsSince(stack, marks, 'uploads').map((r) => r.path)
    expect(uploads.every((p) => /sign-release-tmp-r\d+a1-[0-9a-f]{8}/.test(p))).toBe(true)
    const renames = requestsSince(stack, marks, 'api').filter((r) => r.method === 'PATCH')
    expect(renames).toHaveLength(4)
    expect(assetNames(stack, release.id)).toEqual(
      [
        ...Object.keys(ASSETS).flatMap((n) => [n, `${n}.sigstore.json`]),
        'leftover-v1.0.0.intoto.jsonl',
      ].sort(),
    )
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
  })

  it('removes a leftover temporary bundle even when there is nothing to sign', async () => {
    const { claims, release } = await signedRelease('octo-org/leftover-only')
    const leftover = 'b.tar.gz.sigstore.json.sign-release-tmp-feedf00d'
    await leftoverFrom(release, leftover, 60)
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(`removed ${leftover}`)
    expect(assetNames(stack, release.id)).not.toContain(leftover)
  })

  it('a run that cannot delete an old bundle fails, keeps that bundle, and removes its own temporary copy', async () => {
    const { claims, release } = await signedRelease('octo-org/leftover-own')
    const old = release.assets.find((a) => a.name === 'a.tar.gz.sigstore.json')
    const oldBytes = contentOf(release, 'a.tar.gz.sigstore.json')
    stack.servers.api.fail({
      method: 'DELETE',
      path: new RegExp(`/releases/assets/${old?.id}$`),
      fault: { kind: 'status', status: 502 },
      times: 1000,
    })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { overwrite: 'true' },
    })
    stack.servers.api.clearFaults()
    expect(run.exitCode).toBe(1)
    expect(oneCleanFailure(run.log)).toMatch(
      /a\.tar\.gz: attaching a\.tar\.gz\.sigstore\.json failed: .*502/,
    )
    expect(assetNames(stack, release.id).filter((n) => n.includes('sign-release-tmp'))).toEqual([])
    expect(contentOf(release, 'a.tar.gz.sigstore.json')).toEqual(oldBytes)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
      Object.keys(ASSETS).sort(),
    )
  })

  it('when GitHub will not delete anything, marks its copies as given up on, and any later run removes them at once', async () => {
    // A private repository whose job token may not read workflow runs: nothing says when a run is over.
    const claims = releaseJobClaims({ repository: 'octo-org/leftover-given-up' })
    const release = await seedRelease(stack, { claims, privateRepo: true, assets: ASSETS })
    const event = releaseEvent(release, 'published', true)
    const first = await runAction({ sigstore: 'stack', stack, claims, event })
    expect(first.exitCode, first.log).toBe(0)
    stack.github.state.workflowRunsReadable = false
    try {
      stack.servers.api.fail({
        method: 'DELETE',
        path: /\/releases\/assets\/\d+$/,
        fault: { kind: 'status', status: 502 },
        times: 1000,
      })
      const failed = await runAction({
        sigstore: 'stack',
        stack,
        claims,
        event,
        inputs: { overwrite: 'true' },
      })
      stack.servers.api.clearFaults()
      expect(failed.exitCode).toBe(1)
      const gone = assetNames(stack, release.id).filter((n) => n.includes('sign-release-tmp'))
      expect(gone).toHaveLength(3)
      for (const name of gone) expect(name).toMatch(/\.sign-release-tmp-r\d+a1-gone-[0-9a-f]{8}$/)

      // Another run, minutes later rather than 15: the copies go, and every bundle verifies.
      const next = await runAction({ sigstore: 'stack', stack, claims, event })
      expect(next.exitCode, next.log).toBe(0)
      for (const name of gone) expect(next.log).toContain(`removed ${name}, given up on by run `)
      expect(assetNames(stack, release.id).filter((n) => n.includes('sign-release-tmp'))).toEqual(
        [],
      )
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
        Object.keys(ASSETS).sort(),
      )
    } finally {
      stack.github.state.workflowRunsReadable = true
    }
  })

  it('removes at once what an earlier attempt of this run left, even without leave to read workflow runs', async () => {
    const { claims, release } = await signedRelease('octo-org/leftover-attempt')
    // Attempt 1 of run 555 died a minute ago, mid-replacement; the job's token may not read runs.
    const leftover = 'a.tar.gz.sigstore.json.sign-release-tmp-r555a1-0badc0de'
    await leftoverFrom(release, leftover, 1)
    stack.github.state.workflowRunsReadable = false
    try {
      const run = await runAction({
        sigstore: 'stack',
        stack,
        claims,
        event: releaseEvent(release),
        run: { id: '555', attempt: 2 },
      })
      expect(run.exitCode, run.log).toBe(0)
      expect(run.log).toContain(`removed ${leftover}, left behind by attempt 1 of this run`)
      expect(assetNames(stack, release.id)).not.toContain(leftover)
    } finally {
      stack.github.state.workflowRunsReadable = true
    }
  })

  it.each([
    ['the token may read workflow runs', true, false, true],
    ['it may not, but the repository is public: anyone may read its runs', false, false, true],
    ['it may not, and the repository is private: nothing says, so it waits', false, true, false],
  ])(
    "a finished run's leftover, when %s; a live run's is kept",
    async (_, readable, privateRepo, removed) => {
      const claims = releaseJobClaims({
        repository: `octo-org/leftover-runs-${readable}-${privateRepo}`,
      })
      const release = await seedRelease(stack, { claims, privateRepo, assets: ASSETS })
      const event = releaseEvent(release, 'published', privateRepo)
      const first = await runAction({ sigstore: 'stack', stack, claims, event })
      expect(first.exitCode, first.log).toBe(0)
      const finished = 'a.tar.gz.sigstore.json.sign-release-tmp-r601a1-0badc0de'
      const live = 'b.tar.gz.sigstore.json.sign-release-tmp-r602a1-0ddba11a'
      await leftoverFrom(release, finished, 1)
      await leftoverFrom(release, live, 1)
      stack.github.state.workflowRuns.set('601', 'completed')
      stack.github.state.workflowRuns.set('602', 'in_progress')
      stack.github.state.workflowRunsReadable = readable
      try {
        const run = await runAction({ sigstore: 'stack', stack, claims, event })
        expect(run.exitCode, run.log).toBe(0)
        expect(assetNames(stack, release.id).includes(finished)).toBe(!removed)
        if (removed) {
          expect(run.log).toContain(
            `removed ${finished}, left behind by run 601, which has finished`,
          )
        }
        expect(assetNames(stack, release.id)).toContain(live)
      } finally {
        stack.github.state.workflowRunsReadable = true
      }
    },
  )

  it("leaves a fresh temporary bundle alone: it may be another job's replacement in flight", async () => {
    const { claims, release } = await signedRelease('octo-org/leftover-fresh')
    const inFlight = 'b.tar.gz.sigstore.json.sign-release-tmp-0ddba11a'
    await leftoverFrom(release, inFlight, 1)
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).not.toContain(`removed ${inFlight}`)
    expect(assetNames(stack, release.id)).toContain(inFlight)
  })
})

/** A replacement bundle under a temporary name, uploaded `minutesAgo`. */
async function leftoverFrom(release: ReleaseRecord, name: string, minutesAgo: number) {
  const asset = await stack.github.state.addAsset(release, name, {
    kind: 'bytes',
    data: Buffer.from('{}'),
  })
  asset.createdAt = new Date(Date.now() - minutesAgo * 60_000).toISOString()
}

function bundleBytes(release: ReleaseRecord): Record<string, string> {
  return Object.fromEntries(
    release.assets
      .filter((a) => a.name.endsWith('.sigstore.json') && a.content.kind === 'bytes')
      .map((a) => [a.name, a.content.kind === 'bytes' ? a.content.data.toString('base64') : '']),
  )
}
