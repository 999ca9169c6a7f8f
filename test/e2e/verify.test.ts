// The consumer's side: the bundled CLI (dist/cli.js) and the verify action
// (verify/action.yml) over releases this action signed on the offline stack,
// and after tampering, a deleted bundle and a re-signing by another workflow.
// Every signing run here is against the stack's Sigstore services, and every
// check trusts the stack's trusted_root.json.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { bundleToJSON } from '@sigstore/bundle'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EphemeralKey } from '../../src/sigstore/sign/key.js'
import type { ReleaseRecord } from '../stack/github/state.js'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { runCli } from '../support/cli.js'
import { identityOf, managedKeyBundle, releaseEvent, seedRelease } from '../support/fixtures.js'
import { runAction, runVerifyAction } from '../support/runner.js'
import { oneCleanFailure, setContent } from '../support/scenario.js'
import { tempDir } from '../support/temp.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

/** Runs `node dist/cli.js ...args` as a consumer would, with the stack as GitHub. */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(stack, args, { env })

/**
 * A release of three assets, signed by the action (`release.yml` of the
 * repository), to Rekor v1 by URL, or to Rekor v2 through the signing config.
 */
async function signedRelease(repository: string, rekorVersion: 1 | 2 = 1) {
  const claims = releaseJobClaims({ repository })
  const release = await seedRelease(stack, {
    claims,
    assets: { 'a.tar.gz': 'aaa', 'b.zip': 'bbb', 'c.txt': 'ccc' },
  })
  const run = await runAction({
    sigstore: rekorVersion === 2 ? 'stack-tuf' : 'stack',
    stack,
    claims,
    event: releaseEvent(release),
    inputs: rekorVersion === 2 ? { 'rekor-version': '2' } : {},
  })
  if (run.exitCode !== 0) throw new Error(`signing failed:\n${run.log}`)
  return { claims, release, identity: identityOf(stack, claims) }
}

/**
 * Signs the checkpoint in `name`'s bundle again, validly under the log's own
 * key and key hint, for another origin: the log's host with its port.
 */
function checkpointForPortOrigin(release: ReleaseRecord, name: string): string {
  const asset = release.assets.find((a) => a.name === name)
  if (asset?.content.kind !== 'bytes') throw new Error(`no ${name}`)
  const json = JSON.parse(asset.content.data.toString('utf8'))
  const proof = json.verificationMaterial.tlogEntries[0].inclusionProof
  const origin = new URL(stack.rekorV2.server.url).host
  proof.checkpoint.envelope = stack.rekorV2.resignCheckpoint(proof.checkpoint.envelope, origin)
  const text = JSON.stringify(json)
  asset.content = { kind: 'bytes', data: Buffer.from(text) }
  asset.size = text.length
  asset.digest = createHash('sha256').update(text).digest('hex')
  return origin
}

