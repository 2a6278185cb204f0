import { DEFAULT_QUESTION_LIMITS } from '@candor/schema';

/** The limits as the site form's two number inputs hold them. */
export interface QuestionLimitsInput {
  readonly perPage: string;
  readonly perVisit: string;
}

/** What the inputs show: the site's limits, or the SDK's defaults when it has set none. */
export function showQuestionLimits(limits: { perPage: number; perVisit: number } | undefined): QuestionLimitsInput {
  const shown = limits ?? DEFAULT_QUESTION_LIMITS;
  return { perPage: String(shown.perPage), perVisit: String(shown.perVisit) };
}

function count(text: string, fallback: number): number {
  const trimmed = text.trim();
  // Anything but a plain whole number stays NaN, so the schema reports it beside the input.
  return trimmed === '' ? fallback : /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * The limits the inputs describe, for the settings schema to bound (0–3 a page, 0–10 a visit). An
 * empty input is the default, so clearing one never turns questions off by accident; 0 does.
 */
export function readQuestionLimits(input: QuestionLimitsInput): { perPage: number; perVisit: number } {
  return {
    perPage: count(input.perPage, DEFAULT_QUESTION_LIMITS.perPage),
    perVisit: count(input.perVisit, DEFAULT_QUESTION_LIMITS.perVisit),
  };
}
