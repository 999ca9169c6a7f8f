// rehearse: true runs the whole job against a scratch draft copy of the
// release, checks the copy as a consumer would, and deletes it: the release
// itself is left byte-for-byte and id-for-id as it was, and no draft stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REHEARSAL_TAG_PREFIX } from '../../src/signer/rehearse/rehearsal-copy.js'
import { type ReleaseRecord, releaseJson } from '../stack/github/state.js'
import { type Stack, startStack } from '../stack/index.js'
import type { JobClaims } from '../stack/oidc.js'
import { releaseJobClaims } from '../support/claims.js'
import { releaseEvent, seedRelease } from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { oneCleanFailure, requestMarks, requestsSince } from '../support/scenario.js'
import { commitAndTag, workspaceWith } from '../support/workspace.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

/** Everything a consumer could see of a release: its JSON, and each asset's id, name and bytes. */
function snapshot(release: ReleaseRecord): string {
  return JSON.stringify({
    release: releaseJson(stack.github.urls, release),
    assets: release.assets.map((a) => [
      a.id,
      a.name,
      a.content.kind === 'bytes' ? a.content.data.toString('base64') : '',
    ]),
  })
}

/** Rehearsal copies still on the stack's GitHub. */
function copiesLeft(): string[] {
  return stack.github.state.releases
    .filter((r) => r.tagName.startsWith(REHEARSAL_TAG_PREFIX))
    .map((r) => r.tagName)
}

/** Requests that named the real release, other than reads. */
function writesTo(release: ReleaseRecord, marks: Record<string, number>) {
  const ids = new Set([String(release.id), ...release.assets.map((a) => String(a.id))])
  return [...requestsSince(stack, marks, 'api'), ...requestsSince(stack, marks, 'uploads')].filter(
    (r) => r.method !== 'GET' && [...ids].some((id) => new RegExp(`/${id}(/|$|\\?)`).test(r.path)),
  )
}

/** A rehearsal of `release` by a run of `claims`, on a release event unless another is given. */
function rehearse(
  claims: JobClaims,
  release: ReleaseRecord,
  inputs: Record<string, string> = {},
  options: { event?: unknown; workspace?: string } = {},
) {
  return runAction({
    sigstore: 'stack',
    stack,
    claims,
    event: options.event ?? releaseEvent(release),
    workspace: options.workspace,
    inputs: { rehearse: 'true', ...inputs },
  })
}

function results(outputs: Record<string, string>): Record<string, string> {
  const list = JSON.parse(outputs.results ?? '[]') as { name: string; status: string }[]
  return Object.fromEntries(list.map((r) => [r.name, r.status]))
}

