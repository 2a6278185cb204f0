import type { Experience, Metric } from '@candor/core';
import { HOLDOUT_VARIANT, type ExperienceAnalysis } from '@candor/schema';
import {
  adjustPValues,
  bayesianTest,
  checkMinimumSample,
  cupedAdjust,
  frequentistTest,
  noiseWidening,
  fisherExactGreater,
  noisyNormalTail,
  sequentialPValueOneSided,
  sequentialRho,
  shouldWarnSrm,
  SRM_WARNING_THRESHOLD,
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
  /**
   * Null with `relativeReason` when relative lift is undefined: a zero or negative control mean, or (on
   * the log-ratio scale) a zero or negative variant mean.
   */
  readonly relative: Effect | null;
  readonly relativeReason: 'BASELINE_ZERO' | 'BASELINE_NEGATIVE' | 'TREATMENT_NONPOSITIVE' | null;
  /**
   * The alarm's p-value after the page-wide correction (two-sided for goals, one-sided harm for
   * guardrails; for the Bayesian engine 2·min(chance, 1 − chance) for goals and the chance to win for
   * guardrails), compared with `correction.alpha`. Null when the cell was not tested.
   */
  readonly pValueAdjusted: number | null;
  /** An alarm: the adjusted p-value is below `correction.alpha` (a verdict for goals, harm for guardrails). */
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
  /** Null whenever the row is suppressed: nothing about an arm below k leaves the server. */
  readonly count: number | null;
  /** Null when this arm is below k under differential privacy. */
  readonly exposures: number | null;
  readonly rate: number | null;
  /** Null when the control is below k under differential privacy. */
  readonly controlRate: number | null;
  /**
   * One-sided p-value that the rate is higher than the control's: Fisher's exact test on exact counts;
   * under differential privacy a bound that also covers the Laplace noise of the release.
   */
  readonly pValue: number | null;
  /** The p-value after the page-wide correction, compared with `correction.alpha`. */
  readonly pValueAdjusted: number | null;
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
  /** Null for an arm below k under differential privacy (then the split is not tested either). */
  readonly observed: readonly (number | null)[];
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
  /**
   * The one metric whose daily series is wanted (a results page shows one); the others get none.
   * Each point of a series is a whole analysis, so ten metrics over 90 days would be 900 analyses
   * for one page. Absent: every metric's series.
   */
  readonly seriesMetricId?: string;
  /**
   * Points of the series already analysed under these exact inputs, by day (stored rollups of closed
   * days): they are used as they are instead of analysing that day's cells again.
   */
  readonly knownSeries?: ReadonlyMap<string, readonly SeriesPoint[]>;
  /** Present under differential privacy: noise scales by metric id, and the k below which cells hide. */
  readonly privacy?: { readonly noise: ReadonlyMap<string, CellNoise>; readonly k: number };
}

/** The analysis of every goal and guardrail of an experience. */
export interface Analysis {
  readonly arms: readonly string[];
  readonly control: string;
  /** Null for an arm below k under differential privacy. */
  readonly exposures: readonly (number | null)[];
  readonly metrics: readonly MetricResult[];
  readonly trust: readonly TrustGuardrail[];
  readonly srm: SrmResult;
  readonly cupedApplied: boolean;
  readonly correction: PageCorrection;
}

/**
 * The one error budget of a results page. Every alarm the page can raise is in one family: each goal
 * verdict (variant × goal), each guardrail's harm test, each trust guardrail's harm test; `method` is
 * applied across all of them at `alpha` = the experience's alpha minus `srmAlpha`, the fixed slice the
 * sample-ratio check spends. With Holm the chance of any false alarm on an A/A page is at most the
 * experience's alpha (Bonferroni over the two slices, Holm within).
 */
