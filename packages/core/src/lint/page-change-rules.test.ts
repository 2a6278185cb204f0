import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { draftWith, experience, text } from '../../test/lint-draft-fixtures.js';
import type { LocalizedText, PageChange, SlotContent, UrlMatch } from '../types.js';
import { lint, type LintDraft } from './lint.js';

// What a visitor would read is judged the same whether a developer put it in a slot or a marketer
// typed it into the visual editor as a page change.

const draftShowing = (content: SlotContent): LintDraft =>
  draftWith({
    experiences: [
      experience('hero-dev', {
        variants: [
          { id: 'default', name: 'Default', content: {} },
          { id: 'dev', name: 'Developer hero', content: { 'page:hero-dev': content } },
        ],
      }),
    ],
  });

/** A finding as the author meets it, minus where in the variant it points. */
const verdicts = (draft: LintDraft) =>
  lint(draft)
    .map((finding) => `${finding.code}|${finding.severity}|${finding.category ?? '-'}`)
    .sort();

const sensitive: readonly LocalizedText[] = [
  text('Expecting a baby? Our plan covers your pregnancy.', '其他'),
  text('Welcome', '懷孕了嗎？我們的方案照顧您。'),
  text('Managing your diabetes is easier with us.', '歡迎'),
  text('Living with depression? Talk to us.', '歡迎'),
];
const asChange = (localized: LocalizedText): fc.Arbitrary<PageChange> =>
  fc.constantFrom<PageChange>(
    { op: 'text', selector: 'h1', text: localized },
    { op: 'html', selector: 'h1', html: { en: `<b>${localized.en}</b>`, 'zh-Hant': `<b>${localized['zh-Hant']}</b>` } },
    { op: 'insert', selector: 'h1', position: 'after', html: localized },
    { op: 'image', selector: 'img', src: '/a.png', alt: localized },
  );

describe('the linter reads page changes as it reads slot content', () => {
  it('flags a health or pregnancy text typed as a page change exactly as in a slot', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sensitive).chain((localized) => fc.tuple(fc.constant(localized), asChange(localized))),
        ([localized, change]) => {
          const inSlot = verdicts(draftShowing({ type: 'text', text: localized }));
          expect(inSlot.some((verdict) => verdict.startsWith('variant_sensitive_content'))).toBe(true);
          expect(verdicts(draftShowing({ type: 'changes', changes: [change] }))).toEqual(inSlot);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('warns about unsafe HTML in a page change as it does in slot HTML', () => {
    const payload = text('<img src=x onerror="alert(1)">Hi', '<script>alert(1)</script>嗨');
    const inSlot = verdicts(draftShowing({ type: 'html', html: payload }));
    expect(inSlot).toContain('variant_unsafe_html|warning|-');
    for (const change of [
      { op: 'html', selector: 'p', html: payload },
      { op: 'insert', selector: 'p', position: 'before', html: payload },
    ] as const) {
      expect(verdicts(draftShowing({ type: 'changes', changes: [change] }))).toEqual(inSlot);
    }
  });

  it('reads a redirect address for what it says', () => {
    const findings = verdicts(draftShowing({ type: 'redirect', to: '/pregnancy-offers', carryQuery: true }));
    expect(findings.some((verdict) => verdict.startsWith('variant_sensitive_content'))).toBe(true);
  });

  it('leaves neutral page changes alone', () => {
    const neutral: PageChange[] = [
      { op: 'text', selector: 'h1', text: text('Ship faster.', '更快上線。') },
      { op: 'hide', selector: '.promo' },
      { op: 'move', selector: '.cta', target: 'h1', position: 'after' },
    ];
    expect(verdicts(draftShowing({ type: 'changes', changes: neutral }))).toEqual(
      verdicts(draftShowing({ type: 'text', text: text('Ship faster.', '更快上線。') })),
    );
  });

  it('refuses a page pattern the engine would never match, and accepts path patterns and safe regexes', () => {
    const withPages = (pages: readonly UrlMatch[]): LintDraft =>
      draftWith({ experiences: [experience('hero-dev', { pages })] });
    const refused = (pages: readonly UrlMatch[]) =>
      lint(withPages(pages)).filter((finding) => finding.code === 'condition_unsafe_regex');
    expect(refused([{ type: 'regex', pattern: '(a+)+$' }])).toMatchObject([{ severity: 'error' }]);
    expect(refused([{ type: 'regex', pattern: '^/(?=x)' }])).toHaveLength(1);
    expect(
      refused([
        { type: 'path', pattern: '/blog/**' },
        { type: 'regex', pattern: '^/pricing\\?plan=' },
      ]),
    ).toEqual([]);
  });
});
