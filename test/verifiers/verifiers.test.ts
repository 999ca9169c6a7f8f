// The verifiers lane (npm run test:verifiers): what the bundled action signs
// on the offline stack, checked by the programs consumers run, cosign 3 and
// sigstore-go (the library OpenSSF Scorecard's Signed-Releases check
// verifies with), from Debian's packages. Each release is downloaded as a
// consumer downloads it, with the instance's trusted_root.json beside it.
// Every bundle is verified by both, identity and issuer pinned; the
// provenance by cosign for each file it lists; and the step summary's
// commands are run exactly as printed. One changed byte fails each of them.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { releaseEvent, seedRelease } from '../support/fixtures.js'
import { type RunOptions, type RunResult, runAction } from '../support/runner.js'
import { npmSbom } from '../support/sbom.js'
import {
  cosignAttestation,
  cosignBlob,
  downloadRelease,
  type Identity,
  printedCommands,
  runProgram,
  sigstoreGo,
  withOneByteChanged,
} from '../support/verifiers.js'
import { commitAndTag, workspaceWith } from '../support/workspace.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  // Offline, as every program was told to be: nothing tried to leave the stack.
  expect(stack.egress.attempts).toEqual([])
  await stack.stop()
})

const ASSETS = { 'app.tar.gz': 'the app, for Linux', 'app.zip': 'the app, for Windows' }

interface Scenario {
  name: string
  sigstore: RunOptions['sigstore']
  inputs: Record<string, string>
  tsa?: boolean
  /** A workspace as the release job leaves it. */
  workspace?: () => string
  /** Where the consumer finds the bundles: on the release, or (a dry run) in the kept files. */
  dryRun?: boolean
}

const sbomWorkspace = () =>
  workspaceWith({
    'sbom/project.spdx.json': npmSbom('spdx'),
    'sbom/app.zip.cdx.json': npmSbom('cyclonedx'),
  })

const workspace = () => {
  const dir = workspaceWith({ 'dist/tool-linux': 'built on the runner', 'README.md': 'readme' })
  commitAndTag(dir, 'v1.0.0')
  return dir
}

const SCENARIOS: Scenario[] = [
  {
    name: 'Rekor v1, its SETs alone',
    sigstore: 'stack',
    inputs: { checksums: 'SHA256SUMS' },
    tsa: false,
  },
  {
    name: 'Rekor v2, with timestamps',
    sigstore: 'stack-tuf',
    inputs: { 'rekor-version': '2', checksums: 'SHA256SUMS' },
  },
  { name: 'a dry run', sigstore: 'stack', inputs: { 'dry-run': 'true' }, dryRun: true },
  {
    name: "files, the workflow's own",
    sigstore: 'stack',
    inputs: { files: 'dist/*', assets: '*' },
    workspace,
  },
  {
    name: 'a source archive',
    sigstore: 'stack',
    inputs: { 'source-archive': 'git', assets: '*' },
    workspace,
  },
  {
    name: 'SBOMs: SPDX of the release, CycloneDX of one file',
    sigstore: 'stack',
    inputs: { sbom: 'sbom/*.json' },
    workspace: sbomWorkspace,
  },
  { name: 'bundles: manifest, Rekor v1', sigstore: 'stack', inputs: { bundles: 'manifest' } },
  {
    name: 'bundles: manifest, Rekor v2',
    sigstore: 'stack-tuf',
    inputs: { bundles: 'manifest', 'rekor-version': '2' },
  },
]

/** Runs the scenario on a release of its own; returns the run, the consumer's folder and the identity. */
async function signedAndDownloaded(s: Scenario, index: number) {
  const repository = `octo-org/verifiers-${index}`
  const claims = releaseJobClaims({ repository })
  const release = await seedRelease(stack, { claims, assets: ASSETS })
  const run: RunResult = await runAction({
    sigstore: s.sigstore,
    stack,
    claims,
    event: releaseEvent(release),
    inputs: s.inputs,
    tsa: s.tsa,
    workspace: s.workspace?.(),
  })
  expect(run.exitCode, run.log).toBe(0)
  const dir = await downloadRelease(stack, release)
  const who: Identity = {
    san: run.outputs['certificate-identity'] ?? '',
    issuer: run.outputs['certificate-oidc-issuer'] ?? '',
  }
  return { run, dir, who, kept: s.dryRun ? (run.outputs['bundles-dir'] ?? '') : dir }
}

/** The bundles in `folder` with the file each covers, found in the consumer's folder or beside it. */
function bundlesIn(folder: string, dir: string): { file: string; bundle: string }[] {
  return readdirSync(folder)
    .filter((n) => n.endsWith('.sigstore.json'))
    .map((n) => {
      const name = n.slice(0, -'.sigstore.json'.length)
      const file = [path.join(dir, name), path.join(folder, name)].find((f) => existsSync(f))
      if (!file) throw new Error(`no file for ${n}`)
      return { file, bundle: path.join(folder, n) }
    })
}

const expectPass = (r: { code: number; output: string }, what: string) =>
  expect(r.code, `${what}:\n${r.output}`).toBe(0)
const expectFail = (r: { code: number; output: string }, what: string) =>
  expect(r.code, `${what} passed with a changed byte:\n${r.output}`).not.toBe(0)

