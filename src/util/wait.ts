// Every wait the action chooses goes through here: the back-off between
// attempts, a wait a server asked for (Retry-After), a poll interval. Time
// limits (request timeouts, idle timeouts) do not: they guard against a
// service that stopped answering, and stay as they are.
//
// SIGN_RELEASE_WAIT_SCALE is a development-only setting (docs/development.md):
// a factor between 0 and 1 that shortens every such wait, so the test suite
// can exercise hundreds of retries without sleeping through them. What a
// wait is decided from (how long a server asked for, the longest the action
// accepts) is never scaled, so every decision and message stays the same.

/** The development setting that shortens waits; unset in any real workflow. */
export const WAIT_SCALE_VARIABLE = 'SIGN_RELEASE_WAIT_SCALE'

function readScale(value: string | undefined): number {
  if (value === undefined || value === '') return 1
  const scale = Number(value)
  if (!(scale > 0 && scale <= 1)) {
    throw new Error(`${WAIT_SCALE_VARIABLE} must be a number above 0 and at most 1, not '${value}'`)
  }
  return scale
}

/** 1 unless the development setting shortens waits. */
export const WAIT_SCALE = readScale(process.env[WAIT_SCALE_VARIABLE])

/** A wait of `ms` as this process takes it. */
export function scaled(ms: number): number {
  return ms * WAIT_SCALE
}

/** Waits `ms` (scaled by the development setting). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, scaled(ms)))
}