export interface PageCorrection {
  readonly method: ExperienceAnalysis['correction'];
  readonly scope: 'page';
  /** How many tests the correction covered (SRM excluded: it has its own slice). */
  readonly family: number;
  /** The threshold every adjusted p-value is compared with. */
  readonly alpha: number;
  /** The slice of alpha the sample-ratio check uses (0 when the split is not tested). */
  readonly srmAlpha: number;
  /** How relative lift was inferred. */
  readonly relativeMethod: ExperienceAnalysis['relativeMethod'];
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

const relativeMethodOf = (settings: ExperienceAnalysis) =>
  settings.relativeMethod === 'delta' ? ('delta' as const) : ('log-ratio' as const);

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
    const result = bayesianTest(control, treatment, {
      difference,
      alpha: settings.alpha,
      inverse,
      relativeMethod: relativeMethodOf(settings),
    });
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
    relativeMethod: relativeMethodOf(settings),
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
          relativeMethod: relativeMethodOf(settings),
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
    const reason =
      relative.error === 'BASELINE_ZERO' ||
      relative.error === 'BASELINE_NEGATIVE' ||
      relative.error === 'TREATMENT_NONPOSITIVE'
        ? relative.error
        : null;
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

function seriesOf(context: MetricContext, metric: Metric): SeriesPoint[] {
  const wanted = context.input.seriesMetricId;
  if (wanted !== undefined && wanted !== metric.id) return [];
  // Known points are of the one series metric, so they are never used for an unnamed metric.
  const known = wanted === metric.id ? context.input.knownSeries : undefined;
  return context.input.history.flatMap((point) => known?.get(point.day) ?? seriesPointsOf(context, metric, point));
}

function seriesPointsOf(
  context: MetricContext,
  metric: Metric,
  point: AnalysisInput['history'][number],
): SeriesPoint[] {
  return analyseMetric(context, metric, point.cells).variants.map((variant) => {
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
  });
}

/** An arm's measured visitors and, under differential privacy, the Laplace scales inside that count. */
interface Exposure {
  readonly n: number;
  readonly noise: readonly number[];
}

/**
 * Measured visitors per arm: every exposed visitor is in each metric cell, so on exact data it is the
 * largest n among the arm's metric cells. Released cells each carry their own noise, and the largest of
 * several noisy counts is biased upwards, so under privacy it is their mean (noise scales divided by m).
 */
function exposureOf(input: AnalysisInput, cells: readonly CellDelta[], arm: string): Exposure {
  const own = cells.filter((cell) => cell.variantId === arm && !isTrust(cell.metricId));
  if (input.privacy === undefined || own.length === 0)
    return { n: own.reduce((max, cell) => Math.max(max, cell.n), 0), noise: [] };
  const noise = input.privacy.noise;
  return {
    n: own.reduce((sum, cell) => sum + cell.n, 0) / own.length,
    noise: own.map((cell) => (noise.get(cell.metricId)?.n ?? 0) / own.length),
  };
}

type TrustTest = Omit<TrustGuardrail, 'pValueAdjusted' | 'flagged'>;

/**
 * Exact-data harm test: one-sided Fisher exact, so a handful of events cannot raise more alarms than α.
 * Under the sequential engine the page is read at any time, so the test is the always-valid one-sided
 * mixture test on the pooled rate difference instead (the goals' confidence sequence), and never the
 * smaller of the two.
 */
function exactHarm(
  control: { n: number; sum: number },
  treatment: { n: number; sum: number },
  input: AnalysisInput,
): number {
  const fisher = fisherExactGreater({ kind: 'proportion', ...control }, { kind: 'proportion', ...treatment });
  if (input.engine !== 'sequential') return fisher;
  const pooled = (control.sum + treatment.sum) / (control.n + treatment.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  if (!(se > 0)) return 1;
  const difference = treatment.sum / treatment.n - control.sum / control.n;
  const rho = sequentialRho(input.settings.alpha, input.settings.tuningN, false);
  return Math.max(fisher, sequentialPValueOneSided(difference, se, control.n + treatment.n, rho));
}

/**
 * Harm test on released counts: rate difference under the pooled null, with sampling spread plus the
 * Laplace noise in both counts and both exposures (linearised), bounded with a Chernoff tail so heavy
 * Laplace tails cannot make it reject more often than it says.
 */
function noisyHarm(
  control: { exposure: Exposure; count: number; countNoise: number },
  treatment: { exposure: Exposure; count: number; countNoise: number },
): number {
  const nc = control.exposure.n;
  const nt = treatment.exposure.n;
  const pooled = Math.min(1, Math.max(0, (control.count + treatment.count) / (nc + nt)));
  const difference = treatment.count / nt - control.count / nc;
  const sigma = Math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt));
  const scales = [
    treatment.countNoise / nt,
    control.countNoise / nc,
    ...treatment.exposure.noise.map((b) => (pooled * b) / nt),
    ...control.exposure.noise.map((b) => (pooled * b) / nc),
  ];
  return noisyNormalTail(difference, sigma, scales);
}

