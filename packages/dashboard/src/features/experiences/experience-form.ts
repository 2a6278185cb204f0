import { ExperienceAnalysis, type ExperienceDraft } from '@candor/schema';
import type { SlotContent } from '../../api/types.js';

/** One slot's content as edited: every type's inputs kept, so switching type loses nothing. */
export interface SlotFormValues {
  slot: string;
  type: SlotContent['type'];
  en: string;
  zh: string;
  attributes: string;
  className: string;
  /**
   * Page-slot content is not typed here (`changes` come from the visual editor, a `redirect` from
   * the draft API): the form carries it unchanged so saving the experience never loses it.
   */
  pageContent?: Extract<SlotContent, { type: 'changes' | 'redirect' }>;
}

/** One variant as edited. */
export interface VariantFormValues {
  id: string;
  name: string;
  weight: string;
  interruptive: boolean;
  slots: SlotFormValues[];
}

/** The experience editor's form values (shares as percentages, times as datetime-local text). */
export interface ExperienceFormValues {
  id: string;
  name: string;
  kind: ExperienceDraft['kind'];
  audiences: string[];
  variants: VariantFormValues[];
  holdoutPct: number;
  coveragePct: number;
  allocation: ExperienceDraft['allocation'];
  /** Audience ids a bandit learns separate weights for (first match wins). */
  segments: string[];
  hashVersion: string;
  seed: string;
  goals: string[];
  guardrails: string[];
  capOn: boolean;
  maxImpressions: number;
  perDays: number;
  start: string;
  end: string;
  /** Whether the experience carries its own analysis plan (server defaults otherwise). */
  analysisOn: boolean;
  engine: ExperienceAnalysis['engine'];
  correction: ExperienceAnalysis['correction'];
  alpha: number;
  minimumUnits: number;
  dpOn: boolean;
  epsilon: number;
  plannedReleases: number;
}

/** A new, empty slot row. */
export function emptySlot(): SlotFormValues {
  return { slot: 'hero', type: 'text', en: '', zh: '', attributes: '{}', className: '' };
}

function slotToForm(slot: string, content: SlotContent): SlotFormValues {
  const base = { ...emptySlot(), slot, type: content.type };
  switch (content.type) {
    case 'text':
      return { ...base, en: content.text.en, zh: content.text['zh-Hant'] };
    case 'html':
      return { ...base, en: content.html.en, zh: content.html['zh-Hant'] };
    case 'attributes':
      return { ...base, attributes: JSON.stringify(content.attributes, null, 2) };
    case 'class':
      return { ...base, className: content.className };
    case 'changes':
    case 'redirect':
      return { ...base, pageContent: content };
  }
}

/** Epoch ms as the value of a datetime-local input, in the browser's zone. */
export function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Form values for an experience, or a new personalization with a 10 % holdout. */
export function experienceToForm(experience: ExperienceDraft | undefined): ExperienceFormValues {
  return {
    id: experience?.id ?? '',
    name: experience?.name ?? '',
    kind: experience?.kind ?? 'personalization',
    audiences: [...(experience?.audiences ?? [])],
    variants: (experience?.variants ?? [{ id: 'variant-a', name: 'Variant A', content: {} }]).map((variant) => ({
      id: variant.id,
      name: variant.name,
      weight: variant.weight === undefined ? '' : String(variant.weight),
      interruptive: variant.interruptive ?? false,
      slots: Object.entries(variant.content).map(([slot, content]) => slotToForm(slot, content)),
    })),
    holdoutPct: Math.round((experience?.holdout ?? 0.1) * 1000) / 10,
    coveragePct: Math.round((experience?.coverage ?? 1) * 1000) / 10,
    allocation: experience?.allocation ?? 'fixed',
    segments: (experience?.segments ?? []).map((segment) => segment.audience),
    hashVersion: String(experience?.hashVersion ?? 2),
    seed: experience?.seed ?? '',
    goals: [...(experience?.goals ?? [])],
    guardrails: [...(experience?.guardrails ?? [])],
    capOn: experience?.frequencyCap !== undefined,
    maxImpressions: experience?.frequencyCap?.maxImpressions ?? 1,
    perDays: experience?.frequencyCap?.perDays ?? 1,
    start: toLocalInput(experience?.schedule?.start),
    end: toLocalInput(experience?.schedule?.end),
    ...analysisToForm(experience?.analysis),
  };
}

const DEFAULT_ANALYSIS = ExperienceAnalysis.parse({});

function analysisToForm(analysis: ExperienceAnalysis | undefined) {
  const plan = analysis ?? DEFAULT_ANALYSIS;
  return {
    analysisOn: analysis !== undefined,
    engine: plan.engine,
    correction: plan.correction,
    alpha: plan.alpha,
    minimumUnits: plan.minimumUnits,
    dpOn: plan.differentialPrivacy !== undefined,
    epsilon: plan.differentialPrivacy?.epsilon ?? 1,
    plannedReleases: plan.differentialPrivacy?.plannedReleases ?? 30,
  };
}

