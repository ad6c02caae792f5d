import { defineConfig } from 'vitest/config';

// One test command for the whole repository. Tests use the real Redis and PostgreSQL of the
// machine and PGlite; each file creates (and removes) its own database and Redis prefix.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'shared/src/**/*.test.ts',
            'api/src/**/*.test.ts',
            'bot/src/**/*.test.ts',
            'emulators/src/**/*.test.ts',
            'moderation-ui/src/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/browser/**', 'tests/timing/**'],
        },
      },
      {
        // Tests that assert a latency (a login's p99 under a flood): `npm test` runs them after
        // the others, alone, so the other files' load cannot decide them.
        extends: true,
        test: {
          name: 'timing',
          include: ['tests/timing/**/*.test.ts'],
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
