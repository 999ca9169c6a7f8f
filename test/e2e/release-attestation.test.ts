// GitHub's own release attestation beside our bundles. The stand-in GitHub
// attests an immutable release when it is published, with an instance of its
// own (its CA and TSA, a leaf for https://dotcom.releases.github.com with no
// issuer, no log entry), and serves it by the tag's git object. One
// verify-release checks our bundles, the provenance and GitHub's attestation,
// and names what differs.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReleaseRecord } from '../stack/github/state.js'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { runCli, verifyReleaseArgs } from '../support/cli.js'
import { identityOf, releaseEvent, seedRelease } from '../support/fixtures.js'
import { runAction, runVerifyAction } from '../support/runner.js'
import { setContent } from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

const ASSETS = { 'app.tar.gz': 'the app for Linux', 'app.zip': 'the app for Windows' }

/** A draft in a repository with immutable releases, signed and published by the action. */
async function published(repository: string, opts: { annotated?: boolean } = {}) {
  const claims = releaseJobClaims({ repository })
  const release = await seedRelease(stack, {
    claims,
    assets: ASSETS,
    draft: true,
    immutableRepo: true,
  })
  if (opts.annotated) stack.github.state.annotate(release.owner, release.repo, release.tagName)
  const run = await runAction({
    sigstore: 'stack',
    stack,
    claims,
    event: releaseEvent(release),
    inputs: { publish: 'true', 'github-trusted-root': stack.githubTrustedRootPath },
  })
  if (run.exitCode !== 0) throw new Error(`signing failed:\n${run.log}`)
  expect(release.immutable).toBe(true)
  return { release, identity: identityOf(stack, claims), run }
}

type Report = {
  release: { immutable: boolean; githubAttestation: string; covers?: number; differs?: string[] }
  assets: { name: string; status: string; github?: string }[]
}

async function verify(release: ReleaseRecord, identity: string, extra: string[] = []) {
  const result = await runCli(stack, [
    ...verifyReleaseArgs(stack, release, identity),
    '--github-trusted-root',
    stack.githubTrustedRootPath,
    ...extra,
  ])
  return { ...result, report: JSON.parse(result.stdout || '{}') as Report }
}

describe('verify-release checks GitHub’s release attestation of an immutable release', () => {
  it('passes: every asset, bundle and the provenance is a subject, with its SHA-256', async () => {
    const { release, identity, run } = await published('octo-org/ra-pass')
    // The signing run checked it too, once it had published the release.
    const results = JSON.parse(run.outputs.results ?? '[]') as Record<string, unknown>[]
    expect(results.find((r) => r.source === 'github')).toMatchObject({
      name: "v1.0.0 (GitHub's release attestation)",
      status: 'verified',
      covers: 5,
    })
    expect(run.summary).toContain("gh release verify 'v1.0.0' --repo 'octo-org/ra-pass'")
    expect(run.summary).toContain('gh release verify-asset')
    const { code, report, stderr } = await verify(release, identity, ['--require-immutable'])
    expect(code, stderr).toBe(0)
    expect(report.release).toEqual({
      immutable: true,
      githubAttestation: 'ok',
      covers: 5,
      differs: [],
    })
    expect(report.assets.map((a) => [a.name, a.status, a.github])).toEqual([
      ['app.tar.gz', 'ok', 'ok'],
      ['app.zip', 'ok', 'ok'],
    ])
    const text = await runCli(stack, [
      'verify-release',
      '--repo',
      'octo-org/ra-pass',
      '--tag',
      release.tagName,
      '--certificate-identity',
      identity,
      '--trusted-root',
      stack.trustedRootPath,
      '--github-trusted-root',
      stack.githubTrustedRootPath,
    ])
    expect(text.stdout.trim().split('\n').at(-1)).toBe(
      "ok: GitHub's release attestation covers the release (5 assets, immutable)",
    )
  })

  it('names an asset replaced after publishing, and one added', async () => {
    const { release, identity } = await published('octo-org/ra-changed')
    setContent(release, 'app.zip', 'not what was published')
    await stack.github.state.addAsset(release, 'late.txt', {
      kind: 'bytes',
      data: Buffer.from('late'),
    })
    const { code, report } = await verify(release, identity)
    expect(code).toBe(1)
    expect(report.release.differs).toEqual([
      'app.zip changed since the release was published',
      'late.txt was added since the release was published',
    ])
    expect(report.assets.find((a) => a.name === 'late.txt')?.github).toBe('not covered')
  })

  it('refuses a statement for another tag or repository, a leaf with another SAN, and a public-good bundle', async () => {
    const cases: [string, (stack: Stack) => void, RegExp][] = [
      [
        'octo-org/ra-tag',
        (s) => {
          s.github.releaseAttestor.tamper = (st) => {
            ;(st.predicate as Record<string, unknown>).tag = 'v0.9.9'
          }
        },
        /it is for the tag v0\.9\.9, not v1\.0\.0/,
      ],
      [
        'octo-org/ra-repo',
        (s) => {
          s.github.releaseAttestor.tamper = (st) => {
            ;(st.predicate as Record<string, unknown>).repository = 'octo-org/other'
          }
        },
        /it is for octo-org\/other, not octo-org\/ra-repo/,
      ],
      [
        'octo-org/ra-san',
        (s) => {
          s.github.releaseAttestor.san = 'https://dotcom.releases.github.com.example'
        },
        /wrong identity/,
      ],
    ]
    for (const [repository, arrange, expected] of cases) {
      arrange(stack)
      try {
        const { release, identity, run } = await published(repository)
        // The signing run only warns: the release is published already.
        const results = JSON.parse(run.outputs.results ?? '[]') as Record<string, unknown>[]
        expect(results.find((r) => r.source === 'github')?.status, repository).toBe('incomplete')
        expect(run.log).toMatch(/::warning::v1\.0\.0 is published and immutable, but /)
        const { code, report } = await verify(release, identity)
        expect(code, repository).toBe(1)
        expect(report.release.githubAttestation, repository).toMatch(expected)
      } finally {
        stack.github.releaseAttestor.tamper = undefined
        stack.github.releaseAttestor.san = 'https://dotcom.releases.github.com'
      }
    }
    // Our own provenance, from public-good's stand-in, served as if it were GitHub's.
    const { release, identity } = await published('octo-org/ra-public-good')
    const ours = release.assets.find((a) => a.name.endsWith('.intoto.jsonl'))
    if (ours?.content.kind !== 'bytes') throw new Error('no provenance')
    const entry = stack.github.state.releaseAttestations.find((a) => a.repo === 'ra-public-good')
    if (!entry) throw new Error('no attestation')
    entry.bundle = JSON.parse(ours.content.data.toString('utf8'))
    const { code, report } = await verify(release, identity)
    expect(code).toBe(1)
    expect(report.release.githubAttestation).toMatch(
      /^GitHub's release attestation does not verify/,
    )
  })

  it('fails an immutable release GitHub has no attestation of', async () => {
    const { release, identity } = await published('octo-org/ra-missing')
    const kept = stack.github.state.releaseAttestations
    const index = kept.findIndex((a) => a.repo === 'ra-missing')
    kept.splice(index, 1)
    const { code, report } = await verify(release, identity)
    expect(code).toBe(1)
    expect(report.release.githubAttestation).toBe('missing')
  })

  it('reports a mutable release, and fails it only with --require-immutable', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/ra-mutable' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    const identity = identityOf(stack, claims)
    const relaxed = await verify(release, identity)
    expect(relaxed.code).toBe(0)
    expect(relaxed.report.release).toEqual({ immutable: false, githubAttestation: 'not immutable' })
    const strict = await verify(release, identity, ['--require-immutable'])
    expect(strict.code).toBe(1)
  })

  it('finds an annotated tag’s attestation by its tag object, delivered by bundle_url', async () => {
    stack.github.api.releaseAttestations.delivery = 'url'
    try {
      const { release, identity } = await published('octo-org/ra-annotated', { annotated: true })
      const tag = stack.github.state.tagObject(release.owner, release.repo, release.tagName)
      expect(tag?.tagObject).toMatch(/^[0-9a-f]{40}$/)
      const { code, report } = await verify(release, identity)
      expect(code).toBe(0)
      expect(report.release.githubAttestation).toBe('ok')
    } finally {
      stack.github.api.releaseAttestations.delivery = 'inline'
    }
  })
})

