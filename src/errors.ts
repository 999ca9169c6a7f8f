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
