import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Suites that must run alone (`npm run test:exclusive`): they stop shared services, such as the
// PostgreSQL cluster every other suite uses, so they are excluded from `npm test`.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/server/test/faults-exclusive/**/*.test.ts'],
    exclude: [],
    fileParallelism: false,
  },
});
