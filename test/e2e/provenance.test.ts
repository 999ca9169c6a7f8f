// The SLSA provenance (`provenance`, `attestations`): one `<repo>-<tag>.intoto.jsonl`
// per release, over every file this run's identity signed or kept, made from
// the run's one certificate, checked here by @sigstore/verify independently
// of the action's own verifier, with every subject compared with the bytes
// on the release.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { bundleFromJSON } from '@sigstore/bundle'
import { toSignedEntity } from '@sigstore/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReleaseRecord } from '../stack/github/state.js'
import { type Stack, startStack } from '../stack/index.js'
import type { JobClaims } from '../stack/oidc.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  stackVerifier,
  verifyAttachedBundles,
  verifyProvenanceFile,
  workflowPolicy,
} from '../support/fixtures.js'
import { type RunOptions, runAction } from '../support/runner.js'
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

const ASSETS = { 'tool-linux.tar.gz': 'linux build', 'tool-macos.zip': 'macos build' }

function sign(
  claims: JobClaims,
  release: ReleaseRecord,
  inputs: Record<string, string> = {},
  more: Partial<RunOptions> = {},
) {
  return runAction({
    sigstore: 'stack',
    stack,
    claims,
    event: releaseEvent(release, release.draft ? 'created' : 'published'),
    inputs,
    ...more,
  })
}

