import type { Experience, Metric, Snapshot } from '@candor/core';
import { HOLDOUT_VARIANT } from '@candor/schema';
import {
  checkMinimumSample,
  frequentistTest,
  shouldWarnSrm,
  srmPValue,
  variantMean,
  type MeanStatistic,
  type ProportionStatistic,
} from '@candor/stats';
import type { CellTotals } from '../reports/store.js';
import { TRUST_METRIC_PREFIX } from '../reports/service.js';

const ALPHA = 0.05;
const TRUST_EVENTS = ['opt_out', 'not_relevant', 'preference_center'] as const;
/** A guardrail is flagged when its rate in a variant exceeds the control's by more than this factor. */
const GUARDRAIL_FACTOR = 1.5;

/** One goal's analysis in the shape the dashboard reads (packages/dashboard/src/api/proposed.ts). */
export interface ExperienceResults {
  readonly experienceId: string;
  readonly metricId: string;
  readonly computedAt: number;
  readonly population: 'measurement_granted';
  readonly method: 'frequentist';
  readonly cuped: false;
  readonly differentialPrivacy: null;
  readonly srm: { readonly pValue: number; readonly flagged: boolean };
  readonly variants: readonly {
    variantId: string;
    n: number;
    mean: number;
    lift: number | null;
    interval: [number, number] | null;
    pValue: number | null;
  }[];
  readonly series: readonly never[];
  readonly guardrails: readonly {
    event: (typeof TRUST_EVENTS)[number];
    variantId: string;
    rate: number;
    flagged: boolean;
  }[];
  readonly verdict: {
    readonly status: 'better' | 'worse' | 'inconclusive' | 'not_enough_data';
    readonly text: string;
    readonly caveats: readonly string[];
  };
}

function statistic(metric: Metric, cell: CellTotals | undefined): ProportionStatistic | MeanStatistic | undefined {
  if (cell === undefined) return undefined;
  return metric.kind === 'proportion'
    ? { kind: 'proportion', n: cell.n, sum: cell.sum }
    : { kind: 'mean', n: cell.n, sum: cell.sum, sumSquares: cell.sumSquares };
}

// Expected traffic shares by arm: the holdout first, then the variants by their normalised weights.
function expectedShares(experience: Experience, arms: readonly string[]): number[] {
  const weights = experience.variants.map((variant) => variant.weight ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0) || 1;
  return arms.map((arm) => {
    if (arm === HOLDOUT_VARIANT) return experience.holdout;
    const index = experience.variants.findIndex((variant) => variant.id === arm);
    return (1 - experience.holdout) * ((weights[index] ?? 0) / total);
  });
}

/**
 * Analyses one goal of an experience from its aggregate cells with the stats package: relative lift
 * of each variant against the holdout (or the first variant when there is none), a sample-ratio
 * check, trust guardrails, and a verdict that says "not enough data" rather than guess.
 */
export function experienceResults(
  snapshot: Snapshot,
  experienceId: string,
  metricId: string,
  cells: readonly CellTotals[],
  now: number,
): ExperienceResults | undefined {
  const experience = snapshot.experiences.find((candidate) => candidate.id === experienceId);
  const metric = snapshot.metrics.find((candidate) => candidate.id === metricId);
  if (experience === undefined || metric === undefined) return undefined;
  const arms = [
    ...(experience.holdout > 0 ? [HOLDOUT_VARIANT] : []),
    ...experience.variants.map((variant) => variant.id),
  ];
  const cellOf = (arm: string, metricKey: string) =>
    cells.find((cell) => cell.variantId === arm && cell.metricId === metricKey);
  const control = arms[0] ?? HOLDOUT_VARIANT;
  const controlStat = statistic(metric, cellOf(control, metric.id));
  const caveats: string[] = ['These results describe visitors who allowed measurement, not every visitor.'];

  let ready = 0;
  const variants = arms.map((arm) => {
    const stat = statistic(metric, cellOf(arm, metric.id));
    const n = stat?.n ?? 0;
    const mean = stat === undefined ? 0 : variantMean(stat);
    if (arm === control) return { variantId: arm, n, mean, lift: null, interval: null, pValue: null };
    const readiness = checkMinimumSample(controlStat, stat);
    if (!readiness.ready) return { variantId: arm, n, mean, lift: null, interval: null, pValue: null };
    const test = frequentistTest(controlStat, stat, { difference: 'relative', alternative: 'two-sided', alpha: ALPHA });
    if (test.error !== undefined) return { variantId: arm, n, mean, lift: null, interval: null, pValue: null };
    ready += 1;
    return {
      variantId: arm,
      n,
      mean,
      lift: test.estimate,
      interval: [test.ciLower, test.ciUpper] as [number, number],
      pValue: test.pValue,
    };
  });

  const counts = variants.map((variant) => variant.n);
  const srmP =
    counts.every((count) => count > 0) && counts.length > 1 ? srmPValue(counts, expectedShares(experience, arms)) : 1;
  const srm = { pValue: srmP, flagged: shouldWarnSrm(srmP) };
  if (srm.flagged)
    caveats.push(
      'Traffic split differs from the configured weights (sample ratio mismatch): check the setup before trusting the result.',
    );

  const guardrails = TRUST_EVENTS.flatMap((event) => {
    const rates = arms.map((arm) => {
      const exposures = cellOf(arm, metric.id)?.n ?? 0;
      const count = cellOf(arm, `${TRUST_METRIC_PREFIX}${event}`)?.n ?? 0;
      return { arm, rate: exposures > 0 ? count / exposures : 0 };
    });
    const base = rates[0]?.rate ?? 0;
    return rates.map(({ arm, rate }) => ({
      event,
      variantId: arm,
      rate,
      flagged: arm !== control && rate > base * GUARDRAIL_FACTOR && rate > 0,
    }));
  });
  if (guardrails.some((guardrail) => guardrail.flagged))
    caveats.push(
      'A trust guardrail (opt-outs, "not relevant", preference-center visits) is higher than in the control.',
    );

  const judged = variants.filter((variant) => variant.pValue !== null);
  const significant = judged.filter((variant) => (variant.pValue ?? 1) < ALPHA);
  const status =
    ready === 0
      ? 'not_enough_data'
      : significant.some((variant) => (variant.lift ?? 0) < 0)
        ? 'worse'
        : significant.some((variant) => (variant.lift ?? 0) > 0)
          ? 'better'
          : 'inconclusive';
  const text = {
    not_enough_data: `Not enough data yet: each arm needs at least 100 measured visitors with some variation in ${metric.name}.`,
    better: `A variant improves ${metric.name} over the control (p < ${ALPHA}).`,
    worse: `A variant lowers ${metric.name} compared with the control (p < ${ALPHA}).`,
    inconclusive: `No significant difference in ${metric.name} yet.`,
  }[status];
  return {
    experienceId,
    metricId,
    computedAt: now,
    population: 'measurement_granted',
    method: 'frequentist',
    cuped: false,
    differentialPrivacy: null,
    srm,
    variants,
    series: [],
    guardrails,
    verdict: { status, text, caveats },
  };
}
