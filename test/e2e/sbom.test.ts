// SBOMs (`sbom`): real SBOMs that `npm sbom` writes of this project (SPDX
// 2.3 and CycloneDX 1.5), attached and signed like any file, and attested
// over the files they describe with the run's one certificate; re-runs with
// a regenerated SBOM and with the same one; every bad input refused before
// the first certificate and the first write.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReleaseRecord } from '../stack/github/state.js'
import { type Stack, startStack } from '../stack/index.js'
import type { JobClaims } from '../stack/oidc.js'
import { releaseJobClaims } from '../support/claims.js'
import { runCli, verifyReleaseArgs } from '../support/cli.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
  verifyProvenanceFile,
} from '../support/fixtures.js'
import { runAction, runVerifyAction } from '../support/runner.js'
import { npmSbom as writeSbom } from '../support/sbom.js'
import {
  assetNames,
  contentOf,
  oneCleanFailure,
  requestMarks,
  requestsSince,
  setContent,
} from '../support/scenario.js'
import { tempDir } from '../support/temp.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

const written = new Map<string, string>()
/**
 * A real SBOM of this project, as `npm sbom` writes it: `fresh`, a new one
 * (a new time and id, as a rebuild writes); otherwise the one this file
 * already had `npm sbom` write in that format.
 */
function npmSbom(format: 'spdx' | 'cyclonedx', fresh = false): string {
  const known = written.get(format)
  if (known && !fresh) return known
  const text = writeSbom(format)
  if (!known) written.set(format, text)
  return text
}

/** A workspace holding the given files under sbom/. */
function workspaceWith(files: Record<string, string>): string {
  const dir = tempDir('sign-release-sbom-ws-')
  mkdirSync(path.join(dir, 'sbom'))
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(dir, 'sbom', name), text)
  return dir
}

/**
 * The release asset names OpenSSF Scorecard's SBOM check counts as SBOMs
 * (checks/raw/sbom.go in ossf/scorecard; its `(?i)` is the `i` flag here).
 */
const SCORECARD_SBOM =
  /.+\.(cdx.json|cdx.xml|spdx|spdx.json|spdx.xml|spdx.y[a?]ml|spdx.rdf|spdx.rdf.xm)/i

const ASSETS = { 'app.tar.gz': 'the app for Linux', 'app.zip': 'the app for Windows' }

async function sign(
  claims: JobClaims,
  release: ReleaseRecord,
  workspace: string,
  inputs: Record<string, string> = {},
) {
  return runAction({
    sigstore: 'stack',
    stack,
    claims,
    event: releaseEvent(release),
    workspace,
    inputs: { sbom: 'sbom/*.json', ...inputs },
  })
}

type Result = {
  name: string
  source: string
  status: string
  predicateType?: string
  describes?: string[]
}
const resultsOf = (outputs: Record<string, string>): Result[] => JSON.parse(outputs.results ?? '[]')

