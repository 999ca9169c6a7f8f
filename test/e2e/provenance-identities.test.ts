// A release's provenance across two identities: release.yml signs a, b and c
// (bundles and provenance); nightly.yml, run by hand, re-signs only b with
// overwrite. The release keeps release.yml's provenance; a consumer who
// trusts one identity is never failed over the other's provenance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReleaseRecord } from '../stack/github/state.js'
import { type Stack, startStack } from '../stack/index.js'
import type { JobClaims } from '../stack/oidc.js'
import { releaseJobClaims } from '../support/claims.js'
import { runCli } from '../support/cli.js'
import { identityOf, releaseEvent, seedRelease, verifyProvenanceFile } from '../support/fixtures.js'
import { runAction, runVerifyAction } from '../support/runner.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack.stop()
})

const ASSETS = { 'a.tar.gz': 'aaa', 'b.tar.gz': 'bbb', 'c.tar.gz': 'ccc' }
const ISSUER = 'https://token.actions.githubusercontent.com'

/** nightly.yml of the same repository, run by hand from main: another identity. */
function nightly(repository: string): JobClaims {
  return releaseJobClaims({
    repository,
    event_name: 'workflow_dispatch',
    ref: 'refs/heads/main',
    job_workflow_ref: `${repository}/.github/workflows/nightly.yml@refs/heads/main`,
  })
}

function provenanceOf(release: ReleaseRecord) {
  const file = release.assets.find((a) => a.name.endsWith('.intoto.jsonl'))
  if (!file) throw new Error('no provenance on the release')
  return file
}

function results(outputs: Record<string, string>) {
  return JSON.parse(outputs.results ?? '[]') as { name: string; status: string; signer?: string }[]
}

/** release.yml signs the release, then nightly.yml re-signs b.tar.gz alone, with overwrite. */
async function twoIdentities(repository: string) {
  const claims = releaseJobClaims({ repository })
  const release = await seedRelease(stack, { claims, assets: ASSETS })
  const first = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
  if (first.exitCode !== 0) throw new Error(first.log)
  const provenance = provenanceOf(release)
  const other = nightly(repository)
  const narrowed = await runAction({
    sigstore: 'stack',
    stack,
    claims: other,
    eventName: 'workflow_dispatch',
    inputs: { tag: release.tagName, assets: 'b.tar.gz', overwrite: 'true' },
  })
  return { claims, other, release, provenance, narrowed }
}

async function verdicts(release: ReleaseRecord, identity: string, extra: string[] = []) {
  const result = await runCli(stack, [
    'verify-release',
    '--repo',
    `${release.owner}/${release.repo}`,
    '--tag',
    release.tagName,
    '--certificate-identity',
    identity,
    '--trusted-root',
    stack.trustedRootPath,
    '--json',
    ...extra,
  ])
  const list = JSON.parse(result.stdout).assets as {
    name: string
    status: string
    detail?: string
    provenance: string
    provenanceSigner?: string
  }[]
  return { code: result.code, list }
}

