import { defineConfig } from 'vitest/config';

// Timed checks kept out of `npm test` (they measure the machine): npm run bench:engine
export default defineConfig({
  test: { include: ['bench/**/*.test.ts'], pool: 'forks', maxWorkers: 1, testTimeout: 120_000 },
});
