import { FieldDraft } from '@candor/schema';
import { describe, expect, it } from 'vitest';
import { fieldToForm, formToField } from './field-form.js';

describe('field form ↔ draft', () => {
  it('round-trips a full field', () => {
    const field = FieldDraft.parse({
      key: 'role',
      type: 'string',
      source: 'declared',
      purpose: 'personalization',
      category: 'none',
      origin: 'first_party',
      retentionDays: 180,
      coolingOffDays: 30,
      label: { en: 'Role', 'zh-Hant': '職務' },
      question: { en: 'Your role?', 'zh-Hant': '您的職務？' },
      whyWeAsk: { en: 'a', 'zh-Hant': 'b' },
      whatYouGet: { en: 'c', 'zh-Hant': 'd' },
      options: [{ value: 'dev', label: { en: 'Dev', 'zh-Hant': '開發' } }],
    });
    expect(formToField(fieldToForm(field))).toEqual(field);
  });

  it('passes through properties it does not edit, and drops the optional ones the admin cleared', () => {
    const original = { ...formToField(fieldToForm(undefined)), key: 'x', coolingOffDays: 3, futureFlag: true } as never;
    const form = fieldToForm(original);
    form.coolingOffDays = '';
    expect(formToField(form, original)).toMatchObject({ futureFlag: true });
    expect(formToField(form, original)).not.toHaveProperty('coolingOffDays');
  });

  it('leaves out an empty question, cooling-off and options so the schema accepts a new field', () => {
    const form = fieldToForm(undefined);
    form.key = 'plan';
    const field = formToField(form);
    expect(field).not.toHaveProperty('question');
    expect(field).not.toHaveProperty('coolingOffDays');
    expect(field).not.toHaveProperty('options');
    expect(FieldDraft.safeParse(field).success).toBe(false); // labels are still required, and say so
  });
});
