import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextField, declaredField, draftWith, text } from '../../test/lint-draft-fixtures.js';
import type { QuestionPlacement } from '../types.js';
import { lint } from './lint.js';

const FIELDS = [
  declaredField('conditions', text('Health conditions', '健康狀況')),
  contextField('ipCity', text('City', '城市')),
  declaredField('budget', text('Budget', '預算'), { category: 'W.financial_hardship' }),
];

const place = (field: string, id = 'ask'): QuestionPlacement => ({ id, field, selector: '#hero', position: 'after' });
const lintPlacements = (...placements: QuestionPlacement[]) =>
  lint({ ...draftWith({ fields: FIELDS }), placements }).filter((finding) => finding.location.entity === 'placement');

describe('placement rules', () => {
  it('placing a neutral declared field with a question is clean', () => {
    expect(lintPlacements(place('role'))).toEqual([]);
  });

  it('a field the draft does not declare is an error, and only that', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,20}$/), (key) => {
        fc.pre(!['role', 'language', 'conditions', 'ipCity', 'budget'].includes(key));
        const findings = lintPlacements(place(key));
        expect(findings.map((finding) => [finding.code, finding.severity])).toEqual([
          ['placement_unknown_field', 'error'],
        ]);
        expect(findings[0]?.message).toContain(`'${key}'`);
      }),
    );
  });

  it('a field without a question is an error', () => {
    expect(lintPlacements(place('ipCity')).map((finding) => finding.code)).toContain(
      'placement_field_without_question',
    );
  });

  it('a sensitive field is an error, a watch-listed one a warning', () => {
    expect(lintPlacements(place('conditions'))).toMatchObject([
      { code: 'placement_sensitive_field', severity: 'error', category: 'S.health', location: { id: 'ask' } },
    ]);
    expect(lintPlacements(place('budget'))).toMatchObject([
      { code: 'placement_sensitive_field', severity: 'warning', category: 'W.financial_hardship' },
    ]);
  });

  it('each placement gets its own findings, so acknowledging one never covers another', () => {
    const findings = lintPlacements(place('budget', 'first'), place('budget', 'second'));
    expect(findings.map((finding) => finding.location.id).sort()).toEqual(['first', 'second']);
    expect(new Set(findings.map((finding) => finding.fingerprint)).size).toBe(2);
  });

  it('a page pattern the visitor matcher refuses is an error located at that pattern', () => {
    const findings = lintPlacements({
      ...place('role'),
      pages: [
        { type: 'path', pattern: '/pricing' },
        { type: 'regex', pattern: '(a+)+$' },
      ],
    });
    expect(findings).toMatchObject([
      { code: 'condition_unsafe_regex', severity: 'error', location: { id: 'ask', path: 'pages.1' } },
    ]);
  });

  it('a malformed placements list never throws', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        expect(() => lint({ ...draftWith({}), placements: junk as never })).not.toThrow();
      }),
    );
  });
});
