import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@candor/source'] },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'spec/**/*.test.ts'],
    setupFiles: ['test-support/fail-on-console.ts'],
    allowOnly: false,
  },
});
