// Reading single input values: the getter every parser takes, booleans, and
// service URLs. Shared by the run's and the Sigstore inputs' parsers.
import { InputError } from './errors.js'
import { serviceUrlProblem } from './util/service-url.js'

/** Reads an input by name, as @actions/core's getInput does; tests pass a plain map. */
export type Getter = (name: string) => string

/** `true` or `false`; empty (a caller that applies no defaults) is `fallback`. */
export function bool(get: Getter, name: string, fallback = false): boolean {
  const raw = get(name).trim().toLowerCase()
  if (raw === '') return fallback
  if (raw === 'false') return false
  if (raw === 'true') return true
  throw new InputError(name, `must be true or false, not '${get(name).trim()}'.`)
}

/** A service URL, without trailing slashes; https, or plain http on this machine only. */
export function url(get: Getter, name: string): string | undefined {
  const raw = get(name).trim()
  if (!raw) return undefined
  const problem = serviceUrlProblem(raw)
  if (problem) throw new InputError(name, problem)
  return raw.replace(/\/+$/, '')
}
