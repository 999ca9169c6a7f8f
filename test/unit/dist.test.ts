// The bundle as the runner loads it. Lazy chunks (the artifact client, TUF)
// are imported only on some runs, so a broken one would otherwise go unseen:
// each must load, and each must export the names the source takes from it.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const DIST = path.join(ROOT, 'dist')
const CHUNKS = path.join(DIST, 'chunks')

const chunkFiles = readdirSync(CHUNKS).filter((f) => f.endsWith('.js'))
/** The action, the CLI and the verify action. */
const ENTRIES = ['index.js', 'cli.js', 'verify-action.js'].map((f) => path.join(DIST, f))

/** Every `const { a, b } = await import('x')` in src/, with the file it is in. */
function lazyImportsInSource(): { file: string; specifier: string; names: string[] }[] {
  const found: { file: string; specifier: string; names: string[] }[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(full, 'utf8')
        for (const m of text.matchAll(/const \{([^}]+)\} = await import\('([^']+)'\)/g)) {
          const names = (m[1] ?? '').split(',').map((n) => n.trim().split(':')[0]?.trim() ?? '')
          found.push({ file: full, specifier: m[2] ?? '', names: names.filter(Boolean) })
        }
      }
    }
  }
  walk(path.join(ROOT, 'src'))
  return found
}

/** The chunks that the bundle imports dynamically, with the sources each one holds. */
function dynamicChunks(): { file: string; sources: string[] }[] {
  const bundled = [...ENTRIES, ...chunkFiles.map((f) => path.join(CHUNKS, f))]
  const targets = new Set<string>()
  for (const file of bundled) {
    for (const m of readFileSync(file, 'utf8').matchAll(/import\("(\.{1,2}\/[^"]+)"\)/g)) {
      targets.add(path.resolve(path.dirname(file), m[1] ?? ''))
    }
  }
  return [...targets].map((file) => {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }
    return { file, sources: map.sources.map((s) => path.resolve(path.dirname(file), s)) }
  })
}

/** The chunk that holds a lazily imported module: our own file, or a package's files. */
function chunkFor(lazy: { file: string; specifier: string }): string | undefined {
  const source = lazy.specifier.startsWith('.')
    ? path.resolve(path.dirname(lazy.file), lazy.specifier).replace(/\.js$/, '.ts')
    : undefined
  const packageDir = `${path.join(ROOT, 'node_modules', lazy.specifier)}${path.sep}`
  const chunks = dynamicChunks()
  const matches = chunks.filter((c) =>
    c.sources.some((s) => (source ? s === source : s.startsWith(packageDir))),
  )
  if (matches.length === 1) return matches[0]?.file
  // A module that is also imported statically (the CLI imports the GitHub
  // client) stays in a shared chunk; esbuild then gives the dynamic import a
  // chunk of its own, named after the module, that re-exports from it.
  const named = source
    ? chunks.filter((c) => path.basename(c.file).startsWith(`${path.basename(source, '.ts')}-`))
    : []
  return named.length === 1 ? named[0]?.file : undefined
}

/**
 * What Node's own import makes of each chunk, in a process of its own as the
 * runner loads the bundle (vitest's module runner would transform the chunks
 * and read their source maps on the way): the names it exports with a
 * defined value, or why it did not load.
 */
function loadInNode(files: string[]): Map<string, { names?: string[]; error?: string }> {
  const script = `
    const results = {}
    for (const file of JSON.parse(process.argv[1])) {
      try {
        const mod = await import(new URL('file://' + file).href)
        results[file] = { names: Object.keys(mod).filter((k) => mod[k] !== undefined) }
      } catch (error) {
        results[file] = { error: String(error) }
      }
    }
    process.stdout.write(JSON.stringify(results))`
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script, JSON.stringify(files)],
    {
      encoding: 'utf8',
    },
  )
  return new Map(Object.entries(JSON.parse(out)))
}
const loaded = loadInNode(chunkFiles.map((f) => path.join(CHUNKS, f)))

it.each(chunkFiles)('dist/chunks/%s loads', (file) => {
  const result = loaded.get(path.join(CHUNKS, file))
  expect(result?.error).toBeUndefined()
  expect(result?.names).toBeDefined()
})

describe('lazy imports', () => {
  const lazyImports = lazyImportsInSource()

  it('are found in the source (the scan below checks something)', () => {
    expect(lazyImports.map((l) => l.specifier).sort()).toEqual([
      '../../github/release-reader.js',
      '../../sigstore/tuf.js',
      '../check-whole-release.js',
      './github/release-reader.js',
      './signer/main.js',
      './tuf.js',
      './tuf.js',
      './verifier/check-whole-release.js',
      '@actions/artifact',
    ])
  })

  it.each(lazyImports.map((l) => [l.specifier, l] as const))(
    "import('%s') in the bundle exports every name the source takes from it",
    async (_, lazy) => {
      const chunk = chunkFor(lazy)
      expect(chunk, `one dynamically imported chunk should hold ${lazy.specifier}`).toBeDefined()
      const exported = loaded.get(chunk as string)?.names ?? []
      for (const name of lazy.names) {
        expect(exported, `${path.basename(chunk as string)} exports ${name}`).toContain(name)
      }
    },
  )
})

describe('dist/licenses.txt', () => {
  it('holds the licence of every package the bundle takes code from', () => {
    const licences = readFileSync(path.join(DIST, 'licenses.txt'), 'utf8')
    const maps = [...ENTRIES, ...chunkFiles.map((f) => path.join(CHUNKS, f))].map((f) => `${f}.map`)
    const packages = new Set<string>()
    for (const map of maps) {
      for (const source of JSON.parse(readFileSync(map, 'utf8')).sources as string[]) {
        const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(source)?.[1]
        // Some packages' own maps point at their TypeScript sources, under no package.
        if (name && existsSync(path.join(ROOT, 'node_modules', name, 'package.json')))
          packages.add(name)
      }
    }
    expect(packages.size).toBeGreaterThan(50)
    const missing = [...packages].filter(
      (name) => !new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@`, 'm').test(licences),
    )
    expect(missing).toEqual([])
  })
})

describe('dist/sign-release.cdx.json', () => {
  it('is an SBOM the action attests, listing every package dist/licenses.txt names', async () => {
    const { sbomTypeOf } = await import('../../src/sbom-statement.js')
    const sbom = JSON.parse(readFileSync(path.join(DIST, 'sign-release.cdx.json'), 'utf8'))
    expect(sbomTypeOf(sbom)).toEqual({
      format: 'cyclonedx',
      predicateType: 'https://cyclonedx.org/bom',
    })
    const licences = readFileSync(path.join(DIST, 'licenses.txt'), 'utf8')
    const count = Number(/\((\d+) packages\)/.exec(licences)?.[1])
    expect(sbom.components).toHaveLength(count)
    for (const c of sbom.components as { name: string; version: string }[])
      expect(licences).toContain(`${c.name}@${c.version}`)
  })
})
