import { defineConfig } from 'vitest/config';

// Workspace packages resolve to each other's TypeScript source through the `@candor/source`
// export condition, in the browser-like and the Node (SSR) resolvers alike.
const conditions = ['@candor/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@candor/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'spec/**/*.test.ts', 'e2e/**/*.test.ts'],
    setupFiles: ['test-support/fail-on-console.ts'],
    allowOnly: false,
  },
});
