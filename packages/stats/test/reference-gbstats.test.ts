import { describe, expect, it } from 'vitest';
import { bayesianTest } from '../src/bayesian-test.js';
import { frequentistTest, type FrequentistOptions } from '../src/frequentist-test.js';
import { srmPValue } from '../src/srm.js';
import type { MeanCupedStatistic, MeanStatistic, ProportionStatistic } from '../src/types.js';
import { withinTolerance, type ReferenceCase } from './reference-case.js';

// Expected values are GrowthBook's gbstats unit tests (Python, MIT), which assert results rounded to
// 5 decimals: hence the 6e-6 absolute tolerance. Files, at the versions read:
const FREQ = 'growthbook/growthbook packages/stats/tests/frequentist/test_tests.py';
const BAYES = 'growthbook/growthbook packages/stats/tests/bayesian/test_tests.py';
const GBSTATS = 'growthbook/growthbook packages/stats/tests/test_gbstats.py';
const ROUNDED = 6e-6;

const mean = (n: number, sum: number, sumSquares: number): MeanStatistic => ({ kind: 'mean', n, sum, sumSquares });
const proportion = (n: number, sum: number): ProportionStatistic => ({ kind: 'proportion', n, sum });
const cuped = (n: number, post: [number, number], pre: [number, number]): MeanCupedStatistic => ({
  kind: 'meanCuped',
  n,
  post: { sum: post[0], sumSquares: post[1] },
  pre: { sum: pre[0], sumSquares: pre[1] },
  postPreSumProduct: 1,
});

const a3407 = mean(3407, 1396.87, 52377.9767);
const a3000 = mean(3000, 1396.87, 52377.9767);
const b3461 = mean(3461, 2422.7, 134698.29);
const opts = (o: Partial<FrequentistOptions>): FrequentistOptions => ({
  difference: 'relative',
  alternative: 'two-sided',
  alpha: 0.05,
  ...o,
});
const freq = (
  c: MeanStatistic | ProportionStatistic | MeanCupedStatistic,
  t: typeof c,
  o: Partial<FrequentistOptions>,
) => frequentistTest(c, t, opts(o));

type Field = 'estimate' | 'ciLower' | 'ciUpper' | 'se' | 'pValue';
function expand(
  name: string,
  source: string,
  run: () => Record<Field, number>,
  expected: Partial<Record<Field, number>>,
  tolerance = ROUNDED,
): ReferenceCase[] {
  return Object.entries(expected).map(([field, value]) => ({
    name: `${name}: ${field}`,
    source,
    expected: value,
    tolerance,
    actual: () => run()[field as Field],
  }));
}

