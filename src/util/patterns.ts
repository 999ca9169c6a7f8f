// Selects asset names with shell-style patterns; a leading `!` excludes.
import path from 'node:path'

export function matchesPatterns(name: string, patterns: readonly string[]): boolean {
  const includes = patterns.filter((p) => !p.startsWith('!'))
  const excludes = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))
  const included = includes.length === 0 || includes.some((p) => path.matchesGlob(name, p))
  return included && !excludes.some((p) => path.matchesGlob(name, p))
}

/** An input's list: one item per line or comma-separated, blanks dropped. */
export function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean)
}