describe('provenance across two identities', () => {
  it("a narrowed re-sign by another workflow keeps the release's provenance, and says so", async () => {
    const { claims, release, provenance, narrowed } = await twoIdentities('octo-org/two-ids')
    expect(narrowed.exitCode, narrowed.log).toBe(0)
    // The same file, untouched: still release.yml's, listing a, b and c.
    expect(provenanceOf(release)).toBe(provenance)
    const checked = verifyProvenanceFile(stack, release, identityOf(stack, claims))
    expect(checked.statement.subject.map((s: { name: string }) => s.name).sort()).toEqual(
      Object.keys(ASSETS),
    )
    expect(narrowed.log).toMatch(
      /::warning::two-ids-v1\.0\.0\.intoto\.jsonl verifies but was signed by .*release\.yml.*, not by this workflow; it was kept\. It lists a\.tar\.gz, c\.tar\.gz, which this run does not cover, so overwrite does not replace it\./,
    )
    const entry = results(narrowed.outputs).find((r) => r.name.endsWith('.intoto.jsonl'))
    expect(entry).toMatchObject({ status: 'foreign' })
    expect(entry?.signer).toContain(identityOf(stack, claims))
  })

  it("verify-release fails no good asset over the other identity's provenance, with and without --require-provenance", async () => {
    const { claims, other, release } = await twoIdentities('octo-org/two-ids-cli')
    const releaseYml = identityOf(stack, claims)
    const nightlyYml = identityOf(stack, other)

    // Trusting release.yml: only b fails (its bundle is now nightly.yml's).
    for (const extra of [[], ['--require-provenance']]) {
      const trusted = await verdicts(release, releaseYml, extra)
      expect(trusted.code).toBe(1)
      expect(trusted.list.map((v) => [v.name, v.status, v.provenance])).toEqual([
        ['a.tar.gz', 'ok', 'ok'],
        ['b.tar.gz', 'wrong identity', 'ok'],
        ['c.tar.gz', 'ok', 'ok'],
      ])
    }

    // Trusting nightly.yml, for b: release.yml's provenance is reported, not failed.
    const relaxed = await verdicts(release, nightlyYml, ['--assets', 'b.tar.gz'])
    expect(relaxed.code).toBe(0)
    expect(relaxed.list).toEqual([
      expect.objectContaining({
        name: 'b.tar.gz',
        status: 'ok',
        provenance: 'foreign',
        provenanceSigner: `${releaseYml} (issuer ${ISSUER})`,
      }),
    ])
    const strict = await verdicts(release, nightlyYml, [
      '--assets',
      'b.tar.gz',
      '--require-provenance',
    ])
    expect(strict.code).toBe(1)
    expect(strict.list[0]).toMatchObject({
      status: 'missing provenance',
      detail: `two-ids-cli-v1.0.0.intoto.jsonl was signed by ${releaseYml} (issuer ${ISSUER}), not the identity trusted`,
    })
  })

  it('the verify action reports the other identity’s provenance and passes the asset; require-provenance fails it', async () => {
    const { other, release } = await twoIdentities('octo-org/two-ids-action')
    const verify = (require: string) =>
      runVerifyAction({
        stack,
        claims: other,
        inputs: {
          tag: release.tagName,
          assets: 'b.tar.gz',
          'certificate-identity': identityOf(stack, other),
          'trusted-root': stack.trustedRootPath,
          'require-provenance': require,
        },
      })
    const relaxed = await verify('false')
    expect(relaxed.exitCode, relaxed.log).toBe(0)
    expect(results(relaxed.outputs)[0]).toMatchObject({ status: 'ok', provenance: 'foreign' })
    expect(relaxed.summary).toContain(
      "<td>another identity's: https://github.com/octo-org/two-ids-action/.github/workflows/release.yml@",
    )
    const strict = await verify('true')
    expect(strict.exitCode).toBe(1)
    expect(strict.log).toMatch(
      /missing provenance \(two-ids-action-v1\.0\.0\.intoto\.jsonl was signed by .*release\.yml/,
    )
  })

  it('the other workflow replaces the provenance only once it covers every file it listed', async () => {
    const { other, release, provenance } = await twoIdentities('octo-org/two-ids-all')
    const everything = await runAction({
      sigstore: 'stack',
      stack,
      claims: other,
      eventName: 'workflow_dispatch',
      inputs: { tag: release.tagName, overwrite: 'true' },
    })
    expect(everything.exitCode, everything.log).toBe(0)
    expect(provenanceOf(release)).not.toBe(provenance)
    verifyProvenanceFile(stack, release, identityOf(stack, other))
    const entry = results(everything.outputs).find((r) => r.name.endsWith('.intoto.jsonl'))
    expect(entry?.status).toBe('replaced')
  })

  it('the same workflow, narrowed with overwrite: replaced, and never listing fewer files', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/one-id' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const sign = (inputs: Record<string, string> = {}) =>
      runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release), inputs })
    expect((await sign()).exitCode).toBe(0)
    const before = provenanceOf(release)

    // Covers everything the old one did (a and c through their bundles): replaced, as before.
    const narrowed = await sign({ assets: 'b.tar.gz', overwrite: 'true' })
    expect(narrowed.exitCode, narrowed.log).toBe(0)
    expect(provenanceOf(release)).not.toBe(before)
    const names = () =>
      verifyProvenanceFile(stack, release, identityOf(stack, claims))
        .statement.subject.map((s: { name: string }) => s.name)
        .sort()
    expect(names()).toEqual(Object.keys(ASSETS))

    // b's bundle becomes another workflow's; a narrowed re-sign of a keeps b listed.
    const other = nightly('octo-org/one-id')
    const theirs = await runAction({
      sigstore: 'stack',
      stack,
      claims: other,
      eventName: 'workflow_dispatch',
      inputs: { tag: release.tagName, assets: 'b.tar.gz', overwrite: 'true' },
    })
    expect(theirs.exitCode, theirs.log).toBe(0)
    const again = await sign({ assets: 'a.tar.gz', overwrite: 'true' })
    expect(again.exitCode, again.log).toBe(0)
    expect(again.log).toContain(
      'The provenance keeps listing b.tar.gz, as one-id-v1.0.0.intoto.jsonl did.',
    )
    expect(names()).toEqual(Object.keys(ASSETS))
  })
})
