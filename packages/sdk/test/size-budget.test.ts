// Bytes have a budget (docs/architecture.md code habit 9): build the bundles as shipped and gzip them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS, buildSdk, type BuildResult } from '../build/build-sdk.js';

// The head's ratchet: today's size plus a little room; it may only go down. Issue 4's 8 KB is not
// met: core's decision path alone (conditions, bucketing, consent gating, decide) is 7.2 KB gzip
// of it, and verify, storage, rendering with the sanitiser and reporting the rest
// (docs/performance.md, "Browser SDK size"). No skipped placeholder stands for the unmet target:
// a skipped test in CI hides work; the gap is tracked on issue 4 instead.
// Raised once, from 15,200, when decide learned per-audience bandit segments (issue 5): choosing a
// segment's split is decide's job, so its ~210 B gzip cannot move to the lazy chunk.
// Raised again, by 1,330, when `$regex` moved off RegExp onto core's linear-time matcher (issue 11,
// item 7): a signed snapshot is no proof against ReDoS, so the head must carry the safe matcher.
// Raised by 1,070 (16,630 → 17,700) for one round's work, each step measured on its own commit
// (gzip sizes do not add exactly): ≈+200 B one visitor identity end to end (reporting under the
// server-issued credentials, issue 10 defect 1); ≈+200 B "Why?" only for a decision worth
// explaining, placed inside its slot (issue 10 defect 5); ≈+440 B verifying the cached snapshot
// before use (issue 11 item 6) with the refused-origin probe, the missing-key warning and
// `data-candor-ask`; ≈+140 B the 'candor' Trusted Types policy and a UI handoff that DOM
// clobbering cannot reach (issue 11 item 13); ≈+40 B each for the matcher above its own raise and
// the site's language choice. Each is a head job: it runs before first paint or without the UI.
// Then by 60 (→ 17,760) when driving the journeys showed visits left uncounted: a report now leaves
// in the same task when the page goes and a conversion is sent at once, and a slot seen before the
// server issued the visitor's id is counted once it arrives (issue 10 defect 1).
// Then by 50 (→ 17,810) when CI caught a conversion attributed to one experience of four: the click
// came before the observer's callback for slots the visitor's id had just enrolled, so a conversion
// now counts the slots on screen first (≈+60 B, measured on its own commit).
// Then by 30 (→ 17,840) when makeDecision was split into a frame and per-slot outcomes so each
// branch reads as one rule (issue 13 item 6): +22 B of names the minifier cannot shorten. The
// boot/engine split of issue 17 is where the head shrinks for real.
// Then by 20 (→ 17,860; measured 17,832 → 17,855) for the React bindings (issue 14 item 2): a
// `decisions` event on every re-decision and `candor.why(slot)`, so components that render slots
// themselves follow consent and answers and open the same lazy "Why?" dialog as the chips.
// Then by 320 (→ 18,190 with the React bindings' 20 and 10 for the two merged; measured 17,832 → 18,154 on its own, 18,181 together) for consent sources (issue 15 items 1–3): the
// head only reads `data-consent-source`, loads `candor-consent.js` when it (or the site settings'
// source in the snapshot) is set, records a CMP answer when it changes, skips its own prompt, and
// under GPC/DNT treats a CMP's answer like "Accept all"; every adapter lives in that lazy chunk.
// Then by 380 (→ 18,570; measured 18,181 → 18,568) for re-consent when purposes change (issue 15
// item 5): core's `purposesToAsk`, the consent machine keeping each answer's text version and
// denying a changed purpose until it is answered (both run before first paint, to decide), the
// background refresh using a snapshot that changed a purpose at once (≈+40 B: the old answer must
// stop counting on this page view, not the next), and the head reloading the snapshot to ask again
// when the ledger answers 409 for a stale text. The UI chunk's share (the re-ask sentence) was
// paid for by lending it the head's `addStyles`.
// Then by 1,940 (→ 20,510; measured 18,181 → 20,104 on its own branch, 20,506 together with
// re-consent) for Candor's visitor cookie in the browser (issue 14): core's one cookie format
// (the strict decoder, the golden-rule filter), the attributes shared with @candor/node, and the
// newer-choice merge that also clears what an adopted refusal disallows. A head job: a server-recorded choice must be read before the first
// decision. The head hands core the platform's base64url (`btoa`, `TextDecoder`; property-tested
// against core's) instead of carrying core's own, which saved 434 B of an otherwise 2,350 B raise.
// Then by 100 (→ 20,610; measured 20,506 → 20,604) when @candor/node's request path was profiled
// (issue 14 bench): core's cookie decoder builds its per-snapshot lookups once and decodes
// base64url without intermediate strings. Both run in the head too, so the head carries them.
// Then by 110 (→ 20,730; measured 18,181 → 18,295 on its own commit, 20,723 with the above) for
// the visual editor (issue 16 item 1): the head reads `#candor-editor=<token>`, checks its shape and
// claimed expiry, and only then adds `<script src=candor-editor.js>`; the overlay itself lives in that bundle, never in the head.
// Then, measured on their own branch from 18,181 (together with all the above: → 23,620, measured 23,611): by 2,530 (18,181 → 20,704) for visual-editor page changes and split-URL
// tests (issue 16 items 2–5), all of which must run before first paint: ≈+1,000 B applying the seven
// change ops with exact undo and the re-render budget; ≈+600 B the redirect (query carry-over,
// loop-guard marker, same-page refusal); ≈+300 B page patterns on the linear matcher; ≈+200 B hiding
// what a cached snapshot changes until decided; ≈+150 B the landing page's "Why?" sentence, lent to
// the UI chunk by the engine so that chunk stays inside its fixed budget (15,307 → 15,356).
// and by 330 (20,704 → 21,041) for questions placed without code (issue 16
// item 4): matching a placement's pages, its limits per page and per visit, and placing the
// question's container (≈+310 B; the question itself is the UI chunk's existing `ask`), and hiding
// only page changes' selectors on a cached visit, never a placed question's anchor (≈+30 B).
// Then by 90 (→ 23,710; measured 23,611 → 23,698) when React-rendered slots turned out never to be
// measured (an A/B test with no exposures and so no conversions): `candor.expose(slot, element)`
// watches an element a framework rendered as the head watches its own slots and counts it among
// the slots on screen before a conversion; and a visual-editor link now keeps the head from
// applying page changes or redirecting, so the editor's own copy of a variant is the only one.
// Then by 280 (→ 23,990; measured 23,707 → 23,986) for a "Why?" a visitor can reach on a page the
// visual editor changed, with no site code (issue 16): the page slot has no element, so the head
// keeps the slot chip in its own wrapper (`data-candor-page-why`) after the first element the
// changes hold (past Candor's inserts, outside a link, put back when the page drops it, removed by
// undo, never beside <html>, <body> or in <head>), and after the heading of a split-URL test's
// landing page. A head job: the changes it sits beside are the head's; the chip opens the UI
// chunk's existing "Why?" dialog, which therefore grows by nothing.
// Then by 10 (→ 24,000; measured 23,986 → 23,997) when the browser's and @candor/node's two copies
// of the cookie-string reader became core's one `cookieValue`: the module boundary costs the bytes.
const HEAD_RATCHET = 24_000;

