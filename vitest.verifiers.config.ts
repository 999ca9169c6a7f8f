import { defineConfig } from 'vitest/config'

// The verifiers lane (npm run test:verifiers): cosign and sigstore-go, from
// Debian's packages (scripts/verifiers-lane.sh), check what the bundled action
// signs on the offline stack.
export default defineConfig({
  test: {
    include: ['test/verifiers/**/*.test.ts'],
    setupFiles: ['test/support/cleanup.ts', 'test/support/workflow-commands.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.vitest-verifiers-report.json' }]]
      : ['default'],
  },
})
