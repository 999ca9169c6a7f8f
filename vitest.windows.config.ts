import { defineConfig } from 'vitest/config'

// The Windows lane (npm run test:windows): the bundled action under Node 24
// for Windows, run by Wine; scripts/windows-lane.sh makes the machine.
export default defineConfig({
  test: {
    include: ['test/windows/**/*.test.ts'],
    globalSetup: ['test/windows/global-setup.ts'],
    setupFiles: ['test/support/cleanup.ts', 'test/support/workflow-commands.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Wine's server serves one prefix: one file at a time keeps it calm.
    maxWorkers: 1,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.vitest-windows-report.json' }]]
      : ['default'],
  },
})
