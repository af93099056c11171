import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fake platform servers and child processes need more than the 5 s default on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Both cores: the default (cores - 1) runs one file at a time on a 2-core CI machine.
    maxWorkers: 2,
  },
});