describe('sign-release verify-release', () => {
  it('passes a release whose every asset verifies, and names each problem after tampering', async () => {
    const { release, identity, claims } = await signedRelease('octo-org/consumer')
    const base = [
      'verify-release',
      '--tag',
      release.tagName,
      '--repo',
      claims.repository,
      '--certificate-identity',
      identity,
      '--trusted-root',
      stack.trustedRootPath,
    ]
    // Anonymous: a published release of a public repository needs no token.
    const good = await cli(base)
    expect(good.stderr).toBe('')
    expect(good.code).toBe(0)
    expect(good.stdout.trim().split('\n')).toEqual([
      'ok: a.tar.gz (provenance ok)',
      'ok: b.zip (provenance ok)',
      'ok: c.txt (provenance ok)',
      'mutable: the release is not immutable, so GitHub made no release attestation of it',
    ])

    // Tampered with, a bundle deleted, and one asset re-signed by another workflow.
    setContent(release, 'a.tar.gz', 'evil')
    release.assets = release.assets.filter((a) => a.name !== 'b.zip.sigstore.json')
    const other = releaseJobClaims({
      repository: claims.repository,
      job_workflow_ref: `${claims.repository}/.github/workflows/other.yml@refs/heads/main`,
    })
    const resign = await runAction({
      sigstore: 'stack',
      stack,
      claims: other,
      event: releaseEvent(release),
      inputs: { assets: 'c.txt', overwrite: 'true' },
    })
    expect(resign.exitCode, resign.log).toBe(0)

    const bad = await cli([...base, '--json'], { GITHUB_TOKEN: stack.github.token })
    expect(bad.code).toBe(1)
    const verdicts = JSON.parse(bad.stdout).assets as {
      name: string
      status: string
      detail?: string
    }[]
    expect(verdicts.map((v) => [v.name, v.status])).toEqual([
      ['a.tar.gz', 'does not verify'],
      ['b.zip', 'missing bundle'],
      ['c.txt', 'wrong identity'],
    ])
    expect(verdicts[0]?.detail).toMatch(/digest mismatch/)
    expect(verdicts[2]?.detail).toContain('.github/workflows/other.yml@refs/heads/main')

    // A pattern that names the other workflow accepts c.txt, and --assets narrows the check.
    const pattern = await cli([
      ...base.slice(0, 5),
      '--certificate-identity-regexp',
      '/\\.github/workflows/other\\.yml@',
      '--trusted-root',
      stack.trustedRootPath,
      '--assets',
      'c.txt',
    ])
    // The other workflow's run (overwrite: true, c.txt only) kept release.yml's provenance,
    // which still lists b.zip truly: for the other identity it is no evidence either way.
    expect(pattern.stdout.trim().split('\n')[0]).toBe(
      `ok: c.txt (provenance by another identity, not checked: ${identity} (issuer https://token.actions.githubusercontent.com))`,
    )
    expect(pattern.code).toBe(0)
  })

  it('passes a release signed to Rekor v2, and names a tampered asset', async () => {
    const { release, identity } = await signedRelease('octo-org/verify-rekor-v2', 2)
    const args = [
      'verify-release',
      '--repo',
      'octo-org/verify-rekor-v2',
      '--tag',
      release.tagName,
      '--certificate-identity',
      identity,
      '--trusted-root',
      stack.trustedRootPath,
    ]
    const good = await cli(args)
    expect(good.code, good.stdout + good.stderr).toBe(0)
    expect(good.stdout.trim().split('\n')).toEqual([
      'ok: a.tar.gz (provenance ok)',
      'ok: b.zip (provenance ok)',
      'ok: c.txt (provenance ok)',
      'mutable: the release is not immutable, so GitHub made no release attestation of it',
    ])
    setContent(release, 'b.zip', 'BBB')
    const bad = await cli(args)
    expect(bad.code).not.toBe(0)
    expect(bad.stdout).toMatch(/^does not verify \(.+\): b\.zip$/m)
  })

  it("refuses a Rekor v2 checkpoint for another origin than the log's host name, as cosign does", async () => {
    const { release, identity } = await signedRelease('octo-org/verify-rekor-v2-origin', 2)
    const origin = checkpointForPortOrigin(release, 'a.tar.gz.sigstore.json')
    const result = await cli([
      'verify-release',
      '--repo',
      'octo-org/verify-rekor-v2-origin',
      '--tag',
      release.tagName,
      '--certificate-identity',
      identity,
      '--trusted-root',
      stack.trustedRootPath,
    ])
    expect(result.code).toBe(1)
    const hostname = new URL(stack.rekorV2.server.url).hostname
    expect(result.stdout.trim().split('\n')).toEqual([
      `does not verify (the log's checkpoint is for origin '${origin}', not '${hostname}', the host name of the log's base URL in the trusted root (cosign and sigstore-go refuse it)): a.tar.gz (provenance ok)`,
      'ok: b.zip (provenance ok)',
      'ok: c.txt (provenance ok)',
      'mutable: the release is not immutable, so GitHub made no release attestation of it',
    ])
  })

  it("checks the release's provenance: a digest it contradicts, a provenance that does not verify, and --require-provenance", async () => {
    const { release, identity, claims } = await signedRelease('octo-org/verify-provenance')
    const args = [
      'verify-release',
      '--repo',
      claims.repository,
      '--tag',
      release.tagName,
      '--certificate-identity',
      identity,
      '--trusted-root',
      stack.trustedRootPath,
      '--json',
    ]
    const verdicts = async (extra: string[] = []) => {
      const result = await cli([...args, ...extra])
      const list = JSON.parse(result.stdout).assets as {
        name: string
        status: string
        detail?: string
        provenance: string
      }[]
      return { code: result.code, list }
    }
    const good = await verdicts(['--require-provenance'])
    expect(good.code).toBe(0)
    expect(good.list.map((v) => v.provenance)).toEqual(['ok', 'ok', 'ok'])

    // c.txt rebuilt and its bundle made again, without a new provenance: the bundle
    // verifies, and the provenance contradicts it.
    setContent(release, 'c.txt', 'rebuilt')
    const resign = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { assets: 'c.txt', provenance: 'false' },
    })
    expect(resign.exitCode, resign.log).toBe(0)
    const contradicted = await verdicts()
    expect(contradicted.code).toBe(1)
    expect(contradicted.list.map((v) => [v.name, v.status])).toEqual([
      ['a.tar.gz', 'ok'],
      ['b.zip', 'ok'],
      ['c.txt', 'bad provenance'],
    ])
    expect(contradicted.list[2]?.detail).toMatch(/the provenance gives it another SHA-256/)
    expect(contradicted.list[2]?.provenance).toBe(contradicted.list[2]?.detail)

    // A provenance that does not verify fails every asset it would vouch for.
    const file = release.assets.find((a) => a.name.endsWith('.intoto.jsonl'))
    if (file?.content.kind !== 'bytes') throw new Error('no provenance')
    const json = JSON.parse(file.content.data.toString('utf8'))
    json.dsseEnvelope.signatures[0].sig = Buffer.alloc(70, 1).toString('base64')
    file.content = { kind: 'bytes', data: Buffer.from(`${JSON.stringify(json)}\n`) }
    file.size = file.content.data.length
    file.digest = null
    const broken = await verdicts(['--assets', 'a.tar.gz'])
    expect(broken.code).toBe(1)
    expect(broken.list[0]?.status).toBe('bad provenance')
    expect(broken.list[0]?.detail).toMatch(
      /verify-provenance-v1\.0\.0\.intoto\.jsonl does not verify/,
    )

    // No provenance at all: checked only when asked for.
    release.assets = release.assets.filter((a) => a !== file)
    const none = await verdicts(['--assets', 'a.tar.gz'])
    expect(none.code).toBe(0)
    expect(none.list[0]).toMatchObject({ status: 'ok', provenance: 'missing' })
    const required = await verdicts(['--assets', 'a.tar.gz', '--require-provenance'])
    expect(required.code).toBe(1)
    expect(required.list[0]).toMatchObject({
      status: 'missing provenance',
      detail: 'the release has no verify-provenance-v1.0.0.intoto.jsonl',
    })
  })

  it('requires an identity: no signer is accepted by default', async () => {
    const result = await cli(['verify-release', '--tag', 'v1.0.0', '--repo', 'o/r'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--certificate-identity or --certificate-identity-regexp/)
  })
})