describe('SDK size budget (gzip -9)', { timeout: 60_000 }, () => {
  let built: BuildResult;
  beforeAll(async () => {
    built = await buildSdk(mkdtempSync(join(tmpdir(), 'candor-size-')));
  });

  it(`keeps candor-ui.js (the lazy UI) within issue 4's ${BUDGETS.ui} B`, () => {
    expect(built.ui.gzip).toBeLessThanOrEqual(BUDGETS.ui);
  });
  it(`keeps candor-editor.js (the visual editor) within its own ${BUDGETS.editor} B`, () => {
    expect(built.editor.gzip).toBeLessThanOrEqual(BUDGETS.editor);
  });
  it('keeps the editor overlay out of the head (visitors only pay for the #candor-editor check)', () => {
    for (const file of ['editor/overlay.ts', 'editor/selector.ts', 'editor/editor-api.ts', 'editor/strings.ts'])
      expect(shipped(built.head.inputs, file), file).toBe(false);
    expect(shipped(built.editor.inputs, 'editor/overlay.ts')).toBe(true);
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
  it('keeps every consent-source adapter out of the head (they load only where a page declares one)', () => {
    for (const file of ['connect-source.ts', 'tcf-source.ts', 'gpp-source.ts', 'klaro-source.ts', 'purpose-grants.ts'])
      expect(shipped(built.head.inputs, file), file).toBe(false);
    expect(shipped(built.consent.inputs, 'consent-sources/connect-source.ts')).toBe(true);
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
