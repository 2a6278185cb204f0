import type { Experience } from '@candor/core';
import { expectedDaysToTarget, planSampleSize, SRM_WARNING_THRESHOLD, type PlanBaseline } from '@candor/stats';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import type { SiteRecord } from '../sites/store.js';
import { armsOf, expectedShares, TRUST_EVENTS } from './analyse.js';
import { analysisOf, liveExperienceMetric } from './service.js';

/** What a planning request may state; the rest comes from the experience and its data. */
export interface PlanQuery {
  readonly metric?: string;
  /** Relative lift (0.1 = +10%) unless `difference` is absolute. */
  readonly effect: number;
  readonly difference: 'relative' | 'absolute';
  readonly power: number;
  /** The control's conversion rate, or its mean and sd, when there is no data yet (or it is private). */
  readonly baselineRate?: number;
  readonly baselineMean?: number;
  readonly baselineSd?: number;
}

/** "How long at today's traffic?": the units the results page's own test needs, and the days to get them. */
export interface PlanResult {
  readonly experienceId: string;
  readonly metricId: string;
  readonly engine: 'frequentist' | 'sequential' | 'bayesian';
  readonly difference: 'relative' | 'absolute';
  readonly effect: number;
  /** The power asked for, and what the plan delivers (≥ it; null when no plan). */
  readonly power: number;
  readonly plannedPower: number | null;
  /** The threshold one goal test meets on this page: alpha less the SRM slice, split over the family. */
  readonly testAlpha: number;
  readonly family: number;
  readonly correction: 'holm' | 'bh' | 'none';
  readonly baseline: PlanBaseline & { readonly source: 'data' | 'query' };
  readonly perVariant: number | null;
  /** Visitors in total (all arms, holdout included) for the smallest arm to reach perVariant. */
  readonly totalVisitors: number | null;
  readonly days: number | null;
  readonly reason: 'PLANNED' | 'EFFECT_TOO_SMALL' | 'TARGET_REACHED' | 'NO_TRAFFIC' | 'PRIVATE_TRAFFIC';
}

/** How many alarms one results page of this experience holds: goals, guardrails and trust, per variant. */
export function familySize(experience: Experience): number {
  const comparisons = Math.max(1, armsOf(experience).length - 1);
  const guardrails = (experience.guardrails ?? []).filter((id) => !experience.goals.includes(id)).length;
  return comparisons * (Math.max(1, experience.goals.length) + guardrails + TRUST_EVENTS.length);
}

function baselineOf(query: PlanQuery, kind: 'proportion' | 'mean'): PlanBaseline | undefined {
  if (kind === 'proportion' && query.baselineRate !== undefined)
    return { kind: 'proportion', rate: query.baselineRate };
  if (kind === 'mean' && query.baselineMean !== undefined && query.baselineSd !== undefined)
    return { kind: 'mean', mean: query.baselineMean, sd: query.baselineSd };
  return undefined;
}

/**
 * Plans an experience's goal: the units per variant its results page needs to show the effect with the
 * asked power, for the engine, correction and relative-lift method the experience uses, and the days
 * that takes at the traffic measured so far. Under differential privacy the stored counts are never
 * read: the baseline must be given and no days are estimated.
 */