describe('sign-release verify-bundle (the sigstore-conformance client protocol)', () => {
  it('verifies a file or its digest, and refuses what does not match', async () => {
    const { release, identity } = await signedRelease('octo-org/conformance')
    const dir = tempDir('sign-release-cli-')
    const write = (name: string, data: Buffer | string) => {
      writeFileSync(path.join(dir, name), data)
      return path.join(dir, name)
    }
    const content = (name: string) => {
      const asset = release.assets.find((a) => a.name === name)
      if (asset?.content.kind !== 'bytes') throw new Error(`no ${name}`)
      return asset.content.data
    }
    const artifact = write('a.tar.gz', content('a.tar.gz'))
    const bundle = write('a.tar.gz.sigstore.json', content('a.tar.gz.sigstore.json'))
    const verify = (
      bundlePath: string,
      subject: string,
      who = identity,
      root = stack.trustedRootPath,
    ) =>
      cli([
        'verify-bundle',
        '--bundle',
        bundlePath,
        '--certificate-identity',
        who,
        '--certificate-oidc-issuer',
        'https://token.actions.githubusercontent.com',
        '--trusted-root',
        root,
        subject,
      ])

    const ok = await verify(bundle, artifact)
    expect(ok.code, ok.stdout + ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/^OK: /)
    const digest = `sha256:${createHash('sha256').update(content('a.tar.gz')).digest('hex')}`
    expect((await verify(bundle, digest)).code).toBe(0)

    // Another file, another identity, a swapped signature, a broken bundle, another trusted root.
    const other = await verify(bundle, write('other.bin', 'other bytes'))
    expect(other.code).toBe(1)
    expect(other.stdout).toMatch(/^FAIL: does not verify: .*digest mismatch/)
    const who = await verify(bundle, artifact, `${identity}x`)
    expect(who.code).toBe(1)
    expect(who.stdout).toMatch(/^FAIL: wrong identity: signed by /)
    const json = JSON.parse(readFileSync(bundle, 'utf8'))
    const swapped = structuredClone(json)
    const b = JSON.parse(content('b.zip.sigstore.json').toString('utf8'))
    swapped.messageSignature.signature = b.messageSignature.signature
    expect((await verify(write('swapped.json', JSON.stringify(swapped)), artifact)).code).toBe(1)
    const truncated = await verify(
      write('cut.json', readFileSync(bundle, 'utf8').slice(0, 300)),
      artifact,
    )
    expect(truncated.code).toBe(1)
    expect(truncated.stderr).toMatch(/is not JSON/)
    // The release's provenance is a DSSE bundle over every asset: it verifies a.tar.gz too.
    const provenance = write('p.jsonl', content('conformance-v1.0.0.intoto.jsonl'))
    const byProvenance = await verify(provenance, artifact)
    expect(byProvenance.code, byProvenance.stdout + byProvenance.stderr).toBe(0)
    const notASubject = await verify(provenance, write('other2.bin', 'not released'))
    expect(notASubject.code).toBe(1)
    expect(notASubject.stdout).toMatch(/not a subject of the in-toto statement/)
    const foreignStack = await startStack()
    try {
      const foreign = await verify(bundle, artifact, identity, foreignStack.trustedRootPath)
      expect(foreign.code).toBe(1)
      expect(foreign.stdout).toMatch(/^FAIL: does not verify/)
    } finally {
      await foreignStack.stop()
    }
  })

  it('verifies a bundle signed with a managed key, given --key', async () => {
    const { key, digest, bundle } = await managedKeyBundle(stack, 'signed with a key')
    const dir = tempDir('sign-release-cli-')
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify(bundleToJSON(bundle)))
    const withKey = async (pem: string) => {
      writeFileSync(path.join(dir, 'key.pem'), pem)
      return cli([
        'verify-bundle',
        '--bundle',
        path.join(dir, 'b.json'),
        '--key',
        path.join(dir, 'key.pem'),
        '--trusted-root',
        stack.trustedRootPath,
        `sha256:${digest.toString('hex')}`,
      ])
    }
    const ok = await withKey(key.publicKeyPem)
    expect(ok.code, ok.stdout + ok.stderr).toBe(0)
    const other = await withKey(new EphemeralKey().publicKeyPem)
    expect(other.code).toBe(1)
    expect(other.stdout).toMatch(/^FAIL: does not verify/)
  })

  it('with no trusted root given and no network, falls back to the root @sigstore/tuf ships', async () => {
    const { release, identity } = await signedRelease('octo-org/offline')
    const dir = tempDir('sign-release-cli-')
    const asset = release.assets.find((a) => a.name === 'a.tar.gz.sigstore.json')
    if (asset?.content.kind !== 'bytes') throw new Error('no bundle')
    writeFileSync(path.join(dir, 'b.json'), asset.content.data)
    const result = await cli([
      'verify-bundle',
      '--bundle',
      path.join(dir, 'b.json'),
      '--certificate-identity',
      identity,
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      `sha256:${'0'.repeat(64)}`,
    ])
    // Sigstore's production root does not trust the stack: a verdict, not a network error.
    expect(result.stderr).toContain('using the trusted root that ships with @sigstore/tuf')
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^FAIL: does not verify/)
  })
})

