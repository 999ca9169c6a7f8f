// Shared set-up for end-to-end tests: a stack, and the inputs that point the
// action at its Sigstore stand-ins.
import type { Stack } from '../stack/index.js'

/** Inputs for a custom Sigstore instance: the stack's Fulcio, Rekor, TSA and trusted root. */
export function stackSigstoreInputs(stack: Stack, withTsa = true): Record<string, string> {
  return {
    'fulcio-url': stack.fulcio.server.url,
    'rekor-url': stack.rekor.server.url,
    ...(withTsa ? { 'tsa-url': stack.tsa.server.url } : {}),
    'trusted-root': stack.trustedRootPath,
  }
}

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
