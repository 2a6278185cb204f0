/** Sum and sum of squares of one per-unit value, as stored per cell (docs/privacy.md §8). */
export interface Moments {
  readonly sum: number;
  readonly sumSquares: number;
}

/** Conversions out of `n` units; `sum` counts units whose value is 1. */
export interface ProportionStatistic {
  readonly kind: 'proportion';
  readonly n: number;
  readonly sum: number;
}

/** A per-unit numeric metric (revenue, pages) summarised by its first two moments. */
export interface MeanStatistic {
  readonly kind: 'mean';
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/** A ratio of two per-unit sums (e.g. revenue per session), estimated with the delta method. */
export interface RatioStatistic {
  readonly kind: 'ratio';
  readonly n: number;
  readonly numerator: Moments;
  readonly denominator: Moments;
  readonly numeratorDenominatorSumProduct: number;
}

/** A mean metric with its pre-exposure covariate, for CUPED. */
export interface MeanCupedStatistic {
  readonly kind: 'meanCuped';
  readonly n: number;
  readonly post: Moments;
  readonly pre: Moments;
  readonly postPreSumProduct: number;
}

/** A conversion metric with its pre-exposure conversion, for CUPED. */
export interface ProportionCupedStatistic {
  readonly kind: 'proportionCuped';
  readonly n: number;
  readonly post: { readonly sum: number };
  readonly pre: { readonly sum: number };
  readonly postPreSumProduct: number;
}

/** Aggregates of one (variant, metric) cell: the only input any function here accepts. */
export type Statistic =
  ProportionStatistic | MeanStatistic | RatioStatistic | MeanCupedStatistic | ProportionCupedStatistic;

/** Statistic kinds that carry a pre-exposure covariate. */
export type CupedStatistic = MeanCupedStatistic | ProportionCupedStatistic;

/** Whether the effect is reported as treatment − control or as (treatment − control) / |control|. */
export type DifferenceType = 'relative' | 'absolute';

/** Direction of the alternative hypothesis, from the treatment's point of view. */
export type Alternative = 'two-sided' | 'greater' | 'less';

/**
 * Why a comparison could not produce an estimate. A result carrying one has estimate 0, a
 * degenerate interval and p-value 1 (or chance to win ½), never NaN.
 */
export type StatsErrorCode =
  | 'MISSING_CONTROL'
  | 'MISSING_VARIANT'
  | 'NO_UNITS_IN_VARIANT'
  | 'NOT_ENOUGH_DATA'
  | 'ZERO_NEGATIVE_VARIANCE'
  | 'BASELINE_ZERO'
  | 'BASELINE_NEGATIVE'
  /** Log-ratio relative lift needs a positive treatment mean. */
  | 'TREATMENT_NONPOSITIVE'
  | 'KIND_MISMATCH'
  | 'INVALID_INPUT';