describe('an SBOM of the whole release', () => {
  it('is attached, signed, attested over every file with the run’s one certificate, and stored', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-spdx' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const spdx = npmSbom('spdx')
    const marks = requestMarks(stack)
    const run = await sign(claims, release, workspaceWith({ 'sign-release.spdx.json': spdx }))
    expect(run.exitCode, run.log).toBe(0)
    expect(assetNames(stack, release.id)).toEqual([
      'app.tar.gz',
      'app.tar.gz.sigstore.json',
      'app.zip',
      'app.zip.sigstore.json',
      'sbom-spdx-v1.0.0.intoto.jsonl',
      'sign-release.spdx.json',
      'sign-release.spdx.json.intoto.jsonl',
      'sign-release.spdx.json.sigstore.json',
    ])
    expect(contentOf(release, 'sign-release.spdx.json').toString('utf8')).toBe(spdx)
    expect(assetNames(stack, release.id).filter((n) => SCORECARD_SBOM.test(n))).toContain(
      'sign-release.spdx.json',
    )
    const identity = identityOf(stack, claims)
    expect(await verifyAttachedBundles(stack, release, identity)).toEqual([
      'app.tar.gz',
      'app.zip',
      'sign-release.spdx.json',
    ])
    // The predicate is the SBOM itself; the subjects are the files it describes.
    const { statement } = verifyProvenanceFile(
      stack,
      release,
      identity,
      'sign-release.spdx.json.intoto.jsonl',
    )
    expect(statement.predicateType).toBe('https://spdx.dev/Document/v2.3')
    expect(statement.predicate).toEqual(JSON.parse(spdx))
    expect(statement.subject.map((s) => s.name).sort()).toEqual(['app.tar.gz', 'app.zip'])
    // The SBOM is a subject of the provenance, like any file.
    const provenance = verifyProvenanceFile(
      stack,
      release,
      identity,
      'sbom-spdx-v1.0.0.intoto.jsonl',
    )
    expect(provenance.statement.subject.map((s) => s.name).sort()).toEqual([
      'app.tar.gz',
      'app.zip',
      'sign-release.spdx.json',
    ])
    // One token and one certificate for the run; one log entry per file, the SBOM's attestation and the provenance.
    expect(requestsSince(stack, marks, 'fulcio')).toHaveLength(1)
    expect(requestsSince(stack, marks, 'rekor').filter((r) => r.method === 'POST')).toHaveLength(5)
    // Stored with GitHub's attestations API, as the provenance is.
    const stored = stack.github.state.attestations.filter((a) => a.repo === 'sbom-spdx')
    expect(stored).toHaveLength(2)
    const results = resultsOf(run.outputs)
    expect(results.filter((r) => r.source === 'sbom')).toMatchObject([
      { name: 'sign-release.spdx.json', status: 'signed' },
      {
        name: 'sign-release.spdx.json.intoto.jsonl',
        status: 'signed',
        predicateType: 'https://spdx.dev/Document/v2.3',
        describes: ['app.tar.gz', 'app.zip'],
      },
    ])
    // The summary says how to check it, with the predicate type.
    expect(run.summary).toContain('verify-blob-attestation')
    expect(run.summary).toContain("--type 'https://spdx.dev/Document/v2.3'")
    expect(run.summary).toContain("--predicate-type 'https://spdx.dev/Document/v2.3'")

    // The same SBOM again writes nothing.
    const again = requestMarks(stack)
    const same = await sign(claims, release, workspaceWith({ 'sign-release.spdx.json': spdx }))
    expect(same.exitCode, same.log).toBe(0)
    expect(resultsOf(same.outputs).map((r) => r.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ])
    const writes = [
      ...requestsSince(stack, again, 'api'),
      ...requestsSince(stack, again, 'uploads'),
    ]
    expect(writes.filter((r) => r.method !== 'GET')).toEqual([])

    // A regenerated SBOM (a new time and id) replaces the SBOM, its bundle and its attestation.
    const rebuilt = npmSbom('spdx', true)
    expect(rebuilt).not.toBe(spdx)
    const third = await sign(claims, release, workspaceWith({ 'sign-release.spdx.json': rebuilt }))
    expect(third.exitCode, third.log).toBe(0)
    expect(contentOf(release, 'sign-release.spdx.json').toString('utf8')).toBe(rebuilt)
    expect(resultsOf(third.outputs).map((r) => [r.name, r.status])).toEqual([
      ['app.tar.gz', 'unchanged'],
      ['app.zip', 'unchanged'],
      ['sign-release.spdx.json', 'replaced'],
      ['sign-release.spdx.json.intoto.jsonl', 'replaced'],
      ['sbom-spdx-v1.0.0.intoto.jsonl', 'replaced'],
    ])
    expect(await verifyAttachedBundles(stack, release, identity)).toEqual([
      'app.tar.gz',
      'app.zip',
      'sign-release.spdx.json',
    ])
    const after = verifyProvenanceFile(
      stack,
      release,
      identity,
      'sign-release.spdx.json.intoto.jsonl',
    )
    expect(after.statement.predicate).toEqual(JSON.parse(rebuilt))
    expect(assetNames(stack, release.id)).toHaveLength(8)
  })
})

describe('an SBOM of one file', () => {
  it('named <file>.cdx.json describes that file alone', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-cdx' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const cdx = npmSbom('cyclonedx')
    const run = await sign(claims, release, workspaceWith({ 'app.zip.cdx.json': cdx }))
    expect(run.exitCode, run.log).toBe(0)
    const { statement } = verifyProvenanceFile(
      stack,
      release,
      identityOf(stack, claims),
      'app.zip.cdx.json.intoto.jsonl',
    )
    expect(statement.predicateType).toBe('https://cyclonedx.org/bom')
    expect(statement.subject.map((s) => s.name)).toEqual(['app.zip'])
  })
})

