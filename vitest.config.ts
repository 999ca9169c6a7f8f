import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Windows and verifiers lanes have their own commands and configurations
    // (vitest.windows.config.ts, vitest.verifiers.config.ts).
    exclude: ['test/windows/**', 'test/verifiers/**', 'node_modules/**'],
    setupFiles: ['test/support/cleanup.ts', 'test/support/workflow-commands.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The end-to-end suites each run the bundled action as a child process,
    // and wait on it: three workers keep two cores busy (116 s for the whole
    // suite here, against 136 s with two).
    maxWorkers: 3,
    // In CI, also write a machine-readable report that .ci/run summarises.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.vitest-report.json' }]]
      : ['default'],
  },
})
