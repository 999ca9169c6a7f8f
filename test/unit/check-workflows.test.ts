// scripts/check-workflows.mjs, which .ci/run runs beside actionlint.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { tempDir } from '../support/temp.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const check = (root: string) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-workflows.mjs'), root], {
    encoding: 'utf8',
  })

it("passes this repository's workflows and action metadata", () => {
  const result = check(ROOT)
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
})

it('names each unpinned uses:, each missing version comment, missing permissions and bad metadata', () => {
  const root = tempDir('sign-release-wf-')
  mkdirSync(path.join(root, '.github/workflows'), { recursive: true })
  writeFileSync(
    path.join(root, '.github/workflows/ci.yml'),
    [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020',
      '      - uses: ./',
      '',
    ].join('\n'),
  )
  writeFileSync(
    path.join(root, 'action.yml'),
    'name: x\ndescription: y\ninputs:\n  tag:\n    default: ""\nruns:\n  using: node20\n  main: dist/index.js\n',
  )
  const result = check(root)
  expect(result.status).toBe(1)
  expect(result.stderr).toContain('.github/workflows/ci.yml:6: actions/checkout@v4 is not pinned')
  expect(result.stderr).toContain(
    'ci.yml:7: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 has no version comment',
  )
  expect(result.stderr).not.toContain('ci.yml:8')
  expect(result.stderr).toContain('.github/workflows/ci.yml: no top-level permissions')
  expect(result.stderr).toContain('action.yml: input tag has no description')
  expect(result.stderr).toContain('action.yml: runs.using is node20')
})
