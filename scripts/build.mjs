// Bundles the action into dist/ with esbuild: one ESM entry, and the workflow
// artifact and TUF clients split into chunks loaded only when needed.
//
// The code is minified so dist/ stays under 3 MB (about 5 MB unminified;
// most of it is the artifact client's Azure SDK and undici). Names are kept,
// so error names and stack frames stay meaningful, and linked source maps
// (mappings only, without the sources) map stack traces back to src/ and
// node_modules/ in a checkout: run with NODE_OPTIONS=--enable-source-maps.
// `npm run check-dist` proves dist/ is built from this commit's sources.
// NO_MINIFY=1 builds readable code, for profiling; never commit that build.
//
// dist/licenses.txt holds the licence text of every third-party package in
// the bundle, taken from esbuild's list of the files it bundled; the build
// fails when a bundled package has no licence text to ship. The same list is
// the bundle's SBOM, dist/sign-release.cdx.json, which each release attaches.
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { getProjectLicenses } from 'generate-license-file'

/**
 * @actions/artifact downloads artifacts with unzip-stream, whose dependency
 * `buffers` states no licence. This action only uploads artifacts, so the
 * download path is left out of the bundle and fails loudly if ever reached.
 */
const noArtifactDownloads = {
  name: 'no-artifact-downloads',
  setup(b) {
    b.onResolve({ filter: /^unzip-stream$/ }, () => ({ path: 'unzip-stream', namespace: 'stub' }))
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        "export default { Extract() { throw new Error('sign-release does not download workflow artifacts') } }",
      loader: 'js',
    }))
  },
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8'))
/** What the release attaches as the SBOM of the bundle (release.yml's sbom input). */
const SBOM_FILE = 'dist/sign-release.cdx.json'

rmSync('dist', { recursive: true, force: true })
const result = await build({
  // The CLI's --version.
  define: { SIGN_RELEASE_VERSION: JSON.stringify(manifest.version) },
  metafile: true,
  plugins: [noArtifactDownloads],
  entryPoints: ['src/index.ts', 'src/cli.ts', 'src/verify-action.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'external',
  // minipass-fetch loads iconv-lite (0.5 MB) inside a try/catch, only for
  // Response.textConverted(), which nothing here calls.
  // debug loads supports-color inside a try/catch, for coloured terminal
  // output; the Actions log has no use for it.
  external: ['iconv-lite', 'supports-color'],
  logLevel: 'warning',
  minify: !process.env.NO_MINIFY,
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: false,
  // Bundled CommonJS dependencies call require() and read __dirname. The
  // banner starts every chunk, and some ESM dependencies declare their own
  // __filename, so the path globals are set on globalThis, not declared.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      "import { dirname as __pathDirname } from 'node:path';",
      'const require = __createRequire(import.meta.url);',
      'globalThis.__filename ??= __fileURLToPath(import.meta.url);',
      'globalThis.__dirname ??= __pathDirname(globalThis.__filename);',
    ].join('\n'),
  },
})
// dist/ is ESM whatever the package.json beside it says. It is also the
// command line's npm package: the bundle needs no dependencies, so consumers
// install only these files (docs/cli.md; RELEASE.md publishes it).
writeFileSync('dist/package.json', `${JSON.stringify(cliPackage(manifest), null, 2)}\n`)
copyFileSync('docs/cli.md', 'dist/README.md')
copyFileSync('LICENSE', 'dist/LICENSE')
const bundled = bundledPackages(result.metafile)
writeFileSync('dist/licenses.txt', await licenceFile(bundled))
writeFileSync(SBOM_FILE, `${JSON.stringify(sbomOf(manifest, bundled), null, 2)}\n`)

/**
 * `name@version` of every package whose code is in the bundle: each package
 * esbuild took a file from, and each one that a bundled file had already
 * inlined itself (its source map names their sources, so the bundle's do).
 */