/** The analysis plan the form describes, keeping the settings it does not edit (tuning, cadence, bandit). */
function formToAnalysis(
  form: ExperienceFormValues,
  original: ExperienceAnalysis | undefined,
): ExperienceAnalysis | undefined {
  if (!form.analysisOn) return undefined;
  const base = original ?? DEFAULT_ANALYSIS;
  const { differentialPrivacy, ...rest } = base;
  return {
    ...rest,
    engine: form.engine,
    correction: form.correction,
    alpha: Number(form.alpha),
    minimumUnits: Number(form.minimumUnits),
    ...(form.dpOn
      ? {
          differentialPrivacy: {
            ...(differentialPrivacy ?? { releaseEveryHours: 24, k: 50 }),
            epsilon: Number(form.epsilon),
            plannedReleases: Number(form.plannedReleases),
          },
        }
      : {}),
  };
}

function formToSlot(slot: SlotFormValues, at: string, errors: Record<string, string>): SlotContent | undefined {
  switch (slot.type) {
    case 'text':
      return { type: 'text', text: { en: slot.en, 'zh-Hant': slot.zh } };
    case 'html':
      return { type: 'html', html: { en: slot.en, 'zh-Hant': slot.zh } };
    case 'class':
      return { type: 'class', className: slot.className.trim() };
    case 'changes':
    case 'redirect':
      if (slot.pageContent?.type === slot.type) return slot.pageContent;
      errors[`${at}.type`] = 'Page changes and redirects are made with "Edit on page"; choose another type here.';
      return undefined;
    case 'attributes':
      try {
        const parsed = JSON.parse(slot.attributes) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        return {
          type: 'attributes',
          attributes: Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)])),
        };
      } catch {
        errors[`${at}.attributes`] = 'Write a JSON object of attribute names to values, e.g. {"href": "/pricing"}.';
        return undefined;
      }
  }
}

/**
 * The experience a form describes, keeping what the form does not edit (namespace, breakdowns, parts
 * of the analysis plan) from the original; `errors` collects what cannot be read (attributes that are not JSON).
 */
export function formToExperience(
  form: ExperienceFormValues,
  original: ExperienceDraft | undefined,
): { experience: ExperienceDraft; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const variants = form.variants.map((variant, v) => {
    const content: Record<string, SlotContent> = {};
    variant.slots.forEach((slot, s) => {
      const parsed = formToSlot(slot, `variants.${v}.slots.${s}`, errors);
      if (parsed !== undefined && slot.slot.trim() !== '') content[slot.slot.trim()] = parsed;
    });
    return {
      id: variant.id.trim(),
      name: variant.name,
      ...(variant.weight.trim() === '' ? {} : { weight: Number(variant.weight) }),
      content,
      ...(variant.interruptive ? { interruptive: true } : {}),
    };
  });
  const start = form.start === '' ? undefined : new Date(form.start).getTime();
  const end = form.end === '' ? undefined : new Date(form.end).getTime();
  const id = form.id.trim();
  const analysis = formToAnalysis(form, original?.analysis);
  // Properties this form does not edit (namespace, breakdowns, and any added later) pass through unchanged.
  const {
    frequencyCap: _cap,
    guardrails: _guardrails,
    schedule: _schedule,
    analysis: _analysis,
    segments: originalSegments,
    ...kept
  } = original ?? ({} as Partial<ExperienceDraft>);
  // A kept segment keeps the weights the bandit learned for it; a new one starts unlearned.
  const segments =
    form.allocation === 'bandit'
      ? form.segments.map(
          (audience) => originalSegments?.find((segment) => segment.audience === audience) ?? { audience },
        )
      : [];
  const experience: ExperienceDraft = {
    ...kept,
    id,
    name: form.name,
    kind: form.kind,
    audiences: form.audiences,
    variants,
    holdout: Number(form.holdoutPct) / 100,
    coverage: Number(form.coveragePct) / 100,
    allocation: form.allocation,
    hashVersion: form.hashVersion === '1' ? 1 : 2,
    seed: form.seed.trim() === '' ? id : form.seed.trim(),
    ...(form.capOn
      ? { frequencyCap: { maxImpressions: Number(form.maxImpressions), perDays: Number(form.perDays) } }
      : {}),
    goals: form.goals,
    ...(form.guardrails.length === 0 ? {} : { guardrails: form.guardrails }),
    ...(start === undefined && end === undefined
      ? {}
      : { schedule: { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) } }),
    ...(analysis === undefined ? {} : { analysis }),
    ...(segments.length === 0 ? {} : { segments }),
  };
  return { experience, errors };
}