describe('bad input is refused before the first certificate and the first write', () => {
  const refused = async (
    repository: string,
    files: Record<string, string>,
    inputs: Record<string, string> = {},
  ) => {
    const claims = releaseJobClaims({ repository })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const marks = requestMarks(stack)
    const run = await sign(claims, release, workspaceWith(files), inputs)
    expect(run.exitCode).toBe(1)
    expect(requestsSince(stack, marks, 'fulcio')).toEqual([])
    const writes = [
      ...requestsSince(stack, marks, 'api'),
      ...requestsSince(stack, marks, 'uploads'),
    ]
    expect(writes.filter((r) => r.method !== 'GET')).toEqual([])
    return oneCleanFailure(run.log)
  }

  it('a pattern that matches nothing', async () => {
    const error = await refused('octo-org/sbom-none', { 'other.txt': 'x' })
    expect(error).toContain("Input 'sbom': 'sbom/*.json' matches no file")
  })

  it('a file that is not JSON', async () => {
    const error = await refused('octo-org/sbom-notjson', { 'a.spdx.json': 'not json' })
    expect(error).toMatch(/Input 'sbom': .*a\.spdx\.json is not JSON/)
  })

  it('JSON that is neither SPDX nor CycloneDX, naming the fields looked for', async () => {
    const error = await refused('octo-org/sbom-neither', { 'x.json': '{"name":"x"}' })
    expect(error).toContain('is neither SPDX (spdxVersion and SPDXID) nor CycloneDX')
  })

  it('an SBOM over 16 MiB', async () => {
    const big = JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      padding: 'x'.repeat(16 * 1024 * 1024),
    })
    const error = await refused('octo-org/sbom-big', { 'big.spdx.json': big })
    expect(error).toMatch(/big\.spdx\.json is 16\.0 MiB, over the 16\.0 MiB/)
  })

  it('two SBOMs with one name', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-twice' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const ws = workspaceWith({ 'x.cdx.json': npmSbom('cyclonedx') })
    mkdirSync(path.join(ws, 'more'))
    writeFileSync(path.join(ws, 'more', 'x.cdx.json'), npmSbom('cyclonedx'))
    const run = await sign(claims, release, ws, { sbom: 'sbom/*.json\nmore/*.json' })
    expect(run.exitCode).toBe(1)
    expect(oneCleanFailure(run.log)).toContain('would both be attached as x.cdx.json')
  })

  it('an SBOM named after a file the run does not sign', async () => {
    const error = await refused(
      'octo-org/sbom-nothing',
      { 'app.zip.spdx.json': npmSbom('spdx') },
      { assets: 'app.tar.gz' },
    )
    expect(error).toContain(
      'is named after app.zip (the release has it), which this run does not sign, so it would describe nothing',
    )
  })
})

