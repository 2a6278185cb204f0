export type {
  Alternative,
  CupedStatistic,
  DifferenceType,
  MeanCupedStatistic,
  MeanStatistic,
  Moments,
  ProportionCupedStatistic,
  ProportionStatistic,
  RatioStatistic,
  Statistic,
  StatsErrorCode,
} from './types.js';
export { variantMean, variantStandardError, variantVariance, varianceOfRatio } from './variant-moments.js';
export { effectMoments, type EffectMoments } from './effect-moments.js';
export { liftOfLogRatio, logRatioMoments, type LogRatioMoments, type RelativeMethod } from './relative-scale.js';
export { cupedAdjust, type CupedArm, type CupedResult } from './cuped.js';
export { frequentistTest, type FrequentistOptions, type FrequentistResult } from './frequentist-test.js';
export {
  sequentialHalfwidth,
  sequentialHalfwidthOneSided,
  sequentialPValue,
  sequentialPValueOneSided,
  sequentialRho,
} from './sequential.js';
export { bayesianTest, normalRisks, type BayesianOptions, type BayesianResult } from './bayesian-test.js';
export { pooledProportionTest, type PooledProportionResult } from './pooled-proportion-test.js';
export { fisherExactGreater } from './fisher-exact.js';
export { SRM_WARNING_THRESHOLD, shouldWarnSrm, srmPValue } from './srm.js';
export { adjustPValues, type PValueAdjustment } from './adjust-p-values.js';
export { DEFAULT_MINIMUM_UNITS, checkMinimumSample, type Readiness, type ReadinessReason } from './minimum-sample.js';
export {
  expectedDaysToTarget,
  minimumDetectableEffect,
  powerForEffect,
  requiredSampleSize,
  type DaysToTargetReason,
  type PowerOptions,
} from './planning.js';
export {
  planSampleSize,
  plannedPower,
  type Plan,
  type PlanBaseline,
  type PlanOptions,
  type PlanReason,
} from './plan-test.js';
export {
  thompsonWeights,
  type ThompsonOptions,
  type ThompsonReason,
  type ThompsonWeights,
} from './thompson-weights.js';
export { mulberry32, standardNormal, type RandomSource } from './prng.js';
export { gaussianSigma, laplaceScale, sampleGaussian, sampleLaplace } from './privacy/mechanisms.js';
export { noiseStatistic, type NoiseOptions, type NoisyRelease } from './privacy/noisy-statistic.js';
export {
  createBudget,
  epsilonPerRelease,
  remainingEpsilon,
  spendEpsilon,
  type BudgetRefusal,
  type BudgetSpend,
  type PrivacyBudget,
} from './privacy/budget.js';
export { DEFAULT_SUPPRESSION_K, suppressSmallCell, type SuppressedCell } from './privacy/suppression.js';
export { noiseWidening, type NoiseWidening } from './privacy/noise-widening.js';
export { noisyNormalTail } from './privacy/noisy-tail.js';
export { normalCdf, normalPdf, normalQuantile, normalSf } from './distributions/normal.js';
export { studentTCdf, studentTPdf, studentTQuantile, studentTSf } from './distributions/student-t.js';
export { chiSquareCdf, chiSquareSf } from './distributions/chi-square.js';
export { logBeta, regularizedBeta } from './distributions/beta.js';
export { logGamma, regularizedGammaP, regularizedGammaQ } from './distributions/gamma.js';
