import { it } from 'vitest';

// A worker that stops answering: its event loop is blocked, so no per-test timeout can fire. The
// wait is bounded so the orphaned worker ends by itself after the watchdog has ended the run.
it('blocks its worker', () => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15_000);
});
