// Entry point: the one place that reads the runner's environment and inputs,
// and the one place that turns a failure into a failed step.
import { readFileSync } from 'node:fs'
import { debug, getInput, setFailed, setSecret } from '@actions/core'
import { readContext } from './context.js'
import { describeError } from './errors.js'
import { parseInputs } from './inputs.js'
import { run } from './main.js'

/** sigstore-js reports its HTTP traffic as process 'log' events (proc-log). */
function forwardSigstoreLog(level: string, ...args: unknown[]): void {
  if (level === 'http') debug(`sigstore: ${args.map(String).join(' ')}`)
}

async function main(): Promise<void> {
  process.on('log', forwardSigstoreLog)
  try {
    const inputs = parseInputs((name) => getInput(name))
    setSecret(inputs.token)
    const eventPath = process.env.GITHUB_EVENT_PATH
    const event = eventPath ? JSON.parse(readFileSync(eventPath, 'utf8')) : {}
    await run(inputs, readContext(process.env, event))
  } catch (error) {
    setFailed(describeError(error))
  } finally {
    process.off('log', forwardSigstoreLog)
  }
}

await main()
