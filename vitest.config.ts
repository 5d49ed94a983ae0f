import { defineConfig } from 'vitest/config';

// Integration suites start real servers (aedes, influxd, redis, chromium): keep parallelism
// modest so a 2-core machine runs them without flakiness.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Installs (root) or names (otherwise) the Debian packages the suite starts: influxd, redis, …
    globalSetup: ['test/setup/system.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
