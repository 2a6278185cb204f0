import { describe, expect, it } from 'vitest';
import { audience, contextField, draftWith, experience, text } from '../../test/lint-draft-fixtures.js';
import type { Experience, SlotContent } from '../types.js';
import { lint } from './lint.js';
import { mentionsCurrencyAmount } from './price-rules.js';

const FIELDS = [contextField('pageType', text('Page type', '頁面類型'))];
const AUDIENCES = [audience('pricing-page', { pageType: 'pricing' })];

const withContent = (content: SlotContent, slot = 'hero', overrides: Partial<Experience> = {}): Experience =>
  experience('probe', {
    variants: [{ id: 'offer', name: 'Offer', content: { [slot]: content } }],
    ...overrides,
  });
const codes = (probe: Experience) =>
  lint(draftWith({ fields: FIELDS, audiences: AUDIENCES, experiences: [probe] }))
    .filter((finding) => finding.location.id === 'probe')
    .map((finding) => finding.code);

describe('currency amounts', () => {
  it.each(['Only $19 today', 'US$5 off', 'NT$ 500', '€10', '19 元', '1,299元', '500 TWD', 'JPY 800', '¥800'])(
    '%j states an amount',
    (value) => {
      expect(mentionsCurrencyAmount(value)).toBe(true);
    },
  );
  it.each(['Save 10 hours a week', 'Top 3 features', 'Use ${name} here', '20 minutes'])('%j does not', (value) => {
    expect(mentionsCurrencyAmount(value)).toBe(false);
  });
});

describe('price rules: no personalized prices or eligibility', () => {
  const amount: SlotContent = { type: 'text', text: text('Pro is $19 a month for you', '專業版每月 NT$ 590') };

  it('a currency amount shown to a profile audience is an error', () => {
    expect(codes(withContent(amount))).toEqual(['price_personalization']);
  });

  it('a currency amount in HTML counts', () => {
    expect(codes(withContent({ type: 'html', html: text('<b>€10</b>', '<b>€10</b>') }))).toEqual([
      'price_personalization',
    ]);
  });

  it.each([
    ['slot name', withContent({ type: 'class', className: 'highlight' }, 'pricing-table'), []],
    ['experience name', withContent({ type: 'class', className: 'x' }, 'hero', { name: 'Developer pricing' }), []],
    // A loan offer shown to a chosen audience is also a watch-listed opportunity (W.opportunity).
    [
      'variant content',
      withContent({ type: 'text', text: text('Check your loan approval now', '立即查詢') }),
      ['variant_sensitive_content'],
    ],
    ['Chinese content', withContent({ type: 'text', text: text('Offer', '查看您的專屬價格') }), []],
    ['eligibility', withContent({ type: 'text', text: text('See your eligibility', '資格') }), []],
  ])('price or eligibility words in the %s are an error', (_where, probe, also: string[]) => {
    expect(codes(probe)).toEqual(['price_personalization', ...also]);
  });

  it('an experience for everyone is not flagged', () => {
    expect(codes(withContent(amount, 'pricing', { audiences: [] }))).toEqual([]);
  });

  it('an experience chosen by page context only is not flagged', () => {
    expect(codes(withContent(amount, 'pricing', { audiences: ['pricing-page'] }))).toEqual([]);
  });

  it('content without prices is not flagged', () => {
    expect(codes(withContent({ type: 'text', text: text('Save 10 hours a week', '每週省下 10 小時') }))).toEqual([]);
  });
});
