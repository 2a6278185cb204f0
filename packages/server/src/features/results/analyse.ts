import type { Experience, Metric } from '@candor/core';
import { HOLDOUT_VARIANT, type ExperienceAnalysis } from '@candor/schema';
import {
  adjustPValues,
  bayesianTest,
  checkMinimumSample,
  cupedAdjust,
  frequentistTest,
  noiseWidening,
  pooledProportionTest,
  shouldWarnSrm,
  srmPValue,
  type Alternative,
  type DifferenceType,
  type MeanCupedStatistic,
  type MeanStatistic,
  type ProportionStatistic,
} from '@candor/stats';
import type { CellDelta } from '../reports/store.js';
import { TRUST_METRIC_PREFIX } from '../reports/service.js';

/** Trust events the SDK counts; each is a harm guardrail on every personalization. */
export const TRUST_EVENTS = ['opt_out', 'not_relevant', 'preference_center'] as const;
/** A trust event kind. */
export type TrustEventKind = (typeof TRUST_EVENTS)[number];
/** The engine that judges an experience. */
export type Engine = ExperienceAnalysis['engine'];

/** Why a variant × metric cell has no estimate (closed union; the message says it in words). */
export type CellReason =
  | 'CONTROL'
  | 'MISSING_CONTROL'
  | 'MISSING_VARIANT'
  | 'NO_UNITS_IN_VARIANT'
  | 'BELOW_MINIMUM_SAMPLE'
  | 'NO_VARIANCE'
  | 'BELOW_K'
  | 'NO_CAP'
  | 'INVALID_INPUT';

/** An effect on one scale with its interval and the engine's evidence. */
export interface Effect {
  readonly estimate: number;
  readonly interval: readonly [number, number];
  /** Frequentist and sequential engines. */
  readonly pValue: number | null;
  /** Bayesian engine: P(treatment beats control). */
  readonly chanceToWin: number | null;
}

/** One variant's analysis on one metric. */
export interface VariantMetricResult {
  readonly variantId: string;
  readonly state: 'control' | 'ok' | 'not_enough_data' | 'suppressed';
  readonly reason: CellReason | null;
  readonly message: string | null;
  readonly n: number | null;
  readonly mean: number | null;
  readonly absolute: Effect | null;
  /** Null with `relativeReason` when the control mean is zero or negative (relative lift undefined). */
  readonly relative: Effect | null;
  readonly relativeReason: 'BASELINE_ZERO' | 'BASELINE_NEGATIVE' | null;
  /** The p-value after the experience's multiple-comparison correction (goals only). */
  readonly pValueAdjusted: number | null;
  /** Judged against alpha after correction (goals), or the one-sided harm test (guardrails). */
  readonly significant: boolean;
  readonly cuped: { readonly theta: number; readonly varianceReduction: number } | null;
  /** How much wider privacy noise makes the absolute interval (1 = not at all). */
  readonly noiseWidening: number | null;
}

/** One point of a metric's cumulative daily series. */
export interface SeriesPoint {
  readonly day: string;
  /** The instant the point describes data up to (end of the UTC day, or the privacy release time). */
  readonly at: number;
  readonly variantId: string;
  readonly n: number | null;
  readonly mean: number | null;
  readonly lift: number | null;
  readonly interval: readonly [number, number] | null;
  readonly state: VariantMetricResult['state'];
}

/** One metric's analysis across variants. */
export interface MetricResult {
  readonly metricId: string;
  readonly name: string;
  readonly kind: Metric['kind'];
  readonly role: 'goal' | 'guardrail';
  /** Lower is better: a negative lift is the improvement. */
  readonly inverse: boolean;
  readonly variants: readonly VariantMetricResult[];
  readonly series: readonly SeriesPoint[];
}