function statuses(outputs: Record<string, string>): Record<string, string> {
  const list = JSON.parse(outputs.results ?? '[]') as { name: string; status: string }[]
  return Object.fromEntries(list.map((r) => [r.name, r.status]))
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The claims of the last ID token the stand-in issuer minted (the run's one token). */
function lastTokenClaims(): Record<string, string> {
  const token = stack.oidc.minted.at(-1) ?? ''
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

/** The claims of another workflow of the same repository: another identity. */
function otherWorkflow(repository: string): JobClaims {
  return releaseJobClaims({
    repository,
    job_workflow_ref: `${repository}/.github/workflows/other.yml@refs/heads/main`,
  })
}

function provenanceIds(release: ReleaseRecord): number[] {
  return release.assets.filter((a) => a.name.endsWith('.intoto.jsonl')).map((a) => a.id)
}

describe('provenance', () => {
  it("writes one SLSA provenance from the run's token claims and certificate, stores it with GitHub, and costs one log entry", async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const before = stack.counts()
    const marks = requestMarks(stack)
    const run = await sign(claims, release)
    expect(run.exitCode, run.log).toBe(0)

    const identity = identityOf(stack, claims)
    const { name, statement, bundle } = verifyProvenanceFile(stack, release, identity)
    expect(name).toBe('prov-v1.0.0.intoto.jsonl')
    expect(statement._type).toBe('https://in-toto.io/Statement/v1')
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1')
    expect(statement.subject).toEqual(
      Object.keys(ASSETS)
        .sort()
        .map((n) => ({ name: n, digest: { sha256: sha256(contentOf(release, n)) } })),
    )
    // Every value from the token the certificate was issued for.
    const token = lastTokenClaims()
    const server = stack.github.serverUrl
    expect(statement.predicate).toEqual({
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/tags/v1.0.0',
            repository: `${server}/octo-org/prov`,
            path: '.github/workflows/release.yml',
          },
        },
        internalParameters: {
          github: {
            event_name: 'release',
            repository_id: token.repository_id,
            repository_owner_id: token.repository_owner_id,
            runner_environment: 'github-hosted',
          },
        },
        resolvedDependencies: [
          {
            uri: `git+${server}/octo-org/prov@refs/tags/v1.0.0`,
            digest: { gitCommit: claims.sha },
          },
        ],
      },
      runDetails: {
        builder: { id: identity },
        metadata: {
          invocationId: `${server}/octo-org/prov/actions/runs/${token.run_id}/attempts/1`,
        },
      },
    })
    expect(token.repository_id).toMatch(/^\d+$/)
    // The envelope and its log entry: a dsse entry, timestamped, in a v0.3 bundle.
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json')
    expect(bundle.verificationMaterial.tlogEntries[0]?.kindVersion.kind).toBe('dsse')
    expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1)

    // One token and one certificate for everything; one more log entry than assets.
    const after = stack.counts()
    expect(after.tokens - before.tokens).toBe(1)
    expect(after.certificates - before.certificates).toBe(1)
    expect(after.entries - before.entries).toBe(Object.keys(ASSETS).length + 1)

    // Stored with GitHub, the same bundle as the file.
    const posts = requestsSince(stack, marks, 'api').filter((r) => r.path.endsWith('/attestations'))
    expect(posts).toHaveLength(1)
    const stored = stack.github.state.attestations.at(-1)
    expect(stored?.repo).toBe('prov')
    expect(stored?.bundle).toEqual(JSON.parse(contentOf(release, name).toString('utf8')))
    expect(statuses(run.outputs)[name]).toBe('signed')
    expect(run.log).toContain('signed    prov-v1.0.0.intoto.jsonl (SLSA provenance)')
    const entry = JSON.parse(run.outputs.results ?? '[]').at(-1)
    expect(entry).toMatchObject({
      source: 'provenance',
      bundle: name,
      sha256: sha256(contentOf(release, name)),
    })
    // The step summary gives the commands that check it.
    expect(run.summary).toContain(
      `gh attestation verify 'tool-linux.tar.gz' --repo 'octo-org/prov' \\\n  --bundle '${name}'`,
    )
    expect(run.summary).toContain(
      `cosign verify-blob-attestation 'tool-linux.tar.gz' --bundle '${name}' \\\n  --type slsaprovenance1`,
    )
  })

  it('provenance: false writes none, stores nothing, and costs nothing', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-off' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const before = stack.counts()
    const marks = requestMarks(stack)
    const run = await sign(claims, release, { provenance: 'false', attestations: 'auto' })
    expect(run.exitCode, run.log).toBe(0)
    expect(assetNames(stack, release.id).some((n) => n.endsWith('.intoto.jsonl'))).toBe(false)
    expect(stack.counts().entries - before.entries).toBe(2)
    expect(requestsSince(stack, marks, 'api').filter((r) => r.method === 'POST')).toHaveLength(0)
    expect(Object.keys(statuses(run.outputs))).toEqual(Object.keys(ASSETS))
  })

  it('attestations: auto without attestations: write says so once and goes on; true fails and attaches no provenance; false never asks', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-attest' })
    stack.github.state.attestationsWritable = false
    try {
      const auto = await seedRelease(stack, { claims, tag: 'v1.0.0', assets: ASSETS })
      const run = await sign(claims, auto)
      expect(run.exitCode, run.log).toBe(0)
      const notices = run.log.split('\n').filter((l) => l.startsWith('::notice::'))
      expect(notices).toHaveLength(1)
      expect(notices[0]).toContain("'permissions: attestations: write'")
      expect(notices[0]).toContain('HTTP 403')
      verifyProvenanceFile(stack, auto, identityOf(stack, claims))

      const strict = await seedRelease(stack, { claims, tag: 'v1.1.0', assets: ASSETS })
      const failed = await sign(claims, strict, { tag: 'v1.1.0', attestations: 'true' })
      expect(failed.exitCode).toBe(1)
      const error = oneCleanFailure(failed.log)
      expect(error).toContain(
        "Input 'attestations' is true, and GitHub refused to store the attestation",
      )
      expect(error).toContain("'attestations: write'")
      // The files' bundles are in place; no provenance was attached, so a re-run makes and stores it.
      expect(await verifyAttachedBundles(stack, strict, identityOf(stack, claims))).toEqual(
        Object.keys(ASSETS).sort(),
      )
      expect(provenanceIds(strict)).toEqual([])
      expect(statuses(failed.outputs)['prov-attest-v1.1.0.intoto.jsonl']).toBe('failed')

      stack.github.state.attestationsWritable = true
      const stored = stack.github.state.attestations.length
      const retried = await sign(claims, strict, { tag: 'v1.1.0', attestations: 'true' })
      expect(retried.exitCode, retried.log).toBe(0)
      expect(stack.github.state.attestations.length).toBe(stored + 1)
      verifyProvenanceFile(stack, strict, identityOf(stack, claims))

      const never = await seedRelease(stack, { claims, tag: 'v1.2.0', assets: ASSETS })
      const marks = requestMarks(stack)
      const off = await sign(claims, never, { tag: 'v1.2.0', attestations: 'false' })
      expect(off.exitCode, off.log).toBe(0)
      expect(
        requestsSince(stack, marks, 'api').filter((r) => r.path.endsWith('/attestations')),
      ).toEqual([])
      verifyProvenanceFile(stack, never, identityOf(stack, claims))
    } finally {
      stack.github.state.attestationsWritable = true
    }
  })

  it('retries storing the attestation after a 502, and under auto warns when GitHub keeps failing', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-flaky' })
    const flaky = await seedRelease(stack, { claims, tag: 'v1.0.0', assets: ASSETS })
    stack.servers.api.fail({
      method: 'POST',
      path: /\/attestations$/,
      fault: { kind: 'status', status: 502 },
    })
    const stored = stack.github.state.attestations.length
    const run = await sign(claims, flaky)
    expect(run.exitCode, run.log).toBe(0)
    expect(stack.github.state.attestations.length).toBe(stored + 1)
    expect(stack.servers.api.unspentFaults).toBe(0)

    const down = await seedRelease(stack, { claims, tag: 'v1.1.0', assets: ASSETS })
    stack.servers.api.fail({
      method: 'POST',
      path: /\/attestations$/,
      fault: { kind: 'status', status: 503 },
      times: 100,
    })
    try {
      const run2 = await sign(claims, down, { tag: 'v1.1.0' })
      expect(run2.exitCode, run2.log).toBe(0)
      expect(run2.log).toMatch(
        /::warning::Could not store the provenance with GitHub's attestations API: GitHub API: could not store the attestation: HTTP 503/,
      )
      verifyProvenanceFile(stack, down, identityOf(stack, claims))
    } finally {
      stack.servers.api.clearFaults()
    }
  })

  it('a re-run keeps a provenance that still covers the same files; a new asset replaces it, without a gap', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-rerun' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    expect((await sign(claims, release)).exitCode).toBe(0)
    const [first] = provenanceIds(release)

    const entries = stack.counts().entries
    const marks = requestMarks(stack)
    const again = await sign(claims, release)
    expect(again.exitCode, again.log).toBe(0)
    expect(statuses(again.outputs)['prov-rerun-v1.0.0.intoto.jsonl']).toBe('unchanged')
    expect(stack.counts().entries).toBe(entries)
    expect(requestsSince(stack, marks, 'uploads')).toEqual([])
    expect(requestsSince(stack, marks, 'api').filter((r) => r.method !== 'GET')).toEqual([])
    expect(provenanceIds(release)).toEqual([first])

    await stack.github.state.addAsset(release, 'tool-windows.zip', {
      kind: 'bytes',
      data: Buffer.from('windows build'),
    })
    const third = await sign(claims, release)
    expect(third.exitCode, third.log).toBe(0)
    expect(statuses(third.outputs)['prov-rerun-v1.0.0.intoto.jsonl']).toBe('replaced')
    // The new asset's entry and the new provenance's.
    expect(stack.counts().entries - entries).toBe(2)
    const ids = provenanceIds(release)
    expect(ids).toHaveLength(1)
    expect(ids[0]).not.toBe(first)
    const { statement } = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(statement.subject.map((s) => s.name)).toEqual([
      'tool-linux.tar.gz',
      'tool-macos.zip',
      'tool-windows.zip',
    ])
    // Replaced through a temporary name: nothing of the kind is left.
    expect(assetNames(stack, release.id).filter((n) => n.includes('sign-release-tmp'))).toEqual([])
  })

  it('a run narrowed with assets keeps covering what an earlier run of the workflow signed', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-narrow' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    expect((await sign(claims, release)).exitCode).toBe(0)
    const [first] = provenanceIds(release)
    // Only the Linux build selected: the provenance still covers both, so it is kept.
    const narrow = await sign(claims, release, { assets: 'tool-linux*' })
    expect(narrow.exitCode, narrow.log).toBe(0)
    expect(statuses(narrow.outputs)['prov-narrow-v1.0.0.intoto.jsonl']).toBe('unchanged')
    expect(provenanceIds(release)).toEqual([first])
    // A new asset signed alone: the new provenance covers it and the two signed before.
    await stack.github.state.addAsset(release, 'tool-windows.zip', {
      kind: 'bytes',
      data: Buffer.from('windows build'),
    })
    const other = otherWorkflow('octo-org/prov-narrow')
    const foreign = await sign(other, release, { assets: 'tool-windows.zip', provenance: 'false' })
    expect(foreign.exitCode, foreign.log).toBe(0)
    await stack.github.state.addAsset(release, 'tool-arm.zip', {
      kind: 'bytes',
      data: Buffer.from('arm'),
    })
    const added = await sign(claims, release, { assets: 'tool-arm.zip' })
    expect(added.exitCode, added.log).toBe(0)
    expect(added.log).toContain(
      'The provenance also covers 2 asset(s) an earlier run of this workflow signed.',
    )
    const { statement } = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    // Not the asset another workflow signed.
    expect(statement.subject.map((s) => s.name)).toEqual([
      'tool-arm.zip',
      'tool-linux.tar.gz',
      'tool-macos.zip',
    ])
  })

  it("covers the workflow's files, the tag's source archive and the checksums manifest", async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/proj' })
    const release = await seedRelease(stack, {
      claims,
      tag: 'v2.0.0',
      assets: { 'notes.pdf': 'notes' },
    })
    const workspace = workspaceWith({ 'README.md': '# proj\n', 'dist/proj.whl': 'wheel' })
    commitAndTag(workspace, 'v2.0.0')
    const run = await sign(
      claims,
      release,
      {
        tag: 'v2.0.0',
        assets: '*',
        files: 'dist/proj.whl',
        'source-archive': 'git',
        checksums: 'SHA256SUMS',
      },
      { workspace },
    )
    expect(run.exitCode, run.log).toBe(0)
    const { name, statement } = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(name).toBe('proj-v2.0.0.intoto.jsonl')
    expect(statement.subject.map((s) => s.name)).toEqual([
      'SHA256SUMS',
      'notes.pdf',
      'proj-v2.0.0.tar.gz',
      'proj.whl',
    ])
    // Bundles and the provenance itself are never subjects.
    expect(statement.subject.some((s) => /\.sigstore\.json$|\.intoto\.jsonl$/.test(s.name))).toBe(
      false,
    )
  })

  it('leaves out a file whose kept bundle another identity signed', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-foreign' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const other = otherWorkflow('octo-org/prov-foreign')
    const theirs = await sign(other, release, { assets: 'tool-macos.zip', provenance: 'false' })
    expect(theirs.exitCode, theirs.log).toBe(0)

    const run = await sign(claims, release)
    expect(run.exitCode, run.log).toBe(0)
    expect(statuses(run.outputs)).toMatchObject({
      'tool-macos.zip': 'foreign',
      'tool-linux.tar.gz': 'signed',
    })
    const { statement } = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(statement.subject.map((s) => s.name)).toEqual(['tool-linux.tar.gz'])
  })

  it("leaves another identity's provenance in place and writes none, unless overwrite", async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-theirs' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const other = otherWorkflow('octo-org/prov-theirs')
    expect((await sign(other, release, { assets: 'tool-macos.zip' })).exitCode).toBe(0)
    const [theirs] = provenanceIds(release)
    const run = await sign(claims, release)
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toMatch(
      /::warning::prov-theirs-v1\.0\.0\.intoto\.jsonl verifies but was signed by .*other\.yml.*, not by this workflow; it was kept/,
    )
    expect(statuses(run.outputs)['prov-theirs-v1.0.0.intoto.jsonl']).toBe('foreign')
    expect(provenanceIds(release)).toEqual([theirs])
    verifyProvenanceFile(stack, release, identityOf(stack, other))
  })

  it('a dry run writes the provenance to bundles-dir and the artifact, and attaches and stores nothing', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-dry' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const marks = requestMarks(stack)
    const artifacts = stack.results.artifacts.length
    const run = await sign(claims, release, { 'dry-run': 'true' }, { artifactService: true })
    expect(run.exitCode, run.log).toBe(0)
    expect(requestsSince(stack, marks, 'uploads')).toEqual([])
    expect(requestsSince(stack, marks, 'api').filter((r) => r.method !== 'GET')).toEqual([])
    expect(assetNames(stack, release.id)).toEqual(Object.keys(ASSETS).sort())
    const dir = run.outputs['bundles-dir'] ?? ''
    const file = readFileSync(path.join(dir, 'prov-dry-v1.0.0.intoto.jsonl'), 'utf8')
    expect(file.endsWith('}\n')).toBe(true)
    const bundle = bundleFromJSON(JSON.parse(file))
    stackVerifier(stack).verify(toSignedEntity(bundle), workflowPolicy(identityOf(stack, claims)))
    expect(readdirSync(dir)).toContain('prov-dry-v1.0.0.intoto.jsonl')
    expect(stack.results.artifacts.length).toBe(artifacts + 1)
    expect(stack.results.artifacts.at(-1)?.data.includes('prov-dry-v1.0.0.intoto.jsonl')).toBe(true)
  })

  it('draft, then publish: an immutable release is published with its provenance', async () => {
    const claims = releaseJobClaims({
      repository: 'octo-org/prov-immutable',
      event_name: 'workflow_dispatch',
      ref: 'refs/heads/main',
    })
    const release = await seedRelease(stack, {
      claims,
      draft: true,
      immutableRepo: true,
      assets: ASSETS,
    })
    const stored = stack.github.state.attestations.length
    const marks = requestMarks(stack)
    const run = await sign(claims, release, { tag: 'v1.0.0', publish: 'true' })
    expect(run.exitCode, run.log).toBe(0)
    expect(release.draft).toBe(false)
    expect(release.immutable).toBe(true)
    verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(stack.github.state.attestations.length).toBe(stored + 1)
    // Stored and attached before the release was published.
    const api = requestsSince(stack, marks, 'api')
    const publishAt = api.findIndex((r) => r.method === 'PATCH' && /\/releases\/\d+$/.test(r.path))
    const storeAt = api.findIndex((r) => r.path.endsWith('/attestations'))
    expect(storeAt).toBeGreaterThanOrEqual(0)
    expect(storeAt).toBeLessThan(publishAt)
    const upload = requestsSince(stack, marks, 'uploads').find((r) =>
      r.path.includes('.intoto.jsonl'),
    )
    expect(upload?.at).toBeLessThanOrEqual(api[publishAt]?.at ?? 0)
  })

  it('a draft whose provenance could not be written is not published', async () => {
    const claims = releaseJobClaims({
      repository: 'octo-org/prov-unpublished',
      event_name: 'workflow_dispatch',
      ref: 'refs/heads/main',
    })
    const release = await seedRelease(stack, { claims, draft: true, assets: ASSETS })
    stack.github.state.attestationsWritable = false
    try {
      const run = await sign(claims, release, {
        tag: 'v1.0.0',
        publish: 'true',
        attestations: 'true',
      })
      expect(run.exitCode).toBe(1)
      expect(oneCleanFailure(run.log)).toContain('was not written')
      expect(release.draft).toBe(true)
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual(
        Object.keys(ASSETS).sort(),
      )
    } finally {
      stack.github.state.attestationsWritable = true
    }
    // Given the permission, the re-run writes it and publishes.
    const again = await sign(claims, release, {
      tag: 'v1.0.0',
      publish: 'true',
      attestations: 'true',
    })
    expect(again.exitCode, again.log).toBe(0)
    expect(release.draft).toBe(false)
    verifyProvenanceFile(stack, release, identityOf(stack, claims))
  })

  it('names the file after a tag with a slash as a source archive is named', async () => {
    const claims = releaseJobClaims({
      repository: 'octo-org/prov-slash',
      ref: 'refs/tags/release/2.0',
    })
    const release = await seedRelease(stack, { claims, tag: 'release/2.0', assets: ASSETS })
    const run = await sign(claims, release)
    expect(run.exitCode, run.log).toBe(0)
    expect(verifyProvenanceFile(stack, release, identityOf(stack, claims)).name).toBe(
      'prov-slash-release-2.0.intoto.jsonl',
    )
  })

  it('a run that signs nothing of its own identity writes no provenance, and leaves an existing one alone', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-nothing' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const other = otherWorkflow('octo-org/prov-nothing')
    expect((await sign(other, release)).exitCode).toBe(0)
    const ids = provenanceIds(release)
    const entries = stack.counts().entries
    const run = await sign(claims, release)
    expect(run.exitCode, run.log).toBe(0)
    expect(run.log).toContain(
      "No provenance: no file ends this run with a bundle from this run's identity.",
    )
    expect(stack.counts().entries).toBe(entries)
    expect(provenanceIds(release)).toEqual(ids)
  })

  it('refuses its inputs, and a token without the claims it needs, before any log entry', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/prov-refuse' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const entries = stack.counts().entries
    const both = await sign(claims, release, { provenance: 'false', attestations: 'true' })
    expect(oneCleanFailure(both.log)).toContain(
      "Input 'attestations': is true, but provenance is false",
    )
    const mode = await sign(claims, release, { attestations: 'yes' })
    expect(oneCleanFailure(mode.log)).toContain("Input 'attestations': must be auto")
    const bare = await sign({ ...claims, repository_id: '', run_id: '' }, release)
    expect(oneCleanFailure(bare.log)).toContain(
      "Input 'provenance': the OIDC token has no repository_id, run_id claim(s)",
    )
    expect(stack.counts().entries).toBe(entries)
    expect(assetNames(stack, release.id)).toEqual(Object.keys(ASSETS).sort())
  })
})
