// The action: the one place that reads the runner's environment and inputs,
// and the one place that turns a failure into a failed step. src/index.ts runs
// it as the runner does; @github/local-action imports this module and calls
// run() (docs/development.md).
import { readFileSync } from 'node:fs'
import { debug, getInput, setFailed, setSecret, warning } from '@actions/core'
import { describeError, messageOf, UserError } from './errors.js'
import { readContext } from './signer/setup/context.js'
import { parseInputs } from './signer/setup/inputs.js'
import { WAIT_SCALE, WAIT_SCALE_VARIABLE } from './util/wait.js'

/** sigstore-js reports its HTTP traffic as process 'log' events (proc-log). */
function forwardSigstoreLog(level: string, ...args: unknown[]): void {
  if (level === 'http') debug(`sigstore: ${args.map(String).join(' ')}`)
}

export async function run(): Promise<void> {
  process.on('log', forwardSigstoreLog)
  if (WAIT_SCALE !== 1) {
    warning(
      `${WAIT_SCALE_VARIABLE}=${WAIT_SCALE}: every back-off and Retry-After wait is shortened. ` +
        'This is a development setting for the test suite; remove it from the workflow.',
    )
  }
  try {
    const inputs = parseInputs((name) => getInput(name))
    setSecret(inputs.token)
    const event = readEvent(process.env.GITHUB_EVENT_PATH)
    // Imported only now: @actions/github parses the event file as it loads,
    // and would throw a bare SyntaxError at a broken one before this try.
    const { run } = await import('./signer/main.js')
    await run(inputs, readContext(process.env, event))
  } catch (error) {
    setFailed(describeError(error))
  } finally {
    process.off('log', forwardSigstoreLog)
  }
}

function readEvent(eventPath: string | undefined): object {
  if (!eventPath) return {}
  try {
    return JSON.parse(readFileSync(eventPath, 'utf8')) as object
  } catch (error) {
    throw new UserError(
      `The event payload at GITHUB_EVENT_PATH (${eventPath}) could not be read as JSON: ${messageOf(error)}. ` +
        'The runner writes this file; re-run the job.',
    )
  }
}