/** A trust guardrail in one variant, tested for harm against the control. */
export interface TrustGuardrail {
  readonly event: TrustEventKind;
  readonly variantId: string;
  readonly count: number;
  readonly exposures: number;
  readonly rate: number;
  readonly controlRate: number;
  /** One-sided p-value that the rate is higher than the control's (pooled two-proportion z-test). */
  readonly pValue: number | null;
  readonly state: 'control' | 'tested' | 'not_enough_data' | 'suppressed';
  /** Significantly higher than in the control. */
  readonly flagged: boolean;
}

/** Sample-ratio check against the configured weights. */
export interface SrmResult {
  readonly state: 'tested' | 'not_applicable' | 'not_enough_data';
  readonly reason: string | null;
  /** 1 whenever state is not 'tested'. */
  readonly pValue: number;
  readonly flagged: boolean;
  readonly observed: readonly number[];
  readonly expectedShares: readonly number[];
}

/** Laplace scales applied to one released cell, for interval widening. */
export interface CellNoise {
  readonly n: number;
  readonly sum: number;
}

/** What one analysis needs: the experience, its metrics and settings, and cells (exact or privacy-released). */
export interface AnalysisInput {
  readonly experience: Experience;
  readonly metrics: readonly Metric[];
  readonly settings: ExperienceAnalysis;
  readonly engine: Engine;
  readonly cells: readonly CellDelta[];
  /** Cumulative cells as of each point of the series, oldest first. */
  readonly history: readonly { readonly day: string; readonly at: number; readonly cells: readonly CellDelta[] }[];
  /** Present under differential privacy: noise scales by metric id, and the k below which cells hide. */
  readonly privacy?: { readonly noise: ReadonlyMap<string, CellNoise>; readonly k: number };
}

/** The analysis of every goal and guardrail of an experience. */
export interface Analysis {
  readonly arms: readonly string[];
  readonly control: string;
  readonly exposures: readonly number[];
  readonly metrics: readonly MetricResult[];
  readonly trust: readonly TrustGuardrail[];
  readonly srm: SrmResult;
  readonly cupedApplied: boolean;
  readonly correction: {
    readonly method: ExperienceAnalysis['correction'] | 'not_applicable';
    readonly family: number;
  };
}

const MESSAGES: Readonly<Record<CellReason, string>> = {
  CONTROL: 'This is the control the others are compared with.',
  MISSING_CONTROL: 'The control has no data yet, so nothing can be compared.',
  MISSING_VARIANT: 'This variant has no data yet.',
  NO_UNITS_IN_VARIANT: 'No measured visitors in this variant or the control yet.',
  BELOW_MINIMUM_SAMPLE: 'Not enough measured visitors yet for a verdict.',
  NO_VARIANCE:
    'Every visitor has the same value so far (for example no conversions yet), so there is no spread to test.',
  BELOW_K: 'Hidden: fewer visitors than the privacy threshold k.',
  NO_CAP: 'Privacy noise needs a value cap on this metric; set one to see it under differential privacy.',
  INVALID_INPUT: 'The stored aggregates are inconsistent; check the reports sent for this experience.',
};

/** The arms in report order: the holdout first when there is one, then the variants. */
export function armsOf(experience: Experience): string[] {
  return [...(experience.holdout > 0 ? [HOLDOUT_VARIANT] : []), ...experience.variants.map((variant) => variant.id)];
}