describe.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))('%s', (_, scenario, index) => {
  let signed: Awaited<ReturnType<typeof signedAndDownloaded>>
  beforeAll(async () => {
    signed = await signedAndDownloaded(scenario, index)
  })

  it('every bundle verifies with cosign and with sigstore-go, and fails with one changed byte', async () => {
    const { dir, kept, who } = signed
    const bundles = bundlesIn(kept, dir)
    expect(bundles.length).toBeGreaterThan(0)
    for (const { file, bundle } of bundles) {
      const name = path.basename(file)
      expectPass(await cosignBlob(stack, dir, file, bundle, who), `cosign, ${name}`)
      expectPass(await sigstoreGo(stack, dir, file, bundle, who), `sigstore-go, ${name}`)
      await withOneByteChanged(file, async () => {
        expectFail(await cosignBlob(stack, dir, file, bundle, who), `cosign, ${name}`)
        expectFail(await sigstoreGo(stack, dir, file, bundle, who), `sigstore-go, ${name}`)
      })
    }
  })

  it('the provenance verifies with cosign for each file it lists, and fails with one changed byte', async () => {
    const { dir, kept, who } = signed
    const provenance = readdirSync(kept).find(
      (n) =>
        n.endsWith('.intoto.jsonl') &&
        statementOf(path.join(kept, n)).predicateType === 'https://slsa.dev/provenance/v1',
    )
    if (!provenance) throw new Error('no provenance')
    const attestation = path.join(kept, provenance)
    const statement = JSON.parse(
      Buffer.from(
        JSON.parse(readFileSync(attestation, 'utf8')).dsseEnvelope.payload,
        'base64',
      ).toString('utf8'),
    ) as { subject: { name: string }[] }
    const files = statement.subject
      .map((s) => [path.join(dir, s.name), path.join(kept, s.name)].find((f) => existsSync(f)))
      .filter((f): f is string => f !== undefined)
    expect(files.length).toBe(statement.subject.length)
    for (const file of files) {
      const name = path.basename(file)
      expectPass(
        await cosignAttestation(stack, dir, file, attestation, 'slsaprovenance1', who),
        `cosign verify-blob-attestation, ${name}`,
      )
      await withOneByteChanged(file, async () =>
        expectFail(
          await cosignAttestation(stack, dir, file, attestation, 'slsaprovenance1', who),
          `cosign verify-blob-attestation, ${name}`,
        ),
      )
    }
  })

  if (scenario.inputs.sbom)
    it('each SBOM attestation verifies with cosign for each file it describes, as its predicate type', async () => {
      const { dir, kept, who } = signed
      const attestations = readdirSync(kept).filter((n) =>
        /\.(spdx|cdx)\.json\.intoto\.jsonl$/.test(n),
      )
      expect(attestations).toHaveLength(2)
      for (const name of attestations) {
        const attestation = path.join(kept, name)
        const statement = statementOf(attestation)
        expect(statement.predicateType).toMatch(
          /^https:\/\/(spdx\.dev\/Document\/v2\.3|cyclonedx\.org\/bom)$/,
        )
        for (const subject of statement.subject) {
          const file = path.join(dir, subject.name)
          const check = () =>
            cosignAttestation(stack, dir, file, attestation, statement.predicateType, who)
          expectPass(await check(), `cosign, ${name} over ${subject.name}`)
          await withOneByteChanged(file, async () =>
            expectFail(await check(), `cosign, ${name} over ${subject.name}`),
          )
        }
      }
    })

  // A dry run's summary prints no commands for a release: nothing was attached.
  if (!scenario.dryRun)
    it("the step summary's commands pass as printed, and fail once a file they check changes", async () => {
      const { dir, run } = signed
      const commands = printedCommands(run.summary)
      const programs = commands.map((c) => c.split(' ').slice(0, 2).join(' '))
      expect(programs, run.summary).toContain('cosign verify-blob')
      expect(programs).toContain('cosign verify-blob-attestation')
      if (scenario.inputs.checksums || scenario.inputs.bundles === 'manifest')
        expect(programs).toEqual(expect.arrayContaining(['sha256sum -c', 'shasum -a']))
      for (const command of commands) {
        expectPass(await runProgram(stack, dir, 'bash', ['-c', command]), command)
        const subject = subjectOf(command, dir)
        await withOneByteChanged(subject, async () =>
          expectFail(await runProgram(stack, dir, 'bash', ['-c', command]), command),
        )
      }
    })
})

/** The in-toto statement of a DSSE bundle file, unverified: what it claims. */
function statementOf(file: string): { predicateType: string; subject: { name: string }[] } {
  const bundle = JSON.parse(readFileSync(file, 'utf8'))
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'))
}

/**
 * The file a printed command checks: cosign's first argument, or for a
 * checksums command, the first file its manifest lists.
 */
function subjectOf(command: string, dir: string): string {
  const words = command.split(/\s+/)
  if (words[0] === 'cosign') return path.join(dir, unquote(words[2] ?? ''))
  // sha256sum -c --ignore-missing 'SHA256SUMS'      # Linux: the manifest is the last word.
  const manifest = unquote(command.replace(/#.*$/, '').trim().split(/\s+/).at(-1) ?? '')
  const first = readFileSync(path.join(dir, manifest), 'utf8').split('\n')[0] ?? ''
  return path.join(dir, first.slice(66))
}

function unquote(word: string): string {
  return word.replace(/^'(.*)'$/, '$1')
}
