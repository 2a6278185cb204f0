import { configDefaults, defineConfig } from 'vitest/config';

// Workspace packages resolve to each other's TypeScript source through the `@candor/source`
// export condition, in the browser-like and the Node (SSR) resolvers alike.
// Vite's own defaults follow; 'import' must not be forced, or a CommonJS dependency that
// requires another (pg → pg-pool) would receive its ESM wrapper.
const conditions = ['@candor/source', 'module', 'browser', 'development|production'];
const ssrConditions = ['@candor/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'spec/**/*.test.ts',
      'e2e/**/*.test.ts',
      'bench/calibration/**/*.test.ts',
      'test-support/**/*.test.ts',
    ],
    // Suites that stop shared services run alone: `npm run test:exclusive` (vitest.faults.config.ts).
    exclude: [...configDefaults.exclude, 'packages/server/test/faults-exclusive/**'],
    // Worker threads, not forked processes: under forks a worker now and then finished its file but its
    // "finished" message never arrived, and the run waited forever (docs/reliability.md).
    pool: 'threads',
    setupFiles: ['test-support/fail-on-console.ts'],
    // A wedged worker would otherwise hold the run forever, silently (test-support/stall-watchdog.ts).
    reporters: ['default', './test-support/stall-watchdog.ts'],
    allowOnly: false,
  },
});
