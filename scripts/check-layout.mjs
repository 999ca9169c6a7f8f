// The layout rules dependency-cruiser cannot state (.dependency-cruiser.cjs
// states the rest): no two files in src/ share a name, and no file grows past
// 250 lines. Run by npm run lint.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const MAX_LINES = 250
const root = process.argv[2] ?? 'src'
const byName = new Map()
const problems = []
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(full)
    else if (entry.name.endsWith('.ts')) {
      byName.set(entry.name, [...(byName.get(entry.name) ?? []), full])
      const lines = readFileSync(full, 'utf8').split('\n').length - 1
      if (lines > MAX_LINES)
        problems.push(`${full}: ${lines} lines, over ${MAX_LINES}; split it by role`)
    }
  }
}
walk(root)
for (const [name, files] of byName) {
  if (files.length > 1)
    problems.push(
      `${name} names ${files.length} files: ${files.join(', ')}; name each for its role`,
    )
}
if (problems.length > 0) {
  console.error(problems.join('\n'))
  process.exit(1)
}
console.log(
  `layout: ${[...byName.values()].flat().length} files in ${root}, each name once, none over ${MAX_LINES} lines`,
)
