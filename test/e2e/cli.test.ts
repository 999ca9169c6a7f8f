// The command line as consumers meet it: its help and version, argument
// errors that name the argument and come before any request, and the npm
// package built from dist/, installed from its tarball and run with npx.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { runCli } from '../support/cli.js'
import { identityOf, releaseEvent, seedRelease } from '../support/fixtures.js'
import { runAction } from '../support/runner.js'
import { contentOf, requestMarks } from '../support/scenario.js'
import { tempDir } from '../support/temp.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

/** Runs the CLI, and checks that it sent no request anywhere: to the stack or past it. */
async function offline(args: string[]) {
  const marks = requestMarks(stack)
  const egress = stack.egress.attempts.length
  const result = await runCli(stack, args)
  expect(requestMarks(stack), 'no request to the stack').toEqual(marks)
  expect(stack.egress.attempts.length, 'no request beyond the stack').toBe(egress)
  return result
}

describe('help and version', () => {
  it.each([['--help'], ['-h'], ['help']])('%s lists the commands', async (flag) => {
    const result = await offline([flag])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(`sign-release ${VERSION}`)
    expect(result.stdout).toMatch(/^ {2}verify-bundle {3}\S/m)
    expect(result.stdout).toMatch(/^ {2}verify-release {2}\S/m)
  })

  it('--version prints the package version', async () => {
    const result = await offline(['--version'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`sign-release ${VERSION}\n`)
  })

  const FLAGS = {
    'verify-bundle': [
      '--bundle FILE',
      '--certificate-identity IDENTITY',
      '--certificate-oidc-issuer URL',
      '--key PUBLIC_KEY_PEM',
      '--trusted-root FILE',
      '--staging',
      '--help, -h',
    ],
    'verify-release': [
      '--tag TAG',
      '--repo OWNER/REPO',
      '--certificate-identity IDENTITY',
      '--certificate-identity-regexp REGEXP',
      '--certificate-oidc-issuer URL',
      '--assets PATTERNS',
      '--bundle-suffix SUFFIX',
      '--checksums NAME',
      '--trusted-root FILE',
      '--staging',
      '--require-provenance',
      '--github-trusted-root FILE',
      '--require-immutable',
      '--require-sbom',
      '--json',
      '--help, -h',
    ],
  }
  const DEFAULTS = {
    'verify-bundle': ["Default: Sigstore's public-good trusted root"],
    'verify-release': [
      'Default: GITHUB_REPOSITORY.',
      'Default: https://token.actions.githubusercontent.com.',
      'Default: .sigstore.json.',
      'Default: SHA256SUMS.',
      'Default: every asset but the bundles.',
      "Default: the one GitHub's TUF repository distributes (https://tuf-repo.github.com).",
    ],
  }
  const ENV = {
    'verify-bundle': ['TMPDIR', 'HTTPS_PROXY'],
    'verify-release': ['GITHUB_TOKEN, GH_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL', 'TMPDIR'],
  }
  it.each(
    (['verify-bundle', 'verify-release'] as const).flatMap((c) => [
      [c, '--help'],
      [c, '-h'],
    ]),
  )(
    '%s %s describes every flag, its default and the environment it reads',
    async (command, flag) => {
      const result = await offline([command, flag])
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('')
      const flagLines = result.stdout.split('\n').filter((l) => /^ {2}--/.test(l))
      expect(flagLines.map((l) => l.trim().split(/ {2,}/)[0])).toEqual(FLAGS[command])
      for (const line of flagLines) expect(line.trim().split(/ {2,}/)[1], line).toMatch(/\w/)
      const text = result.stdout.replace(/\n {3,}/g, ' ')
      for (const d of DEFAULTS[command]) expect(text).toContain(d)
      const env = result.stdout.split('Environment:\n')[1] ?? ''
      for (const name of ENV[command]) expect(env).toMatch(new RegExp(`^ {2}${name} `, 'm'))
    },
  )
})

describe('argument errors name the argument, exit 2, and come before any request', () => {
  const dir = tempDir('sign-release-cli-args-')
  const bundle = path.join(dir, 'a.sigstore.json')
  writeFileSync(bundle, '{}')
  const id = [
    '--certificate-identity',
    'https://github.com/o/r/.github/workflows/r.yml@refs/tags/v1',
  ]
  const issuer = ['--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com']
  const digest = `sha256:${'0'.repeat(64)}`
  it.each([
    [['nope'], /unknown command 'nope'; the commands are verify-bundle and verify-release/],
    [[], /no command given/],
    [
      ['verify-release', '--tag', 'v1', '--repo', 'notarepo', ...id],
      /--repo must be OWNER\/REPO, such as octo-org\/octo-repo, not 'notarepo'/,
    ],
    [['verify-release', '--repo', 'o/r', ...id], /--tag is required/],
    [['verify-release', '--tag'], /--tag needs a value \(TAG\)/],
    [
      ['verify-release', '--tag', 'v1', ...id],
      /--repo is required \(OWNER\/REPO\) when GITHUB_REPOSITORY is not set/,
    ],
    [
      ['verify-release', '--tag', 'v1', '--repo', 'o/r'],
      /--certificate-identity or --certificate-identity-regexp/,
    ],
    [
      ['verify-release', '--tag', 'v1', '--repo', 'o/r', '--certificate-identity-regexp', '('],
      /--certificate-identity-regexp is not a regular expression/,
    ],
    [
      [
        'verify-release',
        '--tag',
        'v1',
        '--repo',
        'o/r',
        ...id,
        '--trusted-root',
        '/nonexistent/root.json',
      ],
      /--trusted-root: could not read \/nonexistent\/root\.json/,
    ],
    [
      ['verify-release', '--tag', 'v1', '--repo', 'o/r', ...id, '--json=yes'],
      /--json is a switch and takes no value/,
    ],
    [
      ['verify-release', '--tag', 'v1', '--repo', 'o/r', ...id, 'extra'],
      /verify-release takes no positional argument, and got: extra/,
    ],
    [['verify-bundle', '--nope', digest], /verify-bundle has no option --nope/],
    [['verify-bundle', ...id, ...issuer, digest], /--bundle is required/],
    [['verify-bundle', '--bundle', bundle, ...id, ...issuer], /FILE_OR_DIGEST is required/],
    [
      ['verify-bundle', '--bundle', bundle, ...id, ...issuer, 'no-such-file'],
      /FILE_OR_DIGEST: no-such-file is neither a file nor a digest/,
    ],
    [
      ['verify-bundle', '--bundle', '/nonexistent/b.json', ...id, ...issuer, digest],
      /--bundle: could not read \/nonexistent\/b\.json/,
    ],
    [
      ['verify-bundle', '--bundle', bundle, ...id, digest],
      /give --certificate-identity and --certificate-oidc-issuer, or --key/,
    ],
    [
      ['verify-bundle', '--bundle', bundle, '--key', '/nonexistent/key.pem', digest],
      /--key: could not read/,
    ],
    [
      ['verify-bundle', '--bundle', bundle, ...id, ...issuer, digest, digest],
      /verify-bundle takes one FILE_OR_DIGEST, and got more/,
    ],
  ] as [string[], RegExp][])('%j', async (args, message) => {
    const result = await offline(args)
    expect(result.code, result.stderr).toBe(2)
    expect(result.stdout).toBe('')
    const [first, second, ...rest] = result.stderr.trimEnd().split('\n')
    expect(first).toMatch(/^usage error: /)
    expect(first).toMatch(message)
    expect(second).toMatch(/^See 'sign-release (verify-bundle |verify-release )?--help'\.$/)
    expect(rest).toEqual([])
  })
})

describe('the npm package', () => {
  it('packs from dist/ with no dependencies, installs from its tarball, and runs with npx', async () => {
    const packDir = tempDir('sign-release-pack-')
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', './dist', '--json', '--pack-destination', packDir], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[]
    if (!packed) throw new Error('npm pack made nothing')
    const files = packed.files.map((f) => f.path)
    expect(files).toContain('cli.js')
    expect(files).toContain('package.json')
    expect(files).toContain('README.md')
    expect(files).toContain('LICENSE')
    expect(files).toContain('licenses.txt')
    // The CLI's files only: not the action's entry, and no source maps.
    expect(files.filter((f) => f === 'index.js' || f.endsWith('.map'))).toEqual([])

    // An empty folder, as a consumer's machine: the tarball installs with nothing from the registry.
    const consumer = tempDir('sign-release-consumer-')
    writeFileSync(path.join(consumer, 'package.json'), '{ "private": true }\n')
    execFileSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', path.join(packDir, packed.filename)],
      { cwd: consumer, encoding: 'utf8' },
    )
    const installed = JSON.parse(
      readFileSync(path.join(consumer, 'node_modules/sign-release/package.json'), 'utf8'),
    ) as { bin: Record<string, string>; engines: Record<string, string>; dependencies?: unknown }
    expect(installed.bin).toEqual({ 'sign-release': 'cli.js' })
    expect(installed.engines.node).toBe('>=24')
    expect(installed.dependencies).toBeUndefined()

    const npx = (args: string[]) =>
      runCli(stack, args, {
        entry: ['npx', '--offline', '--no', 'sign-release'],
        cwd: consumer,
      })
    const help = await npx(['verify-release', '--help'])
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toMatch(/^sign-release verify-release: /)

    // A real verification with the installed package: a bundle the action attached.
    const claims = releaseJobClaims({ repository: 'octo-org/npx-consumer' })
    const release = await seedRelease(stack, { claims, assets: { 'tool.tar.gz': 'the tool' } })
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(release) })
    expect(run.exitCode, run.log).toBe(0)
    writeFileSync(path.join(consumer, 'tool.tar.gz'), contentOf(release, 'tool.tar.gz'))
    writeFileSync(
      path.join(consumer, 'tool.tar.gz.sigstore.json'),
      contentOf(release, 'tool.tar.gz.sigstore.json'),
    )
    const args = (file: string) => [
      'verify-bundle',
      '--bundle',
      'tool.tar.gz.sigstore.json',
      '--certificate-identity',
      identityOf(stack, claims),
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--trusted-root',
      stack.trustedRootPath,
      file,
    ]
    const ok = await npx(args('tool.tar.gz'))
    expect(ok.code, ok.stdout + ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(
      /^OK: tool\.tar\.gz \(signed by https:\/\/github\.com\/octo-org\/npx-consumer\//,
    )
    writeFileSync(path.join(consumer, 'other.tar.gz'), 'not the tool')
    const bad = await npx(args('other.tar.gz'))
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/^FAIL: does not verify/)
  }, 120_000)
})