describe('the verify action', () => {
  it('checks GitHub’s release attestation, and says so in its release output', async () => {
    const { release, identity } = await published('octo-org/ra-action')
    const claims = releaseJobClaims({ repository: 'octo-org/ra-action' })
    const run = await runVerifyAction({
      stack,
      claims,
      inputs: {
        tag: release.tagName,
        'certificate-identity': identity,
        'trusted-root': stack.trustedRootPath,
        'github-trusted-root': stack.githubTrustedRootPath,
        'require-immutable': 'true',
      },
    })
    expect(run.exitCode, run.log).toBe(0)
    expect(JSON.parse(run.outputs.release ?? '{}')).toMatchObject({
      immutable: true,
      githubAttestation: 'ok',
    })
    expect(run.summary).toContain("GitHub's release attestation covers the release")
  })
})

describe("GitHub's real release attestation (cli/cli's fixture)", () => {
  // pkg/cmd/attestation/test/data/github_release_bundle.json in cli/cli (MIT
  // licence): the attestation GitHub made of bdehamer/delme v6. Its
  // signature and timestamp need GitHub's trusted root, of which no public
  // copy with its timestamp authority could be found to pin here; what is
  // checked is that the fixture is the bundle the stand-in models.
  it('has the shape the stand-in attests: a DSSE v0.3 bundle, one timestamp, no log entry, the release predicate', () => {
    const fixture = JSON.parse(
      readFileSync(
        path.join(import.meta.dirname, '../fixtures/github_release_bundle.json'),
        'utf8',
      ),
    )
    expect(fixture.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json')
    expect(fixture.verificationMaterial.tlogEntries ?? []).toEqual([])
    expect(fixture.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1)
    const statement = JSON.parse(
      Buffer.from(fixture.dsseEnvelope.payload, 'base64').toString('utf8'),
    )
    expect(statement.predicateType).toBe('https://in-toto.io/attestation/release/v0.1')
    expect(statement.subject[0]).toEqual({
      uri: 'pkg:github/bdehamer/delme@v6',
      digest: { sha1: 'c5e17a62e06a1d201570249c61fae531e9244e1b' },
    })
    expect(statement.predicate).toMatchObject({ repository: 'bdehamer/delme', tag: 'v6' })
    const leaf = Buffer.from(fixture.verificationMaterial.certificate.rawBytes, 'base64')
    expect(leaf.includes(Buffer.from('https://dotcom.releases.github.com'))).toBe(true)
  })
})