const cases: ReferenceCase[] = [
  ...expand('two-sided relative', `${FREQ} TestTwoSidedTTest.test_two_sided_ttest`, () => freq(a3407, b3461, {}), {
    estimate: 0.70732,
    ciLower: -0.03526,
    ciUpper: 1.44989,
    se: 0.37879,
    pValue: 0.06191,
  }),
  ...expand(
    'two-sided absolute',
    `${FREQ} TestTwoSidedTTest.test_two_sided_ttest_absolute`,
    () => freq(a3407, b3461, { difference: 'absolute' }),
    {
      estimate: 0.29,
      ciLower: 0.04538,
      ciUpper: 0.53462,
      se: 0.12478,
      pValue: 0.02016,
    },
  ),
  ...expand(
    'two-sided binomial',
    `${FREQ} TestTwoSidedTTest.test_two_sided_ttest_binom`,
    () => freq(proportion(28, 14), proportion(30, 16), {}),
    {
      estimate: 0.06667,
      ciLower: -0.47767,
      ciUpper: 0.61101,
      se: 0.2717,
      pValue: 0.80707,
    },
  ),
  ...expand(
    'sequential, N* = 1000',
    `${FREQ} TestSequentialTTest.test_sequential_test_runs`,
    () => freq(a3000, b3461, { sequential: { tuningN: 1000 } }),
    {
      estimate: 0.50336,
      ciLower: -0.55844,
      ciUpper: 1.56516,
      se: 0.33341,
      pValue: 1,
    },
  ),
  ...expand(
    'sequential proportion',
    `${FREQ} TestSequentialTTest.test_sequential_test_runs_prop (default N* = 5000)`,
    () => freq(proportion(3000, 1396), proportion(3461, 2422), { sequential: { tuningN: 5000 } }),
    {
      estimate: 0.50386,
      ciLower: 0.40098,
      ciUpper: 0.60675,
      se: 0.03386,
      pValue: 0,
    },
  ),
  ...expand(
    'sequential CUPED',
    `${FREQ} TestSequentialTTest.test_sequential_test_runs_ra`,
    () =>
      freq(cuped(3000, [1396.87, 52377.9767], [16.87, 527.9767]), cuped(3461, [2422.7, 134698.29], [22.7, 1348.29]), {
        sequential: { tuningN: 5000 },
      }),
    {
      estimate: 0.50338,
      ciLower: -0.50969,
      ciUpper: 1.51646,
      se: 0.33341,
      pValue: 1,
    },
  ),
  ...expand(
    'one-sided greater relative',
    `${FREQ} TestOneSidedGreaterTTest.test_one_sided_ttest`,
    () => freq(a3000, b3461, { alternative: 'greater' }),
    {
      ciLower: -0.045136675850396046,
      pValue: 0.06558262868467746,
    },
    1e-9,
  ),
  ...expand(
    'one-sided greater absolute',
    `${FREQ} TestOneSidedGreaterTTest.test_one_sided_ttest_absolute`,
    () => freq(a3000, b3461, { alternative: 'greater', difference: 'absolute' }),
    {
      estimate: 0.23437666666666668,
      ciLower: 0.020791480063255735,
      se: 0.12983081254184736,
      pValue: 0.03554272489873023,
    },
    1e-9,
  ),
  ...expand(
    'one-sided less relative',
    `${FREQ} TestOneSidedLesserTTest.test_one_sided_ttest`,
    () => freq(a3000, b3461, { alternative: 'less' }),
    {
      ciUpper: 1.0518588475628676,
      pValue: 0.9344173713153225,
    },
    1e-9,
  ),
  ...expand(
    'one-sided less absolute',
    `${FREQ} TestOneSidedLesserTTest.test_one_sided_ttest_absolute`,
    () => freq(a3000, b3461, { alternative: 'less', difference: 'absolute' }),
    {
      ciUpper: 0.44796185327007765,
      pValue: 0.9644572751012698,
    },
    1e-9,
  ),
  ...expand(
    'sequential greater relative',
    `${FREQ} TestSequentialOneSidedGreaterTTest.test_one_sided_ttest`,
    () => freq(a3000, b3461, { alternative: 'greater', sequential: { tuningN: 5000 } }),
    {
      ciLower: -0.42356454602790883,
      pValue: 0.4999,
    },
    1e-9,
  ),
  ...expand(
    'sequential less absolute',
    `${FREQ} TestSequentialOneSidedLesserTTest.test_one_sided_ttest_absolute`,
    () => freq(a3000, b3461, { alternative: 'less', difference: 'absolute', sequential: { tuningN: 5000 } }),
    {
      ciUpper: 0.5953217750613832,
      pValue: 0.4999,
    },
    1e-9,
  ),
  // gbstats finds this p-value by bisection to a 1e-6 tolerance on the bound; we solve for it exactly.
  ...expand(
    'sequential greater absolute',
    `${FREQ} TestSequentialOneSidedGreaterTTest.test_one_sided_ttest_absolute`,
    () => freq(a3000, b3461, { alternative: 'greater', difference: 'absolute', sequential: { tuningN: 5000 } }),
    {
      ciLower: -0.12656844172804982,
      pValue: 0.46316491943359384,
    },
    2e-4,
  ),
  ...expand(
    'Bayesian binomial, flat prior',
    `${BAYES} TestBinom.test_bayesian_binomial_ab_test (GaussianEffectABTest)`,
    () => {
      const r = bayesianTest(proportion(100, 49), proportion(100, 51), { difference: 'relative', alpha: 0.05 });
      return { ...r, pValue: r.chanceToWin };
    },
    { estimate: 0.04082, ciLower: -0.24779, ciUpper: 0.32943, se: 0.14725, pValue: 0.60918 },
  ),
  ...expand(
    'Bayesian gaussian, flat prior',
    `${BAYES} TestNorm.test_bayesian_gaussian_ab_test (GaussianEffectABTest)`,
    () => {
      const r = bayesianTest(mean(10, 100, 1002.25), mean(10, 105, 1111.5), { difference: 'relative', alpha: 0.05 });
      return { ...r, pValue: r.chanceToWin };
    },
    { estimate: 0.05, ciLower: -0.02, ciUpper: 0.12, se: 0.03572, pValue: 0.91923 },
  ),
  {
    name: 'Bayesian binomial: risk (control, treatment)',
    source: `${BAYES} TestBinom.test_bayesian_binomial_ab_test risk[0]`,
    expected: 0.0814,
    tolerance: ROUNDED,
    actual: () =>
      bayesianTest(proportion(100, 49), proportion(100, 51), { difference: 'relative', alpha: 0.05 }).riskControl,
  },
  {
    name: 'Bayesian binomial: risk treatment',
    source: `${BAYES} TestBinom.test_bayesian_binomial_ab_test risk[1]`,
    expected: 0.04058,
    tolerance: ROUNDED,
    actual: () =>
      bayesianTest(proportion(100, 49), proportion(100, 51), { difference: 'relative', alpha: 0.05 }).riskTreatment,
  },
  {
    name: 'Bayesian gaussian: risk control',
    source: `${BAYES} TestNorm.test_bayesian_gaussian_ab_test risk[0]`,
    expected: 0.05131,
    tolerance: ROUNDED,
    actual: () =>
      bayesianTest(mean(10, 100, 1002.25), mean(10, 105, 1111.5), { difference: 'relative', alpha: 0.05 }).riskControl,
  },
  {
    name: 'Bayesian gaussian: risk treatment',
    source: `${BAYES} TestNorm.test_bayesian_gaussian_ab_test risk[1]`,
    expected: 0.00131,
    tolerance: ROUNDED,
    actual: () =>
      bayesianTest(mean(10, 100, 1002.25), mean(10, 105, 1111.5), { difference: 'relative', alpha: 0.05 })
        .riskTreatment,
  },
  {
    name: 'SRM 1000 vs 1200 at 50/50',
    source: `${GBSTATS} test_srm (rounded to 9 decimals)`,
    expected: 0.000020079,
    tolerance: 6e-10,
    actual: () => srmPValue([1000, 1200], [0.5, 0.5]),
  },
];

describe('gbstats reference cases', () => {
  it('has a citation and tolerance for every case', () => {
    for (const c of cases) expect(c.source.length > 0 && c.tolerance > 0).toBe(true);
  });

  it.each(cases)('$name ($source)', (c) => {
    const actual = c.actual();
    expect(withinTolerance(actual, c), `got ${actual}, expected ${c.expected} ± ${c.tolerance}`).toBe(true);
  });

  it('two-sided test with a negative variance at n = 2 returns ZERO_NEGATIVE_VARIANCE', () => {
    // test_two_sided_ttest_missing_variance: gbstats returns its default output with this message.
    const r = freq(mean(2, 1396.87, 52377.9767), b3461, {});
    expect(r).toEqual({ estimate: 0, ciLower: 0, ciUpper: 0, se: 0, pValue: 1, error: 'ZERO_NEGATIVE_VARIANCE' });
  });
});
