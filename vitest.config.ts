import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own servers and worker processes; two cores do not take more.
    fileParallelism: true,
    maxWorkers: 4,
    isolate: false,
  },
});