function bundledPackages(metafile) {
  /** `name@version` → the package's manifest. */
  const found = new Map()
  const files = Object.keys(metafile.inputs)
  for (const map of Object.keys(metafile.outputs).filter((f) => f.endsWith('.map'))) {
    const { sources } = JSON.parse(readFileSync(map, 'utf8'))
    files.push(...sources.map((s) => path.relative('.', path.join(path.dirname(map), s))))
  }
  for (const file of files) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(file)
    if (!match) continue
    // An inlined package's path is where it was when its host package was
    // built; here it may sit at the top of node_modules instead. Some maps
    // point at TypeScript sources outside any package: those are skipped.
    const dir = [match[1], `node_modules/${match[2]}`].find((d) => existsSync(`${d}/package.json`))
    if (!dir) continue
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
    found.set(`${manifest.name}@${manifest.version}`, manifest)
  }
  return found
}

async function licenceFile(bundled) {
  const covered = new Set()
  const sections = []
  // buffers (under unzip-stream) states no licence, and is left out of the bundle (see above).
  for (const licence of await getProjectLicenses('./package.json', { exclude: ['buffers'] })) {
    const packages = licence.dependencies.filter((d) => bundled.has(d)).sort()
    if (packages.length === 0) continue
    for (const p of packages) covered.add(p)
    sections.push(`${packages.join('\n')}\n\n${licence.content.trim()}\n`)
  }
  const missing = [...bundled.keys()].filter((p) => !covered.has(p)).sort()
  if (missing.length > 0) {
    throw new Error(`No licence text found for bundled package(s): ${missing.join(', ')}`)
  }
  const head =
    `Third-party software in this bundle (${bundled.size} packages) and its licences.\n` +
    'Generated by scripts/build.mjs from the files esbuild bundled, with generate-license-file.\n'
  // generate-license-file's order varies from run to run; check-dist needs one.
  sections.sort()
  return [head, ...sections].join(`\n${'-'.repeat(72)}\n\n`)
}

/**
 * The SBOM of what dist/ bundles, for the action's users (the release
 * attaches and attests it): CycloneDX 1.5, one component per bundled
 * package, as in dist/licenses.txt. No time stamp, and a serial number made
 * from the content, so the same sources build the same file (check-dist).
 */
function sbomOf(root, bundled) {
  const purl = (name, version) =>
    `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`
  const components = [...bundled.values()]
    .map((m) => ({
      type: 'library',
      'bom-ref': purl(m.name, m.version),
      name: m.name,
      version: m.version,
      purl: purl(m.name, m.version),
      ...(typeof m.license === 'string' ? { licenses: [{ expression: m.license }] } : {}),
    }))
    .sort((a, b) => (a.purl < b.purl ? -1 : 1))
  const body = {
    metadata: {
      component: {
        type: 'application',
        'bom-ref': 'sign-release',
        name: root.name,
        version: root.version,
        description: 'The sign-release GitHub Action and command line, as bundled in dist/',
        licenses: [{ expression: root.license }],
      },
      tools: {
        components: [{ type: 'application', name: 'scripts/build.mjs (esbuild metafile)' }],
      },
    },
    components,
  }
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex')
  const uuid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${((Number.parseInt(hash.slice(16, 17), 16) & 3) | 8).toString(16)}${hash.slice(17, 20)}-${hash.slice(20, 32)}`
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${uuid}`,
    version: 1,
    ...body,
  }
}

/** The npm package of the command line, published from dist/. */
function cliPackage(root) {
  return {
    name: root.name,
    version: root.version,
    description: 'Verify release assets signed with Sigstore by the sign-release GitHub Action.',
    license: root.license,
    repository: root.repository,
    type: 'module',
    bin: { 'sign-release': 'cli.js' },
    // The action's entries and source maps are not needed to run the CLI.
    files: ['cli.js', 'chunks/*.js', 'licenses.txt', 'sign-release.cdx.json'],
    engines: root.engines,
  }
}
