// Debugging the action on a laptop: @github/local-action runs the TypeScript
// source (src/action.ts's run()) with the toolkit stubbed and inputs from a
// .env, against the offline stack; `npm run stack` writes that .env and stops
// with its children on Ctrl-C or SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { runCli } from '../support/cli.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
} from '../support/fixtures.js'
import { writeLocalActionEnv } from '../support/local-action-env.js'
import { tempDir } from '../support/temp.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

/** `npx local-action . src/action.ts <env file>`, from the repository root, as the README says. */
async function localAction(envFile: string): Promise<string> {
  const { code, stdout, stderr } = await runCli(stack, [envFile], {
    entry: ['npx', '--no', 'local-action', '.', 'src/action.ts'],
    cwd: ROOT,
  })
  const output = stdout + stderr
  // local-action exits 0 even when the action fails: the log says how it went.
  expect(code, output).toBe(0)
  return stripVTControlCharacters(output)
}

describe('@github/local-action', () => {
  it('runs the source: a dry run, then a real run whose bundles verify', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/local-action' })
    const release = await seedRelease(stack, { claims, assets: { 'tool.tar.gz': 'the tool' } })
    const event = releaseEvent(release)

    const dry = writeLocalActionEnv(stack, {
      claims,
      dir: tempDir('sign-release-local-dry-'),
      event,
      inputs: { 'dry-run': 'true' },
    })
    const dryLog = await localAction(dry.file)
    expect(dryLog).not.toContain('::error::')
    expect(dryLog).toContain('Dry run: the release was not changed.')
    expect(release.assets.map((a) => a.name)).toEqual(['tool.tar.gz'])

    const real = writeLocalActionEnv(stack, { claims, dir: tempDir('sign-release-local-'), event })
    const log = await localAction(real.file)
    expect(log).not.toContain('::error::')
    expect(log).toContain('attached tool.tar.gz.sigstore.json')
    expect(log).toMatch(/Action Outputs/)
    expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toEqual([
      'tool.tar.gz',
    ])
  }, 120_000)
})

describe('npm run stack', () => {
  /** Starts `npm run stack` and waits until it says it is up. */
  async function startByHand(): Promise<{ child: ChildProcess; output: () => string }> {
    const child = spawn('npm', ['run', 'stack'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal gives a command: Ctrl-C signals the whole group.
      detached: true,
    })
    let output = ''
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString()
    })
    const deadline = Date.now() + 60_000
    while (!output.includes('Press Ctrl-C to stop.')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(output)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return { child, output: () => output }
  }

  it.each([
    ['SIGTERM to npm alone, as a process manager sends it', 'SIGTERM'],
    ['Ctrl-C, to the whole process group', 'SIGINT'],
  ] as const)(
    'writes a ready .env and hands out tokens; %s stops it all',
    async (_, signal) => {
      const { child, output } = await startByHand()
      const text = output()
      const envFile = /A \.env for @github\/local-action: (\S+)/.exec(text)?.[1] ?? ''
      const api = /^ {2}api +(\S+)$/m.exec(text)?.[1] ?? ''
      expect(text).toMatch(
        /job_workflow_ref +octo-org\/octo-repo\/\.github\/workflows\/release\.yml@refs\/tags\/v1\.0\.0/,
      )
      const env = readFileSync(envFile, 'utf8')
      for (const name of [
        'INPUT_GITHUB-TOKEN',
        'INPUT_TUF-MIRROR',
        'INPUT_TUF-ROOT',
        'INPUT_DRY-RUN',
        'GITHUB_REPOSITORY',
        'RUNNER_TEMP',
        'ACTIONS_ID_TOKEN_REQUEST_URL',
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      ]) {
        expect(env).toMatch(new RegExp(`^${name}="`, 'm'))
      }
      // A token for the job: the request token in the .env gets one.
      const requestUrl = JSON.parse(/^ACTIONS_ID_TOKEN_REQUEST_URL=(.*)$/m.exec(env)?.[1] ?? '""')
      const requestToken = JSON.parse(
        /^ACTIONS_ID_TOKEN_REQUEST_TOKEN=(.*)$/m.exec(env)?.[1] ?? '""',
      )
      const answer = await fetch(`${requestUrl}&audience=sigstore`, {
        headers: { authorization: `Bearer ${requestToken}` },
      })
      expect(answer.status).toBe(200)
      expect(((await answer.json()) as { value?: string }).value).toMatch(/^eyJ/)

      if (signal === 'SIGINT') process.kill(-(child.pid as number), 'SIGINT')
      else child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
      // Its servers are gone, and so are its files.
      const deadline = Date.now() + 10_000
      let down = false
      while (!down && Date.now() < deadline) {
        down = await fetch(api).then(
          () => false,
          () => true,
        )
        if (!down) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(down, 'the stack stopped').toBe(true)
      expect(existsSync(envFile)).toBe(false)
    },
    90_000,
  )
})
