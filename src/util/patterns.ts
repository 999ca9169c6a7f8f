// Selects asset names with shell-style patterns; a leading `!` excludes.
// GitHub's asset names are case-sensitive whatever the runner, so one pattern
// selects the same assets everywhere. (path.matchesGlob, which wraps the same
// minimatch, folds case on Windows and macOS and reads `\` as a separator
// on Windows; here neither happens.)
import { minimatch } from 'minimatch'

const OPTIONS = {
  nocase: false,
  platform: 'linux',
  nonegate: true,
  nocomment: true,
  optimizationLevel: 2,
} as const

export function matchesPatterns(name: string, patterns: readonly string[]): boolean {
  const match = (p: string) => minimatch(name, p, OPTIONS)
  const includes = patterns.filter((p) => !p.startsWith('!'))
  const excludes = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))
  const included = includes.length === 0 || includes.some(match)
  return included && !excludes.some(match)
}

/** An input's list: one item per line or comma-separated, blanks dropped. */
export function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean)
}
