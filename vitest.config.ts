import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // BOB_TEST_DB=postgres: one PostgreSQL cluster for the run (test/setup/database.ts).
    globalSetup: ['test/setup/database.ts'],
    // Two cores: run files in parallel, but not more than the machine can carry.
    maxWorkers: 2,
    reporters: ['default', './test/reporters/summary.ts'],
  },
});
