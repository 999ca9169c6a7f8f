// Runs the bundled dist/index.js as the Actions runner does: inputs as
// INPUT_* variables (hyphens kept, defaults from action.yml applied), the
// GITHUB_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
// RUNNER_TEMP, and the OIDC request variables. Like the runner, it handles
// ::add-mask:: commands and shows the log with registered secrets masked.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { WAIT_SCALE_VARIABLE } from '../../src/util/wait.js'
import type { Stack } from '../stack/index.js'
import type { JobClaims } from '../stack/oidc.js'
import { tempDir } from './temp.js'
import { WINE_ENV, type WindowsLane, windowsCommand, windowsPath } from './windows.js'

/** The wait scale every run of the action gets unless a test sets its own. */
export const TEST_WAIT_SCALE = '0.01'

/** Where the action's runs keep Node's compiled code for the next run: a folder a test file, removed after it. */
let compileCache: string | undefined
function compileCacheDir(): string {
  if (!compileCache || !existsSync(compileCache))
    compileCache = tempDir('sign-release-compile-cache-')
  return compileCache
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const ACTION_ENTRY = path.join(ROOT, 'dist/index.js')
/** The verify action: its metadata and its entry. */
export const VERIFY_ACTION = {
  metadata: path.join(ROOT, 'verify/action.yml'),
  entry: path.join(ROOT, 'dist/verify-action.js'),
}
export const CLI_ENTRY = path.join(ROOT, 'dist/cli.js')

/**
 * The Sigstore instance a run is pointed at. Every run names one, so no
 * default can go untested:
 * - `stack`: the stack's Fulcio, Rekor v1 and TSA given by URL
 *   (`fulcio-url`, `rekor-url`, `tsa-url`), trusted through its
 *   trusted_root.json file (`trusted-root`);
 * - `stack-tuf`: only the stack's TUF repository (`tuf-mirror` and
 *   `tuf-root`): the trusted root and the services both come from it, through
 *   its signing config, exactly as the default path takes them from Sigstore's;
 * - `production`: no Sigstore inputs at all, as in the README's Quick start;
 * - `staging`: `staging: true` and nothing else.
 * The last two can reach nothing beyond the stack: the egress proxy refuses.
 */
export type SigstoreTarget = 'stack' | 'stack-tuf' | 'production' | 'staging'

export interface RunOptions {
  stack: Stack
  sigstore: SigstoreTarget
  inputs?: Record<string, string>
  /** GITHUB_EVENT_NAME; default 'release'. */
  eventName?: string
  /** The webhook payload written to GITHUB_EVENT_PATH. */
  event?: unknown
  /** Written to GITHUB_EVENT_PATH as it is, instead of `event`. */
  rawEvent?: string
  claims: JobClaims
  /** Leave out the OIDC variables, as when id-token: write is missing. */
  noIdToken?: boolean
  /** Offer the Actions artifact service (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL). */
  artifactService?: boolean
  env?: Record<string, string>
  /** Wrap the process, e.g. ['/usr/bin/time', '-v'] for resource accounting. */
  wrapper?: string[]
  /** Timestamp each signature (default true): tsa-url for `stack`, timestamp: false otherwise. */
  tsa?: boolean
  /** GITHUB_WORKSPACE, and the step's working directory; default an empty folder of the run's own. */
  workspace?: string
  /** Another action of this repository to run, such as VERIFY_ACTION; default the signer. */
  action?: { metadata: string; entry: string }
  /** Run as a Windows runner does: node.exe under Wine (test/support/windows.ts). */
  windows?: WindowsLane
  /**
   * The workflow run (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT): by default a run of
   * its own, attempt 1. The stack's GitHub knows it as in progress while the
   * action runs, and as completed once it exits.
   */
  run?: { id: string; attempt: number }
}

export interface RunResult {
  exitCode: number
  /** The log as the runner shows it: commands handled, secrets masked. */
  log: string
  /** Everything the process wrote, unprocessed. */
  rawOutput: string
  outputs: Record<string, string>
  summary: string
  runnerTemp: string
  wallMs: number
}

/** The Sigstore inputs a workflow would write for each target. */
export function sigstoreInputs(
  stack: Stack,
  target: SigstoreTarget,
  withTsa = true,
): Record<string, string> {
  const noTimestamp: Record<string, string> = withTsa ? {} : { timestamp: 'false' }
  if (target === 'production') return noTimestamp
  if (target === 'staging') return { staging: 'true', ...noTimestamp }
  if (target === 'stack-tuf') {
    return { 'tuf-mirror': stack.tuf.server.url, 'tuf-root': stack.tufRootPath, ...noTimestamp }
  }
  return {
    'fulcio-url': stack.fulcio.server.url,
    'rekor-url': stack.rekor.server.url,
    ...(withTsa ? { 'tsa-url': stack.tsa.server.url } : {}),
    'trusted-root': stack.trustedRootPath,
  }
}

/** Defaults declared in action.yml (or another action's metadata), as the runner applies them. */
export function actionDefaults(
  token: string,
  metadata = path.join(ROOT, 'action.yml'),
  repository = '',
): Record<string, string> {
  const yml = readFileSync(metadata, 'utf8')
  const section = yml.split(/^inputs:\n/m)[1]?.split(/^\S/m)[0] ?? ''
  const defaults: Record<string, string> = {}
  let current = ''
  for (const line of section.split('\n')) {
    const name = /^ {2}([a-z0-9-]+):\s*$/.exec(line)?.[1]
    if (name) current = name
    const value = /^ {4}default:\s*(.*)$/.exec(line)?.[1]
    if (current && value !== undefined) {
      const unquoted = value.trim().replace(/^(['"])(.*)\1$/, '$2')
      defaults[current] = unquoted
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the runner's expression syntax
        .replace('${{ github.token }}', token)
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the runner's expression syntax
        .replace('${{ github.repository }}', repository)
    }
  }
  return defaults
}

let runSerial = 0

/**
 * What the runner gives the action's step: its inputs as INPUT_* variables
 * (every input, defaults from the metadata applied), the GITHUB_* variables,
 * RUNNER_TEMP, and the OIDC request variables. @github/local-action's .env
 * holds the same (test/support/local-action-env.ts).
 */
export function jobEnvironment(
  options: Omit<RunOptions, 'env' | 'wrapper'>,
  paths: {
    eventFile: string
    runnerTemp: string
    workspace: string
    run: { id: string; attempt: number }
  },
): Record<string, string> {
  const { stack, claims } = options
  const inputs = {
    ...actionDefaults(stack.github.token, options.action?.metadata, claims.repository),
    ...(options.action ? {} : sigstoreInputs(stack, options.sigstore, options.tsa ?? true)),
    ...options.inputs,
  }
  const env: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: stack.github.urls.api,
    GITHUB_SERVER_URL: stack.github.serverUrl,
    GITHUB_GRAPHQL_URL: `${stack.github.urls.api}/graphql`,
    GITHUB_REPOSITORY: claims.repository,
    GITHUB_REPOSITORY_OWNER: claims.repository.split('/')[0] ?? '',
    GITHUB_REF: claims.ref,
    GITHUB_SHA: claims.sha,
    GITHUB_EVENT_NAME: options.eventName ?? claims.event_name,
    GITHUB_EVENT_PATH: paths.eventFile,
    GITHUB_WORKFLOW_REF: claims.workflow_ref,
    GITHUB_WORKFLOW: 'Release',
    GITHUB_RUN_ID: paths.run.id,
    GITHUB_RUN_ATTEMPT: String(paths.run.attempt),
    RUNNER_TEMP: paths.runnerTemp,
    GITHUB_WORKSPACE: paths.workspace,
    RUNNER_OS: 'Linux',
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  if (options.artifactService) {
    env.ACTIONS_RUNTIME_TOKEN = stack.results.runtimeToken
    env.ACTIONS_RESULTS_URL = `${stack.results.server.url}/`
  }
  if (!options.noIdToken) {
    env.ACTIONS_ID_TOKEN_REQUEST_URL = stack.oidc.requestUrl
    // The token names this run, as GitHub's does.
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = stack.oidc.registerJob({
      run_id: paths.run.id,
      run_attempt: String(paths.run.attempt),
      ...claims,
    })
  }
  return env
}

export async function runAction(options: RunOptions): Promise<RunResult> {
  const { stack } = options
  runSerial += 1
  const run = options.run ?? { id: String(process.pid * 1000 + runSerial), attempt: 1 }
  // Lives until the end of the test file, so tests can inspect it.
  const temp = tempDir('sign-release-run-')
  const runnerTemp = path.join(temp, 'runner-temp')
  const outputFile = path.join(temp, 'output')
  const summaryFile = path.join(temp, 'summary')
  const eventFile = path.join(temp, 'event.json')
  const workspace = options.workspace ?? path.join(temp, 'workspace')
  mkdirSync(workspace, { recursive: true })
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, options.rawEvent ?? JSON.stringify(options.event ?? {}))

  const lane = options.windows
  // A Windows runner gives drive paths.
  const given = (p: string) => (lane ? windowsPath(p) : p)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    ...jobEnvironment(options, {
      eventFile: given(eventFile),
      runnerTemp: given(runnerTemp),
      workspace: given(workspace),
      run,
    }),
    GITHUB_OUTPUT: given(outputFile),
    GITHUB_STEP_SUMMARY: given(summaryFile),
    ...stack.egress.env(),
    // Back-off and Retry-After waits at a hundredth (docs/development.md); a
    // test of the waits themselves passes its own value in `env`.
    [WAIT_SCALE_VARIABLE]: TEST_WAIT_SCALE,
    // Hundreds of runs load the same bundle: Node keeps its compiled code
    // between them (a runner loads it once a job, so the action sets none).
    ...(lane ? {} : { NODE_COMPILE_CACHE: compileCacheDir() }),
    ...(lane ? { ...WINE_ENV, RUNNER_OS: 'Windows' } : {}),
    ...options.env,
  }
  mkdirSync(runnerTemp, { recursive: true })

  const entry = options.action?.entry ?? ACTION_ENTRY
  const [command, ...args] = lane
    ? windowsCommand(lane, entry)
    : [...(options.wrapper ?? []), process.execPath, entry]
  // Under Wine, Node's standard output must be a file (a pipe gives EBADF).
  const logFile = path.join(temp, 'log')
  const logFd = lane ? openSync(logFile, 'w') : undefined
  const started = Date.now()
  stack.github.state.workflowRuns.set(run.id, 'in_progress')
  // GitHub's windows pass as this run's waits do: an hour of its limits in 36 s at a hundredth.
  stack.github.limits.scale = Number(env[WAIT_SCALE_VARIABLE])
  const child = spawn(command as string, args, {
    env,
    cwd: workspace,
    stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
  })
  let rawOutput = ''
  child.stdout?.on('data', (d: Buffer) => {
    rawOutput += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    rawOutput += d.toString()
  })
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code) => resolve(code ?? 1)),
  )
  if (logFd !== undefined) {
    closeSync(logFd)
    rawOutput = readFileSync(logFile, 'utf8').replaceAll('\r\n', '\n')
  }
  const wallMs = Date.now() - started
  stack.github.state.workflowRuns.set(run.id, 'completed')

  return {
    exitCode,
    log: asRunnerShows(rawOutput, [env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, env.ACTIONS_RUNTIME_TOKEN]),
    rawOutput,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8').replaceAll('\r\n', '\n')),
    summary: readFileSync(summaryFile, 'utf8').replaceAll('\r\n', '\n'),
    runnerTemp,
    wallMs,
  }
}

