import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/cleanup.ts', 'test/support/workflow-commands.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The end-to-end suites each run the bundled action as a child process;
    // two workers match the two cores these machines have.
    maxWorkers: 2,
    // In CI, also write a machine-readable report that .ci/run summarises.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.vitest-report.json' }]]
      : ['default'],
  },
})