export async function planExperience(context: AppContext, site: SiteRecord, experienceId: string, query: PlanQuery) {
  const { experience, metricId, metric } = await liveExperienceMetric(context, site, experienceId, query.metric);
  const settings = analysisOf(experience);
  const arms = armsOf(experience);
  const shares = expectedShares(experience, arms);
  const isPrivate = settings.differentialPrivacy !== undefined;
  const cells = isPrivate ? [] : await context.storage.listAggregates(site.id, experience.id);
  const controlCell = cells.find((cell) => cell.variantId === arms[0] && cell.metricId === metricId);

  let baseline = baselineOf(query, metric.kind);
  let source: 'data' | 'query' = 'query';
  if (baseline === undefined && controlCell !== undefined && controlCell.n >= 2) {
    source = 'data';
    const mean = controlCell.sum / controlCell.n;
    baseline =
      metric.kind === 'proportion'
        ? { kind: 'proportion', rate: Math.min(1, Math.max(0, mean)) }
        : {
            kind: 'mean',
            mean,
            sd: Math.sqrt(Math.max(0, (controlCell.sumSquares - controlCell.n * mean ** 2) / (controlCell.n - 1))),
          };
  }
  if (baseline === undefined)
    throw new AppError(
      'bad_request',
      metric.kind === 'proportion'
        ? `No data to plan from${isPrivate ? ' (privacy noise hides the exact counts)' : ''}: pass baselineRate=<the control's conversion rate, e.g. 0.05>.`
        : `No data to plan from${isPrivate ? ' (privacy noise hides the exact counts)' : ''}: pass baselineMean=<mean> and baselineSd=<standard deviation>.`,
    );

  const family = familySize(experience);
  const srmAlpha = experience.allocation === 'bandit' || arms.length < 2 ? 0 : SRM_WARNING_THRESHOLD;
  const testAlpha = settings.correction === 'none' ? settings.alpha : (settings.alpha - srmAlpha) / Math.max(1, family);
  // The page's verdict reads relative lift whenever the control mean is positive, so that is the test to
  // plan; an absolute effect is restated relative to the baseline.
  const controlMean = baseline.kind === 'proportion' ? baseline.rate : baseline.mean;
  const relative = query.difference === 'relative' || controlMean > 0;
  const plan = planSampleSize({
    baseline,
    effect: query.difference === 'absolute' && relative ? query.effect / controlMean : query.effect,
    difference: relative ? 'relative' : 'absolute',
    alternative: 'two-sided',
    alpha: testAlpha,
    power: query.power,
    engine: settings.engine,
    tuningN: settings.tuningN,
    relativeMethod: settings.relativeMethod === 'delta' ? 'delta' : 'log-ratio',
  });
  if (plan.reason === 'INVALID_INPUT')
    throw new AppError(
      'bad_request',
      'This effect cannot be planned from this baseline (a rate must stay between 0 and 1, a relative lift needs a positive mean, and the spread must be above 0); change the effect or the baseline.',
    );
  const smallestShare = Math.min(...shares.filter((share) => share > 0));
  const perVariant = plan.perVariant;
  const totalVisitors = perVariant === null ? null : Math.ceil(perVariant / smallestShare);

  let days: number | null = null;
  let reason: PlanResult['reason'] = plan.reason === 'PLANNED' ? 'PLANNED' : 'EFFECT_TOO_SMALL';
  if (perVariant !== null && isPrivate) reason = 'PRIVATE_TRAFFIC';
  if (perVariant !== null && !isPrivate) {
    const daily = await context.storage.listDailyAggregates(site.id, experience.id);
    const daysWithData = new Set(daily.map((cell) => cell.day)).size;
    const exposures = arms.map((arm) =>
      cells.filter((cell) => cell.variantId === arm).reduce((max, cell) => Math.max(max, cell.n), 0),
    );
    // The arm with the smallest share reaches the target last; scale its progress by its share.
    const index = shares.indexOf(smallestShare);
    const estimate = expectedDaysToTarget(perVariant, exposures[index] ?? 0, daysWithData);
    if (estimate.reason === 'ON_TRACK') days = estimate.days;
    if (estimate.reason === 'TARGET_REACHED') [days, reason] = [0, 'TARGET_REACHED'];
    if (estimate.reason === 'NO_TRAFFIC' || estimate.reason === 'INVALID_INPUT') reason = 'NO_TRAFFIC';
  }
  const result: PlanResult = {
    experienceId: experience.id,
    metricId,
    engine: settings.engine,
    difference: query.difference,
    effect: query.effect,
    power: query.power,
    plannedPower: plan.power,
    testAlpha,
    family,
    correction: settings.correction,
    baseline: { ...baseline, source },
    perVariant,
    totalVisitors,
    days,
    reason,
  };
  return result;
}
