#!/usr/bin/env node
// The command line, for the people who download a release (docs/cli.md):
//   sign-release verify-bundle   one bundle, with the sigstore-conformance client's flags
//   sign-release verify-release  every asset of a GitHub release against its bundle
// Exit 0 when everything verifies; 1 with one line saying why when not; 2 for
// a command line that cannot be run.
import { describeError } from './errors.js'
import {
  type Command,
  commandHelp,
  PROGRAM,
  parseCommand,
  programHelp,
  UsageError,
} from './verifier/cli/args.js'
import { verifyBundleCli } from './verifier/cli/verify-bundle-command.js'
import { verifyReleaseCli } from './verifier/cli/verify-release-command.js'

/** Set by the build from package.json; a run from source says so. */
declare const SIGN_RELEASE_VERSION: string | undefined
const VERSION = typeof SIGN_RELEASE_VERSION === 'string' ? SIGN_RELEASE_VERSION : 'development'

const COMMANDS: Command[] = [verifyBundleCli, verifyReleaseCli]

async function main(argv: string[]): Promise<number> {
  const [first, ...args] = argv
  if (first === '--version') {
    console.log(`${PROGRAM} ${VERSION}`)
    return 0
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    console.log(programHelp(COMMANDS, VERSION))
    return 0
  }
  const command = COMMANDS.find((c) => c.name === first)
  if (!command) {
    throw new UsageError(
      first
        ? `unknown command '${first}'; the commands are ${COMMANDS.map((c) => c.name).join(' and ')}`
        : 'no command given',
    )
  }
  const { values, positionals, help } = parseCommand(command, args)
  if (help) {
    console.log(commandHelp(command))
    return 0
  }
  return command.run(values, positionals)
}

/**
 * The GitHub adapter logs through @actions/core, which writes workflow
 * commands to stdout. Outside a runner they are noise: debug lines are
 * dropped, and warnings go to stderr as plain text.
 */
function translateWorkflowCommands(): void {
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    if (text.startsWith('::debug::')) return true
    const warning = /^::warning[^:]*::(.*)/s.exec(text)
    if (warning) return process.stderr.write(`warning: ${warning[1]}`)
    return write(chunk, ...(rest as []))
  }) as typeof process.stdout.write
}

translateWorkflowCommands()
try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  const usage = error instanceof UsageError
  console.error(
    `${usage ? 'usage error' : 'error'}: ${describeError(error).split('\n').join('; ')}`,
  )
  if (usage) {
    const command = COMMANDS.find((c) => c.name === process.argv[2])
    console.error(`See '${PROGRAM} ${command ? `${command.name} ` : ''}--help'.`)
  }
  process.exitCode = usage ? 2 : 1
}