function trustTests(input: AnalysisInput, arms: readonly string[], control: string): TrustTest[] {
  const { cells, privacy, settings } = input;
  const count = (arm: string, event: TrustEventKind): number =>
    cells.find((cell) => cell.variantId === arm && cell.metricId === `${TRUST_METRIC_PREFIX}${event}`)?.n ?? 0;
  const hidden = (n: number): boolean => privacy !== undefined && n < privacy.k;
  return TRUST_EVENTS.flatMap((event) => {
    const controlExposure = exposureOf(input, cells, control);
    const controlExposures = controlExposure.n;
    // A visitor counts at most once per event kind, so a rate is a share of exposed visitors.
    const controlCount = Math.min(count(control, event), controlExposures);
    const controlRate = controlExposures > 0 ? controlCount / controlExposures : 0;
    const countNoise = privacy?.noise.get(`${TRUST_METRIC_PREFIX}${event}`)?.n ?? 0;
    return arms.map((arm): TrustTest => {
      const exposure = exposureOf(input, cells, arm);
      const exposures = exposure.n;
      const events = Math.min(count(arm, event), exposures);
      const rate = exposures > 0 ? events / exposures : 0;
      // Suppression hides every figure of an arm below k, including the control's rate on other rows.
      if (hidden(exposures) || hidden(controlExposures))
        return {
          event,
          variantId: arm,
          count: null,
          exposures: hidden(exposures) ? null : Math.round(exposures),
          rate: null,
          controlRate: hidden(controlExposures) ? null : controlRate,
          pValue: null,
          state: 'suppressed',
        };
      const base = {
        event,
        variantId: arm,
        count: events,
        exposures: privacy === undefined ? exposures : Math.round(exposures),
        rate,
        controlRate,
      };
      if (arm === control) return { ...base, pValue: null, state: 'control' };
      if (exposures < settings.minimumUnits || controlExposures < settings.minimumUnits)
        return { ...base, pValue: null, state: 'not_enough_data' };
      const pValue =
        privacy === undefined
          ? exactHarm({ n: controlExposures, sum: controlCount }, { n: exposures, sum: events }, input)
          : noisyHarm(
              { exposure: controlExposure, count: controlCount, countNoise },
              { exposure, count: events, countNoise },
            );
      return { ...base, pValue, state: 'tested' };
    });
  });
}

/**
 * Sample-ratio check on released counts: for each arm, observed − share × total against the sampling
 * spread plus every Laplace term in it, bounded with a Chernoff tail; Bonferroni over arms.
 */
function noisySrmPValue(exposures: readonly Exposure[], shares: readonly number[]): number {
  const total = exposures.reduce((sum, e) => sum + e.n, 0);
  const weight = shares.reduce((sum, w) => sum + w, 0);
  const tails = exposures.map((exposure, i) => {
    const w = (shares[i] ?? 0) / weight;
    const deviation = Math.abs(exposure.n - w * total);
    const sigma = Math.sqrt(Math.max(0, total * w * (1 - w)));
    const scales = exposures.flatMap((other, j) => other.noise.map((b) => ((i === j ? 1 : 0) - w) * b));
    return Math.min(1, 2 * noisyNormalTail(deviation, sigma, scales));
  });
  return Math.min(1, exposures.length * Math.min(...tails));
}

