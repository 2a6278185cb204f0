import { defineConfig } from 'vitest/config';

// Runs the two fixtures the stall watchdog's own test needs: one that finishes, one whose worker wedges.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.fixture.ts'],
    // Both at once, so the one that finishes is seen finishing while the other is wedged.
    maxWorkers: 2,
    // The pool the project's own runs use (vitest.config.ts).
    pool: 'threads',
    reporters: ['default', '../stall-watchdog.ts'],
  },
});
