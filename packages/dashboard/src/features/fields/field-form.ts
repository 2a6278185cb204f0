import type { FieldDraft } from '@candor/schema';
import type { LocalizedText } from '../../api/types.js';

/** The field editor's form values: every optional part present, so inputs are always controlled. */
export interface FieldFormValues {
  key: string;
  type: FieldDraft['type'];
  source: FieldDraft['source'];
  purpose: string;
  category: FieldDraft['category'];
  origin: FieldDraft['origin'];
  retentionDays: number;
  coolingOffDays: string;
  label: LocalizedText;
  question: LocalizedText;
  whyWeAsk: LocalizedText;
  whatYouGet: LocalizedText;
  options: { value: string; label: LocalizedText }[];
}

const EMPTY_TEXT: LocalizedText = { en: '', 'zh-Hant': '' };

/** Form values for a field, or for a new declared one. */
export function fieldToForm(field: FieldDraft | undefined): FieldFormValues {
  return {
    key: field?.key ?? '',
    type: field?.type ?? 'string',
    source: field?.source ?? 'declared',
    purpose: field?.purpose ?? 'personalization',
    category: field?.category ?? 'none',
    origin: field?.origin ?? 'first_party',
    retentionDays: field?.retentionDays ?? 180,
    coolingOffDays: field?.coolingOffDays === undefined ? '' : String(field.coolingOffDays),
    label: field?.label ?? EMPTY_TEXT,
    question: field?.question ?? EMPTY_TEXT,
    whyWeAsk: field?.whyWeAsk ?? EMPTY_TEXT,
    whatYouGet: field?.whatYouGet ?? EMPTY_TEXT,
    options: field?.options?.map((option) => ({ value: option.value, label: option.label })) ?? [],
  };
}

/**
 * The field a form describes; empty optional parts are left out rather than sent empty, and properties
 * the form does not edit (added to the schema later) pass through from the original.
 */
export function formToField(form: FieldFormValues, original?: FieldDraft): FieldDraft {
  const {
    coolingOffDays: _cooling,
    question: _question,
    options: _options,
    ...kept
  } = original ?? ({} as Partial<FieldDraft>);
  const question = form.question.en.trim() === '' && form.question['zh-Hant'].trim() === '' ? undefined : form.question;
  const options = form.options.filter((option) => option.value.trim() !== '');
  return {
    ...kept,
    key: form.key.trim(),
    type: form.type,
    source: form.source,
    purpose: form.purpose,
    category: form.category,
    origin: form.origin,
    retentionDays: Number(form.retentionDays),
    ...(form.coolingOffDays.trim() === '' ? {} : { coolingOffDays: Number(form.coolingOffDays) }),
    label: form.label,
    ...(question === undefined ? {} : { question }),
    whyWeAsk: form.whyWeAsk,
    whatYouGet: form.whatYouGet,
    ...(options.length === 0 ? {} : { options }),
  };
}
