import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    environment: 'node',
    // CDK synthesis with esbuild bundling is slow on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    restoreMocks: true,
  },
});
