// Which URLs a token or a signature may be sent to: https anywhere, and plain
// http only to this machine, so that a token never crosses a network in clear.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Why `raw` is not a usable service URL, or undefined when it is. */
export function serviceUrlProblem(raw: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    return `'${raw}' is not a URL. Give an https:// URL.`
  }
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname)) {
    return `'${raw}' uses plain http, which is allowed only for services on this machine (localhost). Use https://.`
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return `'${raw}' is not an https:// URL.`
  }
  return undefined
}