describe('rehearse', () => {
  it('rehearses a published release: the same decisions as a real run, and the release untouched', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/rehearse' })
    const release = await seedRelease(stack, {
      claims,
      assets: { 'kept.tar.gz': 'kept', 'stale.tar.gz': 'stale' },
    })
    const event = releaseEvent(release)
    // kept.tar.gz has a bundle that verifies; stale.tar.gz's no longer matches; new.zip has none.
    const first = await runAction({ sigstore: 'stack', stack, claims, event })
    expect(first.exitCode, first.log).toBe(0)
    const stale = release.assets.find((a) => a.name === 'stale.tar.gz')
    if (stale?.content.kind !== 'bytes') throw new Error('no stale.tar.gz')
    stale.content = { kind: 'bytes', data: Buffer.from('stale, rebuilt') }
    stale.size = stale.content.data.length
    stale.digest = null
    await stack.github.state.addAsset(release, 'new.zip', { kind: 'bytes', data: Buffer.from('n') })
    const before = snapshot(release)
    const marks = requestMarks(stack)
    const attestations = stack.github.state.attestations.length

    const run = await rehearse(claims, release)
    expect(run.exitCode, run.log).toBe(0)
    expect(run.outputs.rehearsal).toBe('passed')
    expect(results(run.outputs)).toEqual({
      'kept.tar.gz': 'unchanged',
      'new.zip': 'signed',
      'stale.tar.gz': 'replaced',
      // The provenance the first run wrote no longer covers these files.
      'rehearse-v1.0.0.intoto.jsonl': 'replaced',
    })
    const lines = run.log.trimEnd().split('\n')
    expect(lines.at(-1)).toBe(
      'Rehearsal passed: a real run would sign 2 file(s), replace 1 bundle(s), keep 1, attach 2 bundle(s), write rehearse-v1.0.0.intoto.jsonl, and not publish the release.',
    )
    // A stored attestation cannot be taken back: a rehearsal stores none.
    expect(run.log).toContain('A rehearsal stores no attestation with GitHub; a real run would.')
    expect(stack.github.state.attestations.length).toBe(attestations)
    expect(run.log).toContain(
      "The rehearsal's 2 signature(s) are real entries in the transparency log",
    )
    expect(run.summary).toContain(
      '<h2>✅ Rehearsal of v1.0.0 passed: a real run would sign 2 files</h2>',
    )
    // The copy was made, checked and deleted; the release is as it was, and was never written to.
    expect(run.log).toMatch(/Created the scratch draft sign-release-rehearsal-\d+-1 /)
    expect(run.log).toContain('ok: new.zip')
    expect(snapshot(release)).toBe(before)
    expect(writesTo(release, marks)).toEqual([])
    expect(copiesLeft()).toEqual([])
  })

  it('rehearses a draft with publish: true: says it would publish, and publishes nothing', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/rehearse-draft' })
    const release = await seedRelease(stack, { claims, draft: true, assets: { 'app.bin': 'app' } })
    const before = snapshot(release)
    const marks = requestMarks(stack)
    const run = await rehearse(
      claims,
      release,
      { publish: 'true' },
      { event: releaseEvent(release, 'created') },
    )
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain('Every asset has its bundle: a real run would publish v1.0.0.')
    expect(run.log.trimEnd().split('\n').at(-1)).toMatch(/, and publish the release\.$/)
    expect(release.draft).toBe(true)
    expect(snapshot(release)).toBe(before)
    expect(writesTo(release, marks)).toEqual([])
    // No release was published: the only release writes are the copy's creation and deletion.
    const releaseWrites = requestsSince(stack, marks, 'api').filter(
      (r) => r.method !== 'GET' && /\/releases(\/\d+)?$/.test(r.path),
    )
    expect(releaseWrites.map((r) => r.method)).toEqual(['POST', 'DELETE'])
    expect(copiesLeft()).toEqual([])
  })

  it.each([
    ['an asset that cannot be downloaded', 'storage', 'GET', /broken\.bin/],
    ['a transparency log that stays down', 'rekor', 'POST', /entries/],
  ] as const)('fails on %s, and still deletes its copy', async (_, server, method, path) => {
    const claims = releaseJobClaims({ repository: `octo-org/rehearse-fails-${server}` })
    const release = await seedRelease(stack, {
      claims,
      assets: { 'broken.bin': 'b', 'ok.bin': 'o' },
    })
    const before = snapshot(release)
    stack.servers[server].fail({
      method,
      path,
      fault: { kind: 'status', status: 502 },
      times: 1000,
    })
    const run = await rehearse(claims, release)
    stack.servers[server].clearFaults()
    expect(run.exitCode).toBe(1)
    expect(run.outputs.rehearsal).toBe('failed')
    const error = oneCleanFailure(run.log)
    expect(error).toMatch(/^::error::Rehearsal failed; the release was not changed\. .*502/)
    expect(run.log.trimEnd().split('\n').at(-1)).toBe(error)
    expect(run.summary).toContain('<h2>❌ Rehearsal of v1.0.0 failed</h2>')
    expect(run.log).toMatch(/Deleted the scratch draft \(id \d+\)\./)
    expect(snapshot(release)).toBe(before)
    expect(copiesLeft()).toEqual([])
  })

  it('deletes a copy a cancelled job left over an hour ago, and leaves a younger one alone', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/rehearse-leftovers' })
    const release = await seedRelease(stack, { claims, assets: { 'a.bin': 'a' } })
    const [owner, repo] = claims.repository.split('/') as [string, string]
    const copy = (tag: string, minutesAgo: number) => {
      const draft = stack.github.state.createRelease(owner, repo, { tag_name: tag, draft: true })
      draft.createdAt = new Date(Date.now() - minutesAgo * 60_000).toISOString()
      return draft
    }
    const old = copy(`${REHEARSAL_TAG_PREFIX}11-1`, 90)
    const young = copy(`${REHEARSAL_TAG_PREFIX}12-1`, 10)
    const run = await rehearse(claims, release)
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(
      `Deleted ${old.tagName}, a rehearsal copy a cancelled job left (id ${old.id}).`,
    )
    expect(copiesLeft()).toEqual([young.tagName])
    stack.github.state.deleteRelease(young)
  })

  it("rehearses files, a checksums manifest and the tag's git archive, named after the real tag", async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/proj' })
    const release = await seedRelease(stack, {
      claims,
      tag: 'v2.0.0',
      assets: { 'app.bin': 'app' },
    })
    const workspace = workspaceWith({ 'README.md': '# proj\n', 'dist/tool.tar.gz': 'built' })
    commitAndTag(workspace, 'v2.0.0')
    const before = snapshot(release)
    const marks = requestMarks(stack)
    const run = await rehearse(
      claims,
      release,
      {
        files: 'dist/tool.tar.gz',
        assets: '*',
        'source-archive': 'git',
        checksums: 'SHA256SUMS',
      },
      { workspace },
    )
    expect(run.exitCode, run.log).toBe(0)
    expect(results(run.outputs)).toEqual({
      'app.bin': 'signed',
      'proj-v2.0.0.tar.gz': 'signed',
      SHA256SUMS: 'signed',
      'tool.tar.gz': 'signed',
      'proj-v2.0.0.intoto.jsonl': 'signed',
    })
    // Everything went to the copy, under the names a real run would give it.
    const uploaded = requestsSince(stack, marks, 'uploads').map(
      (r) => new URL(r.path, 'http://uploads').searchParams.get('name') ?? '',
    )
    expect(uploaded.filter((n) => !n.endsWith('.sigstore.json')).sort()).toEqual([
      'SHA256SUMS',
      'app.bin', // the copy of the release's own asset
      'proj-v2.0.0.intoto.jsonl',
      'proj-v2.0.0.tar.gz',
      'tool.tar.gz',
    ])
    expect(snapshot(release)).toBe(before)
    expect(writesTo(release, marks)).toEqual([])
    expect(copiesLeft()).toEqual([])
  })

  it('a token that cannot create a draft: one error naming contents: write, and nothing left', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/rehearse-read-only' })
    const release = await seedRelease(stack, { claims, assets: { 'a.bin': 'a' } })
    const before = snapshot(release)
    const run = await rehearse(claims, release, { 'github-token': stack.github.readOnlyToken })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.rehearsal).toBe('failed')
    const error = oneCleanFailure(run.log)
    expect(error).toContain('GitHub refused to create the draft release sign-release-rehearsal-')
    expect(error).toContain("'permissions: contents: write'")
    expect(snapshot(release)).toBe(before)
    expect(copiesLeft()).toEqual([])
  })

  it('is refused with dry-run, naming the input, before any token', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/rehearse-dry' })
    const release = await seedRelease(stack, { claims, assets: { 'a.bin': 'a' } })
    const marks = requestMarks(stack)
    const run = await rehearse(claims, release, { 'dry-run': 'true' })
    expect(run.exitCode).toBe(1)
    expect(oneCleanFailure(run.log)).toContain(
      "::error::Input 'rehearse': cannot be true together with dry-run: true.",
    )
    expect(requestsSince(stack, marks, 'oidc')).toEqual([])
    expect(requestsSince(stack, marks, 'api')).toEqual([])
  })
})
