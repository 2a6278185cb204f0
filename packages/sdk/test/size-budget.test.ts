// Bytes have a budget (STYLE.md habit 9): build the bundles as shipped and gzip them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS, buildSdk, type BuildResult } from '../build/build-sdk.js';

// The head's ratchet: today's size plus a little room; it may only go down. Issue 4's 8 KB is not
// met: core's decision path alone (conditions, bucketing, consent gating, decide) is 5.3 KB gzip
// of it, and verify, storage, rendering with the sanitiser and reporting the rest
// (docs/performance.md, "Browser SDK size"). No skipped placeholder stands for the unmet target:
// a skipped test in CI hides work; the gap is tracked on issue 4 instead.
// Raised once, from 15,200, when decide learned per-audience bandit segments (issue 5): choosing a
// segment's split is decide's job, so its ~210 B gzip cannot move to the lazy chunk.
const HEAD_RATCHET = 15_300;

describe('SDK size budget (gzip -9)', { timeout: 60_000 }, () => {
  let built: BuildResult;
  beforeAll(async () => {
    built = await buildSdk(mkdtempSync(join(tmpdir(), 'candor-size-')));
  });

  it(`keeps candor-ui.js (the lazy UI) within issue 4's ${BUDGETS.ui} B`, () => {
    expect(built.ui.gzip).toBeLessThanOrEqual(BUDGETS.ui);
  });
  it(`keeps candor.js (the <head> part) within its ratchet, ${HEAD_RATCHET} B`, () => {
    expect(built.head.gzip).toBeLessThanOrEqual(HEAD_RATCHET);
  });

  // What keeps the sizes down, checked by the source files that put bytes in each bundle.
  const shipped = (inputs: readonly string[], file: string): boolean => inputs.some((path) => path.endsWith(file));
  it('leaves snapshot validation and the ReDoS scan to the server (the head decides a signed snapshot)', () => {
    expect(shipped(built.head.inputs, 'core/src/decide/decide.ts')).toBe(true);
    for (const file of ['validate-snapshot.ts', 'regex-safety.ts', 'validate-visitor-state.ts'])
      expect(shipped(built.head.inputs, file), file).toBe(false);
  });
  it('keeps the ledger client out of the head', () => {
    expect(shipped(built.head.inputs, 'consent/ledger.ts')).toBe(false);
  });
  it("explains on the head's engine: the UI chunk ships no second copy of core's decision path", () => {
    expect(shipped(built.ui.inputs, 'core/src/explain/explain.ts')).toBe(true);
    for (const file of ['decide/decide.ts', 'compile-condition.ts', 'prepare-snapshot.ts', 'visible-profile.ts'])
      expect(shipped(built.ui.inputs, file), file).toBe(false);
  });
});
