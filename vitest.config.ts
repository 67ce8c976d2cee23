import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'models/**/*.test.ts'],
    environment: 'node',
    // Server tests start real server processes; two cores do not gain from more parallel files.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