describe("the consumer's check", () => {
  const verify = (release: ReleaseRecord, identity: string, extra: string[] = []) =>
    runCli(stack, [...verifyReleaseArgs(stack, release, identity), ...extra])
  type Verdict = { name: string; status: string; detail?: string; sbom?: string; sbomBy?: string }
  const verdicts = (stdout: string): Verdict[] => JSON.parse(stdout).assets

  it('verify-release says which SBOM covers each asset, and fails a tampered SBOM attestation, naming it', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-verify' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const run = await sign(claims, release, workspaceWith({ 'project.spdx.json': npmSbom('spdx') }))
    expect(run.exitCode, run.log).toBe(0)
    const identity = identityOf(stack, claims)
    const good = await verify(release, identity, ['--require-sbom'])
    expect(good.code, good.stdout + good.stderr).toBe(0)
    expect(verdicts(good.stdout).map((v) => [v.name, v.status, v.sbom, v.sbomBy])).toEqual([
      ['app.tar.gz', 'ok', 'ok', 'project.spdx.json.intoto.jsonl'],
      ['app.zip', 'ok', 'ok', 'project.spdx.json.intoto.jsonl'],
      ['project.spdx.json', 'ok', 'ok', 'project.spdx.json.intoto.jsonl'],
    ])

    // One changed byte in the attestation's statement.
    const attestation = release.assets.find((a) => a.name === 'project.spdx.json.intoto.jsonl')
    if (attestation?.content.kind !== 'bytes') throw new Error('no attestation')
    const json = JSON.parse(attestation.content.data.toString('utf8'))
    const payload = Buffer.from(json.dsseEnvelope.payload, 'base64')
    payload[payload.length - 2] = (payload[payload.length - 2] as number) ^ 1
    json.dsseEnvelope.payload = payload.toString('base64')
    setContent(release, attestation.name, `${JSON.stringify(json)}\n`)
    const bad = await verify(release, identity)
    expect(bad.code).toBe(1)
    const sbomVerdict = verdicts(bad.stdout).find((v) => v.name === 'project.spdx.json')
    expect(sbomVerdict?.status).toBe('bad sbom')
    expect(sbomVerdict?.detail).toMatch(/^project\.spdx\.json\.intoto\.jsonl does not verify/)
  })

  it('fails an asset an SBOM attestation gives another digest, and with --require-sbom, one no SBOM covers', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-verify-digest' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const run = await sign(
      claims,
      release,
      workspaceWith({ 'app.zip.cdx.json': npmSbom('cyclonedx') }),
    )
    expect(run.exitCode, run.log).toBe(0)
    const identity = identityOf(stack, claims)
    const relaxed = await verify(release, identity)
    expect(relaxed.code, relaxed.stdout).toBe(0)
    const strict = await verify(release, identity, ['--require-sbom'])
    expect(strict.code).toBe(1)
    expect(verdicts(strict.stdout).map((v) => [v.name, v.status, v.sbom])).toEqual([
      ['app.tar.gz', 'missing sbom', 'missing'],
      ['app.zip', 'ok', 'ok'],
      ['app.zip.cdx.json', 'ok', 'ok'],
    ])
    // app.zip rebuilt and signed again, without its SBOM: the attestation still names the old bytes.
    setContent(release, 'app.zip', 'a rebuilt app for Windows')
    const resigned = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { assets: 'app.zip' },
    })
    expect(resigned.exitCode, resigned.log).toBe(0)
    const bad = await verify(release, identity)
    expect(bad.code).toBe(1)
    const zip = verdicts(bad.stdout).find((v) => v.name === 'app.zip')
    expect(zip?.status).toBe('bad sbom')
    expect(zip?.detail).toMatch(/^app\.zip\.cdx\.json\.intoto\.jsonl gives it another SHA-256/)
  })

  it('the verify action fails with require-sbom an asset no SBOM covers', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-verify-action' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const run = await sign(claims, release, workspaceWith({ 'app.zip.spdx.json': npmSbom('spdx') }))
    expect(run.exitCode, run.log).toBe(0)
    const inputs = {
      tag: release.tagName,
      'certificate-identity': identityOf(stack, claims),
      'trusted-root': stack.trustedRootPath,
    }
    const relaxed = await runVerifyAction({ stack, claims, inputs })
    expect(relaxed.exitCode, relaxed.log).toBe(0)
    expect(relaxed.summary).toContain('<td>app.zip.spdx.json.intoto.jsonl</td>')
    const strict = await runVerifyAction({
      stack,
      claims,
      inputs: { ...inputs, 'require-sbom': 'true' },
    })
    expect(strict.exitCode).toBe(1)
    expect(oneCleanFailure(strict.log)).toContain(
      'missing sbom (no SBOM attestation that verifies lists it): app.tar.gz',
    )
  })
})

