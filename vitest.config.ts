import { defineConfig } from 'vitest/config';

// Three projects: unit tests are pure and fast; integration tests need the local mail stack
// (deploy/stack/up.sh, started by test/run-all.sh); browser tests also need the built SPA
// and Debian's chromium. Integration and browser suites share one stack, so they run
// file-by-file rather than in parallel workers that would trample each other's users.
// Their expect.poll waits on real mail, amavisd and a browser: the default 1 s is shorter than
// a release through amavisd takes on a busy two-core machine, so they wait up to 10 s (a poll
// still ends as soon as its value is right).
const REAL_PARTS_POLL = { poll: { timeout: 10_000, interval: 50 } };
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          expect: REAL_PARTS_POLL,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          expect: REAL_PARTS_POLL,
        },
      },
    ],
  },
});