function srmOf(input: AnalysisInput, arms: readonly string[], exposures: readonly Exposure[]): SrmResult {
  const shares = expectedShares(input.experience, arms);
  const privacy = input.privacy;
  const hidden = exposures.map((e) => privacy !== undefined && e.n < privacy.k);
  const observed = exposures.map((e, i) => (hidden[i] === true ? null : privacy === undefined ? e.n : Math.round(e.n)));
  const base = { observed, expectedShares: shares, pValue: 1, flagged: false };
  if (input.experience.allocation === 'bandit')
    return {
      ...base,
      state: 'not_applicable',
      reason: 'A bandit changes the weights over time, so no single split is expected.',
    };
  if (arms.length < 2) return { ...base, state: 'not_applicable', reason: 'Only one arm: there is no split to check.' };
  if (hidden.some(Boolean))
    return {
      ...base,
      state: 'not_enough_data',
      reason: 'An arm is below the privacy threshold k, so the split cannot be checked without revealing it.',
    };
  const total = exposures.reduce((sum, e) => sum + e.n, 0);
  if (total < input.settings.minimumUnits)
    return { ...base, state: 'not_enough_data', reason: 'Too few measured visitors to check the split.' };
  // Traffic in an arm configured to get none is a broken split whatever the other arms show.
  const strays = privacy === undefined && exposures.some((e, i) => (shares[i] ?? 0) === 0 && e.n > 0);
  if (strays)
    return {
      ...base,
      state: 'tested',
      reason: 'Visitors were measured in an arm whose configured weight is 0: check the setup.',
      pValue: 0,
      flagged: true,
    };
  const pValue =
    privacy === undefined
      ? srmPValue(
          exposures.map((e) => e.n),
          shares,
        )
      : noisySrmPValue(
          exposures.filter((_, i) => (shares[i] ?? 0) > 0),
          shares.filter((w) => w > 0),
        );
  return { ...base, state: 'tested', reason: null, pValue, flagged: shouldWarnSrm(pValue) };
}

/** The p-value one metric cell contributes to the page's family, or null when it was not tested. */
function alarmPValue(variant: VariantMetricResult, role: MetricResult['role'], engine: Engine): number | null {
  const effect = variant.relative ?? variant.absolute;
  if (variant.state !== 'ok' || effect === null) return null;
  if (engine === 'bayesian') {
    // The chance to win read as a p-value: with a flat prior it equals the z-test's, so one budget fits both.
    const chance = effect.chanceToWin ?? 0.5;
    return role === 'guardrail' ? chance : Math.min(1, 2 * Math.min(chance, 1 - chance));
  }
  return effect.pValue;
}

/**
 * Analyses every goal and guardrail of an experience from aggregate cells: per variant and metric the
 * absolute and relative effect with interval and p-value (or chance to win), CUPED when covariate sums
 * were reported, the cumulative series, the sample-ratio check and the trust guardrails, with one
 * error budget across every alarm the page shows (see `PageCorrection`). Pure; never NaN or Infinity.
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
  const exposures = arms.map((arm) => exposureOf(input, input.cells, arm));
  const srm = srmOf(input, arms, exposures);
  const trust = trustTests(input, arms, control);

  // One family: every goal verdict, guardrail harm and trust harm on this page.
  const metricAlarms = analysed.flatMap((entry) =>
    entry.variants.flatMap((variant) => {
      const p = alarmPValue(variant, entry.role, engine);
      return p === null ? [] : [{ variant, p }];
    }),
  );
  const trustAlarms = trust.flatMap((row) => (row.pValue === null ? [] : [{ row, p: row.pValue }]));
  const raw = [...metricAlarms.map((alarm) => alarm.p), ...trustAlarms.map((alarm) => alarm.p)];
  const method = settings.correction;
  const adjusted = method === 'holm' || method === 'bh' ? adjustPValues(raw, method) : raw.map((p) => p);
  const srmAlpha = srm.state === 'tested' ? SRM_WARNING_THRESHOLD : 0;
  const alpha = Math.max(0, settings.alpha - srmAlpha);
  const metricAdjusted = new Map(metricAlarms.map((alarm, index) => [alarm.variant, adjusted[index] ?? 1]));
  const trustAdjusted = new Map(
    trustAlarms.map((alarm, index) => [alarm.row, adjusted[metricAlarms.length + index] ?? 1]),
  );

  const metrics = analysed.map(({ metric, role, variants, series }) => ({
    metricId: metric.id,
    name: metric.name,
    kind: metric.kind,
    role,
    inverse: metric.inverse === true,
    variants: variants.map((variant) => {
      const pValueAdjusted = metricAdjusted.get(variant) ?? null;
      return { ...variant, pValueAdjusted, significant: pValueAdjusted !== null && pValueAdjusted < alpha };
    }),
    series,
  }));
  return {
    arms,
    control,
    exposures: srm.observed,
    metrics,
    trust: trust.map((row) => {
      const pValueAdjusted = trustAdjusted.get(row) ?? null;
      return { ...row, pValueAdjusted, flagged: pValueAdjusted !== null && pValueAdjusted < alpha };
    }),
    srm,
    cupedApplied,
    correction: {
      method,
      scope: 'page',
      family: raw.length,
      alpha,
      srmAlpha,
      relativeMethod: settings.relativeMethod,
    },
  };
}