describe('SBOMs in every mode', () => {
  it('a dry run keeps the SBOM, its bundle and its attestation, and writes nothing', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-dry' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const marks = requestMarks(stack)
    const run = await sign(
      claims,
      release,
      workspaceWith({ 'project.cdx.json': npmSbom('cyclonedx') }),
      {
        'dry-run': 'true',
      },
    )
    expect(run.exitCode, run.log).toBe(0)
    const kept = readdirSync(run.outputs['bundles-dir'] ?? '').sort()
    expect(kept).toEqual(
      expect.arrayContaining(['project.cdx.json.intoto.jsonl', 'project.cdx.json.sigstore.json']),
    )
    const writes = [
      ...requestsSince(stack, marks, 'api'),
      ...requestsSince(stack, marks, 'uploads'),
    ]
    expect(writes.filter((r) => r.method !== 'GET')).toEqual([])
    expect(assetNames(stack, release.id)).toEqual(['app.tar.gz', 'app.zip'])
    expect(
      resultsOf(run.outputs)
        .filter((r) => r.source === 'sbom')
        .map((r) => r.status),
    ).toEqual(['signed', 'signed'])
  })

  it('a rehearsal attests the SBOM on its copy, checks it, and leaves the release as it was', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-rehearse' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const run = await sign(
      claims,
      release,
      workspaceWith({ 'project.spdx.json': npmSbom('spdx') }),
      {
        rehearse: 'true',
      },
    )
    expect(run.exitCode, run.log).toBe(0)
    expect(run.outputs.rehearsal).toBe('passed')
    expect(run.log).toContain('signed project.spdx.json.intoto.jsonl')
    expect(assetNames(stack, release.id)).toEqual(['app.tar.gz', 'app.zip'])
  })

  it('with bundles: manifest, the SBOM is covered by the manifest and its attestation attached', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-manifest' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const ws = () => workspaceWith({ 'project.spdx.json': npmSbom('spdx', true) })
    const run = await sign(claims, release, ws(), { bundles: 'manifest' })
    expect(run.exitCode, run.log).toBe(0)
    expect(assetNames(stack, release.id)).toEqual([
      'SHA256SUMS',
      'SHA256SUMS.sigstore.json',
      'app.tar.gz',
      'app.zip',
      'project.spdx.json',
      'project.spdx.json.intoto.jsonl',
      'sbom-manifest-v1.0.0.intoto.jsonl',
    ])
    expect(contentOf(release, 'SHA256SUMS').toString('utf8')).toContain('  project.spdx.json\n')
    // A regenerated SBOM replaces the one there under bundles: manifest too.
    const again = await sign(claims, release, ws(), { bundles: 'manifest' })
    expect(again.exitCode, again.log).toBe(0)
    const { statement } = verifyProvenanceFile(
      stack,
      release,
      identityOf(stack, claims),
      'project.spdx.json.intoto.jsonl',
    )
    expect(statement.predicate).toEqual(
      JSON.parse(contentOf(release, 'project.spdx.json').toString('utf8')),
    )
  })

  it("keeps another identity's SBOM attestation, as foreign bundles are kept", async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-foreign' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const spdx = npmSbom('spdx')
    const first = await sign(claims, release, workspaceWith({ 'project.spdx.json': spdx }))
    expect(first.exitCode, first.log).toBe(0)
    const before = contentOf(release, 'project.spdx.json.intoto.jsonl')
    const other = releaseJobClaims({
      repository: 'octo-org/sbom-foreign',
      job_workflow_ref: 'octo-org/sbom-foreign/.github/workflows/other.yml@refs/tags/v1.0.0',
    })
    const second = await sign(other, release, workspaceWith({ 'project.spdx.json': spdx }))
    expect(second.exitCode, second.log).toBe(0)
    expect(second.log).toContain('project.spdx.json.intoto.jsonl verifies but was signed by')
    expect(contentOf(release, 'project.spdx.json.intoto.jsonl')).toEqual(before)
    expect(
      resultsOf(second.outputs).find((r) => r.name === 'project.spdx.json.intoto.jsonl')?.status,
    ).toBe('foreign')
  })

  it('an SBOM over a megabyte is read whole on a re-run, and kept', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/sbom-large' })
    const release = await seedRelease(stack, { claims, assets: ASSETS })
    const spdx = JSON.parse(npmSbom('spdx'))
    spdx.comment = 'x'.repeat(1536 * 1024)
    const text = JSON.stringify(spdx)
    const first = await sign(claims, release, workspaceWith({ 'project.spdx.json': text }))
    expect(first.exitCode, first.log).toBe(0)
    const attestation = release.assets.find((a) => a.name === 'project.spdx.json.intoto.jsonl')
    expect(attestation?.size).toBeGreaterThan(2 << 20)
    const marks = requestMarks(stack)
    const again = await sign(claims, release, workspaceWith({ 'project.spdx.json': text }))
    expect(again.exitCode, again.log).toBe(0)
    expect(resultsOf(again.outputs).every((r) => r.status === 'unchanged')).toBe(true)
    const writes = [
      ...requestsSince(stack, marks, 'api'),
      ...requestsSince(stack, marks, 'uploads'),
    ]
    expect(writes.filter((r) => r.method !== 'GET')).toEqual([])
  })
})
