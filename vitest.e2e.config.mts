import { defineConfig } from 'vitest/config';

// Browser tests: the built renderer in Debian's Chromium against browser mode (engine under Node).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
