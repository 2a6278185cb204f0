import { QuestionPlacementDraft } from '@candor/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { askableFields, formToPlacement, placementToForm, type PlacementFormValues } from './placement-form.js';

const page = fc.oneof(
  fc.record({ type: fc.constant('path' as const), pattern: fc.stringMatching(/^\/[a-z0-9/*-]{0,30}$/) }),
  fc.record({ type: fc.constant('regex' as const), pattern: fc.stringMatching(/^\^\/[a-z]{1,10}$/) }),
);
const placement = fc.record(
  {
    id: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    field: fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,20}$/),
    selector: fc.constantFrom('#hero', 'main h1', '.pricing > p', '[data-slot="cta"]'),
    position: fc.constantFrom('before' as const, 'after' as const, 'inside' as const),
    pages: fc.array(page, { minLength: 1, maxLength: 20 }),
  },
  { requiredKeys: ['id', 'field', 'selector', 'position'] },
);

describe('placement form ↔ draft', () => {
  it('round-trips every placement the schema accepts', () => {
    fc.assert(
      fc.property(placement, (generated) => {
        const parsed = QuestionPlacementDraft.parse(generated);
        expect(formToPlacement(placementToForm(parsed), parsed)).toEqual(parsed);
      }),
    );
  });

  it('leaves pages out when every row is blank, which the SDK reads as every page', () => {
    const form: PlacementFormValues = {
      ...placementToForm(undefined),
      id: ' ask-role ',
      field: 'role',
      selector: ' #hero ',
      pages: [{ type: 'path', pattern: '  ' }],
    };
    const result = formToPlacement(form);
    expect(result).toEqual({ id: 'ask-role', field: 'role', selector: '#hero', position: 'after' });
    expect(QuestionPlacementDraft.safeParse(result).success).toBe(true);
  });

  it('hands the schema what the server would refuse, so the editor shows the same errors', () => {
    const base = { ...placementToForm(undefined), id: 'ask', field: 'role', selector: '#hero' };
    const issues = (form: PlacementFormValues) =>
      QuestionPlacementDraft.safeParse(formToPlacement(form)).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues({ ...base, pages: [{ type: 'path', pattern: 'pricing' }] })).toEqual(['pages.0.pattern']);
    expect(issues({ ...base, pages: [{ type: 'regex', pattern: '(' }] })).toEqual(['pages.0.pattern']);
    expect(issues({ ...base, selector: '' })).toEqual(['selector']);
    expect(new Set(issues({ ...base, field: '' }))).toEqual(new Set(['field']));
  });

  it('offers only fields that have a question', () => {
    const draft = {
      fields: [{ key: 'role', question: { en: 'Role?', 'zh-Hant': '職務？' } }, { key: 'ipCity' }],
    } as never;
    expect(askableFields(draft).map((field) => field.key)).toEqual(['role']);
  });
});