/** The runner masks its own secrets, and every value registered with ::add-mask::. */
function asRunnerShows(raw: string, runnerSecrets: (string | undefined)[]): string {
  const masks = runnerSecrets.filter((s): s is string => Boolean(s))
  const lines: string[] = []
  for (const line of raw.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line)?.[1]
    if (mask !== undefined) {
      masks.push(mask)
      continue
    }
    lines.push(masks.reduce((l, m) => (m ? l.split(m).join('***') : l), line))
  }
  return lines.join('\n')
}

/** Parses the GITHUB_OUTPUT file (name<<delimiter ... delimiter blocks). */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (head?.[1] && head[2]) {
      const body: string[] = []
      for (i++; i < lines.length && lines[i] !== head[2]; i++) body.push(lines[i] ?? '')
      outputs[head[1]] = body.join('\n')
    } else {
      const simple = /^([^=]+)=(.*)$/.exec(lines[i] ?? '')
      if (simple?.[1]) outputs[simple[1]] = simple[2] ?? ''
    }
  }
  return outputs
}

/** The verify action, as a downstream workflow's job runs it (on a push). */
export function runVerifyAction(
  options: Pick<RunOptions, 'stack' | 'claims' | 'inputs'>,
): Promise<RunResult> {
  return runAction({ ...options, sigstore: 'stack', action: VERIFY_ACTION, eventName: 'push' })
}