describe('the verify action', () => {
  it('passes a signed release, and fails the step naming every asset that does not verify', async () => {
    const { release, identity, claims } = await signedRelease('octo-org/downstream')
    const inputs = {
      tag: release.tagName,
      'certificate-identity': identity,
      'trusted-root': stack.trustedRootPath,
    }
    const good = await runVerifyAction({
      stack,
      claims,
      inputs,
    })
    expect(good.exitCode, good.log).toBe(0)
    expect(
      JSON.parse(good.outputs.results ?? '[]').map((r: { status: string }) => r.status),
    ).toEqual(['ok', 'ok', 'ok'])
    expect(good.summary).toContain('Verified octo-org/downstream v1.0.0')

    setContent(release, 'b.zip', 'tampered')
    const bad = await runVerifyAction({
      stack,
      claims,
      inputs,
    })
    expect(bad.exitCode).toBe(1)
    const errors = bad.log.split('\n').filter((l) => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('1 of 3 asset(s) of v1.0.0 did not verify')
    expect(errors[0]).toContain('does not verify')
    expect(errors[0]).toContain('b.zip')
  })

  it("fails an asset whose Rekor v2 checkpoint names another origin than the log's host name", async () => {
    const { release, identity, claims } = await signedRelease('octo-org/downstream-origin', 2)
    const origin = checkpointForPortOrigin(release, 'c.txt.sigstore.json')
    const run = await runVerifyAction({
      stack,
      claims,
      inputs: {
        tag: release.tagName,
        'certificate-identity': identity,
        'trusted-root': stack.trustedRootPath,
      },
    })
    expect(run.exitCode).toBe(1)
    const verdicts = JSON.parse(run.outputs.results ?? '[]') as {
      name: string
      status: string
      detail?: string
    }[]
    expect(verdicts.map((v) => [v.name, v.status])).toEqual([
      ['a.tar.gz', 'ok'],
      ['b.zip', 'ok'],
      ['c.txt', 'does not verify'],
    ])
    expect(verdicts[2]?.detail).toContain(`checkpoint is for origin '${origin}'`)
  })

  it('require-provenance fails the assets no provenance covers', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/downstream-provenance' })
    const release = await seedRelease(stack, { claims, assets: { 'a.bin': 'a', 'b.bin': 'b' } })
    const signing = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { provenance: 'false' },
    })
    expect(signing.exitCode, signing.log).toBe(0)
    const verify = (require: string) =>
      runVerifyAction({
        stack,
        claims,
        inputs: {
          tag: release.tagName,
          'certificate-identity': identityOf(stack, claims),
          'trusted-root': stack.trustedRootPath,
          'require-provenance': require,
        },
      })
    const relaxed = await verify('false')
    expect(relaxed.exitCode, relaxed.log).toBe(0)
    expect(JSON.parse(relaxed.outputs.results ?? '[]')[0]).toMatchObject({
      status: 'ok',
      provenance: 'missing',
    })
    const strict = await verify('true')
    expect(strict.exitCode).toBe(1)
    expect(oneCleanFailure(strict.log)).toContain(
      'missing provenance (the release has no downstream-provenance-v1.0.0.intoto.jsonl): a.bin',
    )
    expect(strict.summary).toContain('<td>missing</td>')
  })

  it('refuses to run without an identity', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/no-identity' })
    const run = await runVerifyAction({
      stack,
      claims,
      inputs: { tag: 'v1.0.0' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /::error::Input 'certificate-identity': or certificate-identity-regexp is required/,
    )
  })
})
