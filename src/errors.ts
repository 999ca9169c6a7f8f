// Errors a user can act on, and how any thrown value is turned into a message.

/** A problem with the user's setup or inputs: the message says what to do. */
export class UserError extends Error {
  override name = 'UserError'
}

/** Names the input in the message, so a user knows which line of the workflow to fix. */
export class InputError extends UserError {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input '${input}': ${message}`)
  }
}

/** The message of a thrown value, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The message of an error and each of its causes, one per line. */
export function describeError(error: unknown): string {
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 6; depth++) {
    if (current instanceof Error) {
      // Wrappers often repeat their cause's message; say each thing once.
      if (!lines.some((line) => line.includes(current instanceof Error ? current.message : ''))) {
        lines.push(depth === 0 ? current.message : `caused by: ${current.message}`)
      }
      current = current.cause
    } else {
      lines.push(depth === 0 ? String(current) : `caused by: ${String(current)}`)
      current = undefined
    }
  }
  return lines.join('\n')
}

/**
 * A failure's cause in a few words, for a table cell: the innermost answer
 * that names an HTTP status (without the server's body), or the first line,
 * and how many tries it took (`HTTP 500 from HOST after 4 attempts`).
 */
export function shortCause(error: unknown): string {
  let attempts: number | undefined
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 6; depth++) {
    const tries = (current as { attempts?: unknown } | null)?.attempts
    if (attempts === undefined && typeof tries === 'number') attempts = tries
    lines.push((current instanceof Error ? current.message : String(current)).split('\n')[0] ?? '')
    current = current instanceof Error ? current.cause : undefined
  }
  const line = [...lines].reverse().find((l) => /\bHTTP \d{3}\b/.test(l)) ?? lines[0] ?? ''
  // "downloading NAME failed: HTTP 500 from HOST: <the server's page>" -> "HTTP 500 from HOST"
  let cause = line.replace(/^.*? failed: /, '')
  const answered = /^(.*?\bHTTP \d{3} from [^\s]+?)(?=: |$)/.exec(cause)
  if (answered?.[1]) cause = answered[1]
  if (attempts !== undefined) cause += ` after ${attempts} attempts`
  return cause.length > 160 ? `${cause.slice(0, 159)}…` : cause
}
