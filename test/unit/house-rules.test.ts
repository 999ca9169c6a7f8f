// The layout's rules (.dependency-cruiser.cjs, scripts/check-layout.mjs), which npm run lint checks:
// this repository's src/ keeps them, and a tree that breaks each one fails.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { tempDir } from '../support/temp.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs')
const cruise = (cwd: string) =>
  spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'),
      'src',
      '--config',
      CONFIG,
    ],
    { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
  )

it("passes this repository's src/", () => {
  const result = cruise(ROOT)
  expect(result.stdout).toContain('no dependency violations found')
  expect(result.status).toBe(0)
})

it('fails a circle of type-only imports, the verifier loading the signer, and a stage reaching forward', () => {
  const root = tempDir('sign-release-house-')
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    }),
    // A circle made of type-only imports.
    'src/signer/run/items.ts':
      "import type { Plan } from '../run/outcome.js'\nexport type Item = { plan?: Plan }\n",
    'src/signer/run/outcome.ts':
      "import type { Item } from './items.js'\nexport type Plan = { items: Item[] }\n",
    // The consumer's verifier reaching into the signer.
    'src/verifier/check.ts':
      "import type { Item } from '../signer/run/items.js'\nexport const check = (i: Item) => i\n",
    // An earlier stage reading from a later one.
    'src/signer/plan/plan.ts':
      "import { sign } from '../sign/sign.js'\nexport const plan = () => sign()\n",
    'src/signer/sign/sign.ts': 'export const sign = () => 1\n',
    // util/ reaching up.
    'src/util/helper.ts': "import { check } from '../verifier/check.js'\nexport const h = check\n",
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), text)
  }
  const result = cruise(root)
  expect(result.status).not.toBe(0)
  for (const rule of [
    'no-circular',
    'verifier-not-signer',
    'stage-order-plan',
    'util-at-the-bottom',
  ]) {
    expect(result.stdout).toContain(`error ${rule}:`)
  }
})

it('fails two files of one name in src/, and a file over 250 lines', () => {
  const root = tempDir('sign-release-layout-')
  mkdirSync(path.join(root, 'src/signer/plan'), { recursive: true })
  mkdirSync(path.join(root, 'src/verifier'), { recursive: true })
  writeFileSync(path.join(root, 'src/signer/plan/trust.ts'), 'export {}\n')
  writeFileSync(path.join(root, 'src/verifier/trust.ts'), 'export {}\n'.repeat(251))
  const check = (dir: string) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-layout.mjs'), dir], {
      encoding: 'utf8',
    })
  const bad = check(path.join(root, 'src'))
  expect(bad.status).toBe(1)
  expect(bad.stderr).toContain('trust.ts names 2 files')
  expect(bad.stderr).toMatch(/verifier\/trust\.ts: 251 lines, over 250/)
  const good = check(path.join(ROOT, 'src'))
  expect(good.stderr).toBe('')
  expect(good.status).toBe(0)
})
