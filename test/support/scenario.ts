// Shared helpers for end-to-end tests: what is on a release, and what each
// stand-in server saw during one run.
import type { Stack } from '../stack/index.js'

/** Names of the assets on a release, sorted. */
export function assetNames(stack: Stack, releaseId: number): string[] {
  return (stack.github.state.release(releaseId)?.assets ?? []).map((a) => a.name).sort()
}

/** How many requests each server has seen so far, to measure one run. */
export function requestMarks(stack: Stack): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stack.servers).map(([name, s]) => [name, s.requests.length]),
  )
}

/** Requests a server saw since the marks were taken. */
export function requestsSince(
  stack: Stack,
  marks: Record<string, number>,
  server: keyof Stack['servers'],
) {
  return stack.servers[server].requests.slice(marks[server] ?? 0)
}
