import { defineConfig } from 'vitest/config';
import path from 'node:path';

/** Unit tests of the benchmark's pure parts: `npx vitest run --config bench/vitest.config.mts`. */
const root = path.resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  resolve: {
    alias: {
      '@': root,
      'server-only': path.resolve(root, 'lib/testing/server-only-stub.ts'),
    },
  },
  test: {
    include: ['bench/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20000,
  },
});
