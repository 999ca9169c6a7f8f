// Runs the command line as a consumer would: `node <entry> ...args`, with the
// stack as GitHub and the egress proxy in the way of everything else.
import { spawn } from 'node:child_process'
import { WAIT_SCALE_VARIABLE } from '../../src/util/wait.js'
import type { Stack } from '../stack/index.js'
import { CLI_ENTRY, TEST_WAIT_SCALE } from './runner.js'
import { tempDir } from './temp.js'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export async function runCli(
  stack: Stack,
  args: string[],
  options: { env?: Record<string, string>; entry?: string[]; cwd?: string } = {},
): Promise<CliResult> {
  const [command, ...rest] = options.entry ?? [process.execPath, CLI_ENTRY]
  const child = spawn(command as string, [...rest, ...args], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GITHUB_API_URL: stack.github.urls.api,
      ...stack.egress.env(),
      [WAIT_SCALE_VARIABLE]: TEST_WAIT_SCALE,
      // The CLI caches TUF metadata under the temporary folder: one of the test's own.
      TMPDIR: tempDir('sign-release-cli-tmp-'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)))
  return { code, stdout, stderr }
}

/** `verify-release` of a stand-in release, trusting the stack's Sigstore instance, as JSON. */
export function verifyReleaseArgs(
  stack: Stack,
  release: { owner: string; repo: string; tagName: string },
  identity: string,
): string[] {
  return [
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
  ]
}
