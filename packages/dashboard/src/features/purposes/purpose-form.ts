import type { PurposeDraft } from '@candor/schema';

/** The purpose editor's form values (TCF numbers edited as text). */
export interface PurposeFormValues {
  id: string;
  class: PurposeDraft['class'];
  name: PurposeDraft['name'];
  description: PurposeDraft['description'];
  legalBasis: PurposeDraft['legalBasis'];
  tcfPurposes: string;
  tcfSpecial: string;
  consentMode: NonNullable<PurposeDraft['consentMode']>;
}

const numbers = (text: string): number[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(Number);

/** Form values for a purpose, or a new consent-based one. */
export function purposeToForm(purpose: PurposeDraft | undefined): PurposeFormValues {
  return {
    id: purpose?.id ?? '',
    class: purpose?.class ?? 'behavioural',
    name: purpose?.name ?? { en: '', 'zh-Hant': '' },
    description: purpose?.description ?? { en: '', 'zh-Hant': '' },
    legalBasis: purpose?.legalBasis ?? 'consent',
    tcfPurposes: purpose?.tcf?.purposes.join(', ') ?? '',
    tcfSpecial: purpose?.tcf?.specialPurposes.join(', ') ?? '',
    consentMode: [...(purpose?.consentMode ?? [])],
  };
}

/** The purpose a form describes; no TCF mapping when both lists are empty; properties it does not edit pass through. */
export function formToPurpose(form: PurposeFormValues, original?: PurposeDraft): PurposeDraft {
  const { tcf: _tcf, consentMode: _consentMode, ...kept } = original ?? ({} as Partial<PurposeDraft>);
  const purposes = numbers(form.tcfPurposes);
  const specialPurposes = numbers(form.tcfSpecial);
  // react-hook-form gives a lone checkbox's value as a string or false; normalise to a list.
  const consentMode = (Array.isArray(form.consentMode) ? form.consentMode : []).filter(Boolean);
  return {
    ...kept,
    id: form.id.trim(),
    class: form.class,
    name: form.name,
    description: form.description,
    legalBasis: form.legalBasis,
    ...(purposes.length === 0 && specialPurposes.length === 0 ? {} : { tcf: { purposes, specialPurposes } }),
    ...(consentMode.length === 0 ? {} : { consentMode }),
  };
}
