import { describe, expect, it } from 'vitest';
import { findKeyword, matchCategories, tokenize, type TextSource } from './keyword-match.js';

const label = (text: string): TextSource => ({ where: 'label.en', text, isKey: false });
const key = (text: string): TextSource => ({ where: 'key', text, isKey: true });

describe('tokenize', () => {
  it.each([
    ['searchQuery', ['search', 'query']],
    ['search_query', ['search', 'query']],
    ['page.utm-term', ['page', 'utm', 'term']],
    ['HTMLContent', ['html', 'content']],
    ['Health conditions (optional)', ['health', 'conditions', 'optional']],
    ['您的健康狀況', []],
  ])('%j → %j', (input, expected) => {
    expect(tokenize(input)).toEqual(expected);
  });
});

describe('findKeyword', () => {
  const list = { en: ['health', 'search query', 'vacancy'], zhHant: ['健康'], keyOnly: ['q'] };

  it('matches English whole words case-insensitively, in keys split on case, underscores and dots', () => {
    expect(findKeyword(list, [key('visitor.HEALTH_score')])?.keyword).toBe('health');
    expect(findKeyword(list, [key('lastSearchQuery')])?.keyword).toBe('search query');
    expect(findKeyword(list, [label('Your health')])?.keyword).toBe('health');
  });

  it('never matches inside a longer word', () => {
    expect(findKeyword(list, [label('Healthcare industry'), key('unhealthy')])).toBeUndefined();
  });

  it('accepts simple plurals', () => {
    expect(findKeyword(list, [label('Recent search queries')])?.keyword).toBe('search query');
    expect(findKeyword(list, [label('Open vacancies')])?.keyword).toBe('vacancy');
  });

  it('matches Chinese as substrings', () => {
    expect(findKeyword(list, [{ where: 'label.zh-Hant', text: '您的健康狀況', isKey: false }])?.keyword).toBe('健康');
  });

  it('matches key-only words in keys but not in prose', () => {
    expect(findKeyword(list, [key('page.q')])?.keyword).toBe('q');
    expect(findKeyword(list, [label('Q and A')])).toBeUndefined();
  });

  it('reports where it matched', () => {
    expect(findKeyword(list, [label('Role'), key('health')])?.source.where).toBe('key');
  });
});

describe('matchCategories', () => {
  it('returns each category once, in taxonomy order', () => {
    const hits = matchCategories([label('Debt after divorce'), label('Religion and more religion')]);
    expect(hits.map((hit) => hit.category)).toEqual([
      'S.religion_belief',
      'W.financial_hardship',
      'W.relationship_hardship',
    ]);
  });

  it('finds nothing in neutral text', () => {
    expect(matchCategories([label('Company size'), key('companySize')])).toEqual([]);
  });
});
