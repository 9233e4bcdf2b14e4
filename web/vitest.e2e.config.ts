import { defineConfig } from 'vitest/config'

/**
 * End-to-end tests: start the real server binary and drive Debian's chromium through
 * playwright-core. One file at a time, one thread, generous timeouts.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // A page under CI load (the PostgreSQL suite runs beside the browser) can take more than
    // expect.poll's default second to render; every poll waits up to 10 s.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', 'json'],
    outputFile: { json: process.env.VITEST_E2E_JSON || 'test-results/e2e.json' },
  },
})
