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
import { rmSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'

rmSync('dist', { recursive: true, force: true })
await build({
  entryPoints: ['src/index.ts'],
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
  external: ['iconv-lite'],
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
// dist/ is ESM whatever the package.json beside it says.
writeFileSync('dist/package.json', '{ "type": "module" }\n')