/** Expected traffic shares by arm from the configured holdout and variant weights. */
export function expectedShares(experience: Experience, arms: readonly string[]): number[] {
  const weights = experience.variants.map((variant) => variant.weight ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return arms.map((arm) => {
    if (arm === HOLDOUT_VARIANT) return experience.holdout;
    const index = experience.variants.findIndex((variant) => variant.id === arm);
    const share = total > 0 ? (weights[index] ?? 0) / total : 1 / Math.max(1, weights.length);
    return (1 - experience.holdout) * share;
  });
}

const isTrust = (metricId: string): boolean => metricId.startsWith(TRUST_METRIC_PREFIX);

/** Measured visitors per arm: the largest n among its metric cells (every exposed visitor is in each). */
function exposuresOf(cells: readonly CellDelta[], arm: string): number {
  return cells.reduce(
    (max, cell) => (cell.variantId === arm && !isTrust(cell.metricId) ? Math.max(max, cell.n) : max),
    0,
  );
}

type Stat = ProportionStatistic | MeanStatistic | MeanCupedStatistic;

function hasCovariate(cell: CellDelta): boolean {
  return cell.covariateSumSquares > 0;
}

// Conversions become the general mean form when CUPED applies: y² = y for 0/1 values, and the covariate
// may be any pre-exposure number, so p(1 − p) for it would be wrong.
function statOf(metric: Metric, cell: CellDelta, cuped: boolean): Stat {
  const sumSquares = metric.kind === 'proportion' ? cell.sum : cell.sumSquares;
  if (cuped) {
    return {
      kind: 'meanCuped',
      n: cell.n,
      post: { sum: cell.sum, sumSquares },
      pre: { sum: cell.covariateSum, sumSquares: cell.covariateSumSquares },
      postPreSumProduct: cell.crossProduct,
    };
  }
  return metric.kind === 'proportion'
    ? { kind: 'proportion', n: cell.n, sum: cell.sum }
    : { kind: 'mean', n: cell.n, sum: cell.sum, sumSquares: cell.sumSquares };
}

/**
 * Folds privacy noise into a cell's variance (per-unit variance + n·noiseSe²), so every engine's
 * interval and p-value carry the noise instead of reading noisy sums as if they were exact.
 */
function withNoise(stat: ProportionStatistic | MeanStatistic, noise: CellNoise): MeanStatistic {
  const widening = noiseWidening(stat, noise);
  const sumSquares = stat.kind === 'proportion' ? stat.sum : stat.sumSquares;
  return {
    kind: 'mean',
    n: stat.n,
    sum: stat.sum,
    sumSquares: sumSquares + widening.noiseSe ** 2 * stat.n * Math.max(0, stat.n - 1),
  };
}

function mean(stat: Stat): number | null {
  if (!(stat.n > 0)) return null;
  return stat.kind === 'meanCuped' ? stat.post.sum / stat.n : stat.sum / stat.n;
}

interface Comparison {
  readonly absolute: Effect | null;
  readonly relative: Effect | null;
  readonly relativeReason: VariantMetricResult['relativeReason'];
  readonly failed: CellReason | null;
}

function compare(
  control: Stat,
  treatment: Stat,
  engine: Engine,
  settings: ExperienceAnalysis,
  difference: DifferenceType,
  alternative: Alternative,
  inverse: boolean,
): Effect | { error: string } {
  if (engine === 'bayesian') {
    // For a lower-is-better metric the chance to win is the chance the treatment is lower.
    const result = bayesianTest(control, treatment, { difference, alpha: settings.alpha, inverse });
    if (result.error !== undefined) return { error: result.error };
    return {
      estimate: result.estimate,
      interval: [result.ciLower, result.ciUpper],
      pValue: null,
      chanceToWin: result.chanceToWin,
    };
  }
  const result = frequentistTest(control, treatment, {
    difference,
    alternative,
    alpha: settings.alpha,
    ...(engine === 'sequential' ? { sequential: { tuningN: settings.tuningN } } : {}),
  });
  if (result.error !== undefined) return { error: result.error };
  // One-sided tests have an infinite side; the interval reported is always the two-sided one.
  const twoSided =
    alternative === 'two-sided'
      ? result
      : frequentistTest(control, treatment, {
          difference,
          alternative: 'two-sided',
          alpha: settings.alpha,
          ...(engine === 'sequential' ? { sequential: { tuningN: settings.tuningN } } : {}),
        });
  return {
    estimate: result.estimate,
    interval: [twoSided.ciLower, twoSided.ciUpper],
    pValue: result.pValue,
    chanceToWin: null,
  };
}

function comparePair(
  control: Stat,
  treatment: Stat,
  engine: Engine,
  settings: ExperienceAnalysis,
  alternative: Alternative,
  inverse: boolean,
): Comparison {
  const absolute = compare(control, treatment, engine, settings, 'absolute', alternative, inverse);
  if ('error' in absolute)
    return {
      absolute: null,
      relative: null,
      relativeReason: null,
      failed: absolute.error === 'ZERO_NEGATIVE_VARIANCE' ? 'NO_VARIANCE' : 'INVALID_INPUT',
    };
  const relative = compare(control, treatment, engine, settings, 'relative', alternative, inverse);
  if ('error' in relative) {
    const reason = relative.error === 'BASELINE_ZERO' || relative.error === 'BASELINE_NEGATIVE' ? relative.error : null;
    return { absolute, relative: null, relativeReason: reason, failed: null };
  }
  return { absolute, relative, relativeReason: null, failed: null };
}

function empty(
  variantId: string,
  state: VariantMetricResult['state'],
  reason: CellReason,
  n: number | null,
  m: number | null,
): VariantMetricResult {
  return {
    variantId,
    state,
    reason,
    message: MESSAGES[reason],
    n,
    mean: m,
    absolute: null,
    relative: null,
    relativeReason: null,
    pValueAdjusted: null,
    significant: false,
    cuped: null,
    noiseWidening: null,
  };
}

interface MetricContext {
  readonly input: AnalysisInput;
  readonly arms: readonly string[];
  readonly control: string;
  readonly role: MetricResult['role'];
}

function analyseMetric(
  context: MetricContext,
  metric: Metric,
  cells: readonly CellDelta[],
): { variants: VariantMetricResult[]; cuped: boolean } {
  const { input, arms, control, role } = context;
  const { settings, engine, privacy } = input;
  const cellOf = (arm: string) => cells.find((cell) => cell.variantId === arm && cell.metricId === metric.id);
  const noise = privacy?.noise.get(metric.id);
  const suppressed = (cell: CellDelta | undefined): boolean => privacy !== undefined && (cell?.n ?? 0) < privacy.k;
  const controlCell = cellOf(control);
  const cuped =
    privacy === undefined &&
    controlCell !== undefined &&
    hasCovariate(controlCell) &&
    arms.every((arm) => {
      const cell = cellOf(arm);
      return cell === undefined || hasCovariate(cell);
    });
  const controlStat = controlCell === undefined ? undefined : statOf(metric, controlCell, cuped);
  // Guardrails are tested one-sided for harm: a drop, or a rise for a lower-is-better metric.
  const inverse = metric.inverse === true;
  const harm: Alternative = inverse ? 'greater' : 'less';
  const alternative: Alternative = role === 'guardrail' && engine !== 'bayesian' ? harm : 'two-sided';
  const variants = arms.map((arm): VariantMetricResult => {
    const cell = cellOf(arm);
    if (privacy !== undefined && noise === undefined) return empty(arm, 'suppressed', 'NO_CAP', null, null);
    if (suppressed(cell)) return empty(arm, 'suppressed', 'BELOW_K', null, null);
    const stat = cell === undefined ? undefined : statOf(metric, cell, cuped);
    const n = stat?.n ?? 0;
    const m = stat === undefined ? null : mean(stat);
    if (arm === control) return { ...empty(arm, 'control', 'CONTROL', n, m), reason: null, message: null };
    if (controlStat === undefined || suppressed(controlCell))
      return empty(arm, 'not_enough_data', 'MISSING_CONTROL', n, m);
    const readiness = checkMinimumSample(controlStat, stat, { minimumUnits: settings.minimumUnits });
    if (!readiness.ready || stat === undefined) {
      const reason = readiness.reason === 'READY' ? 'MISSING_VARIANT' : readiness.reason;
      return empty(arm, 'not_enough_data', reason, n, m);
    }
    let c: Stat = controlStat;
    let t: Stat = stat;
    let widening: number | null = null;
    if (noise !== undefined && c.kind !== 'meanCuped' && t.kind !== 'meanCuped') {
      const exact = comparePair(c, t, engine, settings, alternative, inverse);
      c = withNoise(c, noise);
      t = withNoise(t, noise);
      const noisy = comparePair(c, t, engine, settings, alternative, inverse);
      const width = (effect: Effect | null): number => (effect === null ? 0 : effect.interval[1] - effect.interval[0]);
      widening = width(exact.absolute) > 0 ? width(noisy.absolute) / width(exact.absolute) : 1;
    }
    const comparison = comparePair(c, t, engine, settings, alternative, inverse);
    if (comparison.failed !== null) return empty(arm, 'not_enough_data', comparison.failed, n, m);
    const adjustment = c.kind === 'meanCuped' && t.kind === 'meanCuped' ? cupedAdjust(c, t) : undefined;
    const cupedReport =
      adjustment === undefined
        ? null
        : { theta: adjustment.theta, varianceReduction: Math.max(0, adjustment.varianceReduction) };
    return {
      variantId: arm,
      state: 'ok',
      reason: null,
      message: null,
      n,
      mean: m,
      absolute: comparison.absolute,
      relative: comparison.relative,
      relativeReason: comparison.relativeReason,
      pValueAdjusted: null,
      significant: false,
      cuped: cupedReport,
      noiseWidening: widening,
    };
  });
  return { variants, cuped };
}

function judge(variant: VariantMetricResult, role: MetricResult['role'], engine: Engine, alpha: number): boolean {
  const effect = variant.relative ?? variant.absolute;
  if (variant.state !== 'ok' || effect === null) return false;
  if (engine === 'bayesian') {
    const chance = effect.chanceToWin ?? 0.5;
    return role === 'guardrail' ? chance < alpha : chance > 1 - alpha / 2 || chance < alpha / 2;
  }
  const p = role === 'goal' ? (variant.pValueAdjusted ?? 1) : (effect.pValue ?? 1);
  return p < alpha;
}

function seriesOf(context: MetricContext, metric: Metric): SeriesPoint[] {
  return context.input.history.flatMap((point) =>
    analyseMetric(context, metric, point.cells).variants.map((variant) => {
      const effect = variant.relative;
      return {
        day: point.day,
        at: point.at,
        variantId: variant.variantId,
        n: variant.n,
        mean: variant.mean,
        lift: effect?.estimate ?? null,
        interval: effect?.interval ?? null,
        state: variant.state,
      };
    }),
  );
}

function trustGuardrails(input: AnalysisInput, arms: readonly string[], control: string): TrustGuardrail[] {
  const { cells, privacy, settings } = input;
  const count = (arm: string, event: TrustEventKind): number =>
    cells.find((cell) => cell.variantId === arm && cell.metricId === `${TRUST_METRIC_PREFIX}${event}`)?.n ?? 0;
  return TRUST_EVENTS.flatMap((event) => {
    const controlExposures = exposuresOf(cells, control);
    // A visitor counts at most once per event kind, so a rate is a share of exposed visitors.
    const controlCount = Math.min(count(control, event), controlExposures);
    const controlRate = controlExposures > 0 ? controlCount / controlExposures : 0;
    return arms.map((arm): TrustGuardrail => {
      const exposures = exposuresOf(cells, arm);
      const events = Math.min(count(arm, event), exposures);
      const rate = exposures > 0 ? events / exposures : 0;
      const base = { event, variantId: arm, count: events, exposures, rate, controlRate };
      if (privacy !== undefined && (exposures < privacy.k || controlExposures < privacy.k))
        return { ...base, count: 0, rate: 0, pValue: null, state: 'suppressed', flagged: false };
      if (arm === control) return { ...base, pValue: null, state: 'control', flagged: false };
      if (exposures < settings.minimumUnits || controlExposures < settings.minimumUnits)
        return { ...base, pValue: null, state: 'not_enough_data', flagged: false };
      const test = pooledProportionTest(
        { kind: 'proportion', n: controlExposures, sum: controlCount },
        { kind: 'proportion', n: exposures, sum: events },
        'greater',
      );
      return { ...base, pValue: test.pValue, state: 'tested', flagged: test.pValue < settings.alpha };
    });
  });
}

function srmOf(input: AnalysisInput, arms: readonly string[], exposures: readonly number[]): SrmResult {
  const shares = expectedShares(input.experience, arms);
  const base = { observed: exposures, expectedShares: shares, pValue: 1, flagged: false };
  if (input.experience.allocation === 'bandit')
    return {
      ...base,
      state: 'not_applicable',
      reason: 'A bandit changes the weights over time, so no single split is expected.',
    };
  if (arms.length < 2) return { ...base, state: 'not_applicable', reason: 'Only one arm: there is no split to check.' };
  const total = exposures.reduce((sum, n) => sum + n, 0);
  if (total < input.settings.minimumUnits)
    return { ...base, state: 'not_enough_data', reason: 'Too few measured visitors to check the split.' };
  const pValue = srmPValue(exposures, shares);
  return { ...base, state: 'tested', reason: null, pValue, flagged: shouldWarnSrm(pValue) };
}

/**
 * Analyses every goal and guardrail of an experience from aggregate cells: per variant and metric the
 * absolute and relative effect with interval and p-value (or chance to win), CUPED when covariate sums
 * were reported, the experience's multiple-comparison correction across goal variants × metrics, the
 * cumulative series, the sample-ratio check and the trust guardrails. Pure; never NaN or Infinity.
 */
export function analyseExperience(input: AnalysisInput): Analysis {
  const { experience, settings, engine } = input;
  const arms = armsOf(experience);
  const control = arms[0] ?? HOLDOUT_VARIANT;
  const metricById = new Map(input.metrics.map((metric) => [metric.id, metric]));
  const roles: [string, MetricResult['role']][] = [
    ...experience.goals.map((id): [string, MetricResult['role']] => [id, 'goal']),
    ...(experience.guardrails ?? [])
      .filter((id) => !experience.goals.includes(id))
      .map((id): [string, MetricResult['role']] => [id, 'guardrail']),
  ];
  let cupedApplied = false;
  const analysed = roles.flatMap(([id, role]) => {
    const metric = metricById.get(id);
    if (metric === undefined) return [];
    const context: MetricContext = { input, arms, control, role };
    const { variants, cuped } = analyseMetric(context, metric, input.cells);
    cupedApplied ||= cuped;
    return [{ metric, role, variants, series: seriesOf(context, metric) }];
  });

  // Correction across goal variants × metrics; the Bayesian engine reports chances, not p-values.
  const family = analysed
    .filter((entry) => entry.role === 'goal')
    .flatMap((entry) => entry.variants.filter((variant) => (variant.relative ?? variant.absolute)?.pValue != null));
  const correction = engine === 'bayesian' ? 'not_applicable' : settings.correction;
  const raw = family.map((variant) => (variant.relative ?? variant.absolute)?.pValue ?? 1);
  const adjusted = correction === 'holm' || correction === 'bh' ? adjustPValues(raw, correction) : raw;
  const adjustedOf = new Map(family.map((variant, index) => [variant, adjusted[index] ?? 1]));

  const metrics = analysed.map(({ metric, role, variants, series }) => ({
    metricId: metric.id,
    name: metric.name,
    kind: metric.kind,
    role,
    inverse: metric.inverse === true,
    variants: variants.map((variant) => {
      const pValueAdjusted = adjustedOf.get(variant) ?? null;
      const withAdjusted = { ...variant, pValueAdjusted };
      return { ...withAdjusted, significant: judge(withAdjusted, role, engine, settings.alpha) };
    }),
    series,
  }));
  const exposures = arms.map((arm) => exposuresOf(input.cells, arm));
  return {
    arms,
    control,
    exposures,
    metrics,
    trust: trustGuardrails(input, arms, control),
    srm: srmOf(input, arms, exposures),
    cupedApplied,
    correction: { method: correction, family: family.length },
  };
}
