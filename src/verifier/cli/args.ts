// The command line's grammar: each command declares its flags once, and both
// its parser and its --help are made from that declaration, so they cannot
// drift. Node's parseArgs reads the tokens; the checks and the messages are
// ours, because its own name no command and quote unevenly.
import { parseArgs } from 'node:util'
import { UserError } from '../../errors.js'

/** A command line that cannot be run as given. */
export class UsageError extends UserError {
  override name = 'UsageError'
}

export interface Flag {
  name: string
  /** What the value stands for (FILE, URL...); a flag without one is a switch. */
  value?: string
  help: string
  /** What applies when the flag is not given, as help shows it. */
  default?: string
}

export interface Command {
  name: string
  summary: string
  /** Usage lines, after the program's name. */
  usage: string[]
  flags: Flag[]
  /** The one positional argument, if the command takes one. */
  positional?: { name: string; help: string }
  /** Environment variables the command reads. */
  env: { name: string; help: string }[]
  run(values: Values, positionals: string[]): Promise<number>
}

export type Values = Record<string, string | boolean | undefined>

export const PROGRAM = 'sign-release'
const HELP_FLAG: Flag = { name: 'help', help: 'Show this help and exit.' }

/** The flags and positionals of `args`, checked against the command's declaration. */
export function parseCommand(
  command: Command,
  args: string[],
): { values: Values; positionals: string[]; help: boolean } {
  const flags = [...command.flags, HELP_FLAG]
  const { tokens } = parseArgs({
    args,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: {
      ...Object.fromEntries(
        flags.map((f) => [f.name, { type: f.value ? ('string' as const) : ('boolean' as const) }]),
      ),
      help: { type: 'boolean', short: 'h' },
    },
  })
  const values: Values = {}
  const positionals: string[] = []
  let help = false
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value)
    if (token.kind !== 'option') continue
    if (token.name === 'help') {
      help = true
      continue
    }
    const flag = flags.find((f) => f.name === token.name)
    if (!flag) throw new UsageError(`${command.name} has no option ${token.rawName}`)
    if (flag.value && token.value === undefined) {
      throw new UsageError(`${token.rawName} needs a value (${flag.value})`)
    }
    if (!flag.value && token.value !== undefined) {
      throw new UsageError(`${token.rawName} is a switch and takes no value`)
    }
    if (flag.value && token.value === '') throw new UsageError(`${token.rawName} is empty`)
    values[flag.name] = token.value ?? true
  }
  if (!help) {
    const allowed = command.positional ? 1 : 0
    if (positionals.length > allowed) {
      const extra = positionals.slice(allowed).join(' ')
      throw new UsageError(
        allowed
          ? `${command.name} takes one ${command.positional?.name}, and got more: ${extra}`
          : `${command.name} takes no positional argument, and got: ${extra}`,
      )
    }
  }
  return { values, positionals, help }
}

/** `--help` for one command: usage, what it does, every flag with its default, and its environment. */
export function commandHelp(command: Command): string {
  const rows = (items: [string, string][]) => {
    const width = Math.max(...items.map(([left]) => left.length))
    const indent = ' '.repeat(width + 4)
    return items.map(([left, right]) =>
      wrap(right, Math.max(HELP_WIDTH - indent.length, 40))
        .map((line, i) => (i === 0 ? `  ${left.padEnd(width)}  ${line}` : `${indent}${line}`))
        .join('\n'),
    )
  }
  const flagRows = [...command.flags, { ...HELP_FLAG, name: 'help, -h' }].map(
    (f): [string, string] => [
      `--${f.name}${f.value ? ` ${f.value}` : ''}`,
      `${f.help}${f.default ? ` Default: ${f.default}.` : ''}`,
    ],
  )
  return [
    `${PROGRAM} ${command.name}: ${command.summary}`,
    '',
    'Usage:',
    ...command.usage.map((u) => `  ${PROGRAM} ${u}`),
    '',
    ...(command.positional
      ? ['Arguments:', ...rows([[command.positional.name, command.positional.help]]), '']
      : []),
    'Options:',
    ...rows(flagRows),
    '',
    'Environment:',
    ...rows(command.env.map((e) => [e.name, e.help])),
    '',
    'Exit status: 0 when everything verifies, 1 when something does not (one line says why),',
    '2 for a command line that cannot be run.',
  ].join('\n')
}

/** Help lines wrap at this width, the way most terminals are at least as wide. */
const HELP_WIDTH = 100

/** `text` in lines of at most `width` characters, broken at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return [...lines, line]
}

/** `--help` for the program: its commands. */
export function programHelp(commands: Command[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    `${PROGRAM} ${version}: verify release assets signed with Sigstore by the sign-release action.`,
    '',
    'Usage:',
    `  ${PROGRAM} <command> [options]`,
    `  ${PROGRAM} <command> --help`,
    `  ${PROGRAM} --version`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n')
}
