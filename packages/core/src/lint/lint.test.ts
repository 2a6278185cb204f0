import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audience, BASELINE, declaredField, draftWith, experience, text } from '../../test/lint-draft-fixtures.js';
import type { LintFinding } from './finding.js';
import { hasBlockingFindings, lint, unacknowledgedWarnings, type LintDraft } from './lint.js';

// A draft with one of (almost) everything: errors and warnings across several entities.
const MESSY = draftWith({
  fields: [
    declaredField('wine', text('Wine lover', '葡萄酒愛好者')),
    declaredField('debt', text('Debt level', '負債程度')),
    declaredField('conditions', text('Health conditions', '健康狀況')),
  ],
  audiences: [audience('zeta', { wine: true, debt: { $gt: 1 } }), audience('alpha', { conditions: 'x', plan: 'pro' })],
  experiences: [experience('hero-dev', { holdout: 0 })],
});

describe('lint', () => {
  it('finds nothing in the baseline draft', () => {
    expect(lint(BASELINE)).toEqual([]);
  });

  it('sorts errors first, then by entity, id, path and code', () => {
    const findings = lint(MESSY);
    const errors = findings.filter((finding) => finding.severity === 'error');
    expect(findings.slice(0, errors.length)).toEqual(errors);
    expect(findings.map((finding) => finding.fingerprint)).toEqual([
      'field_sensitive_category@field:conditions:S.health',
      'audience_sensitive_field@audience:alpha:conditions',
      'condition_undeclared_field@audience:alpha:plan',
      'field_watched_category@field:debt:W.financial_hardship',
      'field_watched_category@field:wine:W.limited_topics',
      'audience_proxy@audience:zeta',
      'audience_watched_field@audience:zeta:debt',
      'audience_watched_field@audience:zeta:wine',
      'personalization_without_holdout@experience:hero-dev:holdout',
    ]);
  });

  it('is deterministic whatever the order of the draft', () => {
    const reversed: LintDraft = {
      ...MESSY,
      fields: [...MESSY.fields].reverse(),
      audiences: [...MESSY.audiences].reverse(),
    };
    expect(lint(reversed)).toEqual(lint(MESSY));
  });

  it('builds every fingerprint as code@entity:id[:path] and never repeats one', () => {
    const findings = lint(draftWith({ audiences: [audience('a', { x: 1 }), audience('a', { x: 2 })] }));
    expect(findings.map((finding) => finding.fingerprint)).toEqual(['condition_undeclared_field@audience:a:x']);
    for (const finding of lint(MESSY)) {
      const { entity, id, path } = finding.location;
      expect(finding.fingerprint).toBe(`${finding.code}@${entity}:${id}${path === undefined ? '' : `:${path}`}`);
    }
  });

  it('writes a concrete message and a fix hint for every finding', () => {
    for (const finding of lint(MESSY)) {
      expect(finding.message).toContain(`'${finding.location.id}'`);
      expect(finding.fixHint.length).toBeGreaterThan(10);
    }
  });
});

describe('hasBlockingFindings', () => {
  it('is true with an error, false with only warnings or nothing', () => {
    expect(hasBlockingFindings(lint(MESSY))).toBe(true);
    expect(hasBlockingFindings(lint(MESSY).filter((finding) => finding.severity === 'warning'))).toBe(false);
    expect(hasBlockingFindings([])).toBe(false);
  });
});

describe('unacknowledgedWarnings', () => {
  const findings = lint(MESSY);
  const warnings = findings.filter((finding) => finding.severity === 'warning');

  it('returns every warning when nothing is acknowledged, never errors', () => {
    expect(unacknowledgedWarnings(findings, [])).toEqual(warnings);
  });

  it('drops acknowledged warnings by fingerprint; acknowledging an error changes nothing', () => {
    const acknowledged = [
      ...warnings.slice(1).map((finding) => finding.fingerprint),
      (findings[0] as LintFinding).fingerprint,
    ];
    expect(unacknowledgedWarnings(findings, acknowledged)).toEqual(warnings.slice(0, 1));
    expect(hasBlockingFindings(findings)).toBe(true);
  });

  it('keeps an acknowledgement valid when unrelated parts of the draft change', () => {
    const acknowledged = warnings.map((finding) => finding.fingerprint);
    const edited = { ...MESSY, fields: [...MESSY.fields, declaredField('industry', text('Industry', '產業'))] };
    expect(unacknowledgedWarnings(lint(edited), acknowledged)).toEqual([]);
  });
});

describe('lint never throws', () => {
  it.each([
    null,
    undefined,
    42,
    'draft',
    [],
    {},
    { purposes: 'x', fields: {}, audiences: [null, 1, 'a'], experiences: [[]] },
  ])('on %j', (draft) => {
    expect(() => lint(draft as unknown as LintDraft)).not.toThrow();
  });

  it('on malformed entities and saved groups', () => {
    const draft = {
      purposes: [{ id: 1 }],
      fields: [{ key: 'a', label: 'x', question: null, category: 'S.nope' }],
      audiences: [{ id: 'a', condition: { a: { $inGroup: 'g' } } }, { condition: null }],
      experiences: [{ id: 'e', variants: [{ interruptive: true, content: { hero: null } }], frequencyCap: 'daily' }],
      metrics: null,
      savedGroups: { g: 5, h: [1, null, { a: [] }] },
    };
    expect(() => lint(draft as unknown as LintDraft)).not.toThrow();
  });

  it('on a literal nested deeper than the engine can compile', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const findings = lint(draftWith({ audiences: [audience('deep', { role: deep as string })] }));
    expect(findings.map((finding) => finding.code)).toContain('condition_invalid');
  });

  const entity = fc.dictionary(
    fc.constantFrom(
      'id',
      'key',
      'class',
      'legalBasis',
      'source',
      'purpose',
      'category',
      'origin',
      'label',
      'question',
      'condition',
      'audiences',
      'variants',
      'holdout',
      'frequencyCap',
      'breakdowns',
      'kind',
      'name',
      'content',
      'interruptive',
    ),
    fc.jsonValue({ maxDepth: 4 }),
  );
  const drafts = fc.oneof(
    fc.jsonValue({ maxDepth: 5 }),
    fc.record(
      {
        purposes: fc.array(fc.oneof(entity, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
        fields: fc.array(fc.oneof(entity, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
        audiences: fc.array(fc.record({ id: fc.string(), condition: fc.jsonValue({ maxDepth: 6 }) }), { maxLength: 4 }),
        experiences: fc.array(entity, { maxLength: 3 }),
        metrics: fc.jsonValue({ maxDepth: 2 }),
        savedGroups: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: [] },
    ),
  );

  it('on arbitrary JSON-like drafts (property)', () => {
    fc.assert(
      fc.property(drafts, (draft) => {
        const findings = lint(draft as unknown as LintDraft);
        expect(Array.isArray(findings)).toBe(true);
        expect(new Set(findings.map((finding) => finding.fingerprint)).size).toBe(findings.length);
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary conditions over the baseline (property)', () => {
    const operator = fc.constantFrom(
      '$eq',
      '$in',
      '$regex',
      '$elemMatch',
      '$not',
      '$lt',
      '$all',
      '$size',
      '$or',
      '$foo',
    );
    const condition = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 1 }),
        fc.dictionary(fc.oneof(operator, fc.constantFrom('role', 'age', 'a.b', '$and')), tie('node'), { maxKeys: 3 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(condition, (value) => {
        expect(() =>
          lint(draftWith({ audiences: [audience('probe', value as Record<string, unknown>)] })),
        ).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
