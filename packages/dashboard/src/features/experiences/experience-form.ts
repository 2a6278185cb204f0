import { ExperienceAnalysis, type ExperienceDraft } from '@candor/schema';
import type { SlotContent } from '../../api/types.js';
import type { PagePatternValues } from '../placements/placement-form.js';

/** One slot's content as edited: every type's inputs kept, so switching type loses nothing. */
export interface SlotFormValues {
  slot: string;
  type: SlotContent['type'];
  en: string;
  zh: string;
  attributes: string;
  className: string;
  /** A split-URL variant's target: a same-site path or an absolute URL on an allowed origin. */
  to: string;
  /** Whether the redirect keeps the query string the visitor arrived with. */
  carryQuery: boolean;
  /**
   * `changes` come from the visual editor and are not typed here: the form carries them unchanged so
   * saving the experience never loses them.
   */
  pageContent?: Extract<SlotContent, { type: 'changes' }>;
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
  /** Where the experience runs; no rows means every page. */
  pages: PagePatternValues[];
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
  return { slot: 'hero', type: 'text', en: '', zh: '', attributes: '{}', className: '', to: '', carryQuery: true };
}

/** The page slot a redirect or page changes fill: it has no element, only the experience's id. */
export function pageSlotOf(experienceId: string): string {
  return `page:${experienceId}`;
}

/**
 * Why a redirect target would not be followed, or undefined when it would: the SDK and
 * `redirectFor` follow only a same-site path or an http(s) URL, and the dashboard further asks an
 * absolute URL to be on one of the site's allowed origins so a test cannot send visitors off-site.
 */
export function redirectTargetProblem(to: string, allowedOrigins: readonly string[]): string | undefined {
  const target = to.trim();
  if (target === '') return 'Write the address to send visitors to, e.g. /pricing-b.';
  if (target.length > 2000) return 'Use an address of at most 2000 characters.';
  if (/[\s\\]/.test(target)) return 'An address has no spaces or backslashes.';
  if (target.startsWith('/')) {
    return target.startsWith('//') ? 'Start a path with a single /, e.g. /pricing-b.' : undefined;
  }
  const origin = /^https?:\/\/[^/?#]+/i.exec(target)?.[0].toLowerCase();
  if (origin === undefined) return 'Use a path starting with / or an http(s) address.';
  const allowed = allowedOrigins.some((allowedOrigin) => allowedOrigin.toLowerCase() === origin);
  return allowed ? undefined : `${origin} is not one of the site's allowed origins (Site settings).`;
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
    case 'redirect':
      return { ...base, slot: '', to: content.to, carryQuery: content.carryQuery };
    case 'changes':
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
    pages: (experience?.pages ?? []).map((page) => ({ type: page.type, pattern: page.pattern })),
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

function formToSlot(
  slot: SlotFormValues,
  at: string,
  errors: Record<string, string>,
  allowedOrigins: readonly string[],
): SlotContent | undefined {
  switch (slot.type) {
    case 'text':
      return { type: 'text', text: { en: slot.en, 'zh-Hant': slot.zh } };
    case 'html':
      return { type: 'html', html: { en: slot.en, 'zh-Hant': slot.zh } };
    case 'class':
      return { type: 'class', className: slot.className.trim() };
    case 'redirect': {
      const problem = redirectTargetProblem(slot.to, allowedOrigins);
      if (problem === undefined) return { type: 'redirect', to: slot.to.trim(), carryQuery: slot.carryQuery };
      errors[`${at}.to`] = problem;
      return undefined;
    }
    case 'changes':
      if (slot.pageContent?.type === slot.type) return slot.pageContent;
      errors[`${at}.type`] = 'Page changes are made with "Edit on page"; choose another type here.';
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
  allowedOrigins: readonly string[] = [],
): { experience: ExperienceDraft; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const id = form.id.trim();
  const variants = form.variants.map((variant, v) => {
    const content: Record<string, SlotContent> = {};
    variant.slots.forEach((slot, s) => {
      const parsed = formToSlot(slot, `variants.${v}.slots.${s}`, errors, allowedOrigins);
      // A redirect fills the experience's page slot, whatever the row's slot name said.
      const name = slot.type === 'redirect' ? pageSlotOf(id) : slot.slot.trim();
      if (parsed === undefined || name === '') return;
      // The page slot holds one content: a second redirect (or page changes) would silently replace the first.
      if (name === pageSlotOf(id) && name in content) {
        errors[`variants.${v}.slots.${s}.type`] = 'A variant fills its page once: keep one redirect or page changes.';
        return;
      }
      content[name] = parsed;
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
  // Blank rows are dropped and no rows leaves `pages` out: the experience runs on every page.
  const pages = form.pages
    .map((page) => ({ type: page.type, pattern: page.pattern.trim() }))
    .filter((page) => page.pattern !== '');
  const analysis = formToAnalysis(form, original?.analysis);
  // Properties this form does not edit (namespace, breakdowns, and any added later) pass through unchanged.
  const {
    frequencyCap: _cap,
    guardrails: _guardrails,
    schedule: _schedule,
    analysis: _analysis,
    segments: originalSegments,
    pages: _pages,
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
    ...(pages.length === 0 ? {} : { pages }),
  };
  return { experience, errors };
}
