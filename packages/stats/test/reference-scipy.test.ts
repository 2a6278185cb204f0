import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../src/adjust-p-values.js';
import { chiSquareCdf, chiSquareSf } from '../src/distributions/chi-square.js';
import { normalCdf, normalQuantile, normalSf } from '../src/distributions/normal.js';
import { studentTCdf, studentTQuantile, studentTSf } from '../src/distributions/student-t.js';
import { frequentistTest } from '../src/frequentist-test.js';
import { powerForEffect, requiredSampleSize } from '../src/planning.js';
import { srmPValue } from '../src/srm.js';
import type { MeanStatistic, ProportionStatistic } from '../src/types.js';
import { withinTolerance, type ReferenceCase } from './reference-case.js';

// Expected values printed by SciPy 1.17.1 (numpy 2.4.6) on the development machine, with
// `from scipy.stats import norm, t, chi2` and `from scipy import stats`; each case names its call.
const S = 'scipy 1.17.1:';

const dist = (call: string, expected: number, actual: () => number, tolerance = 1e-12): ReferenceCase => ({
  name: call,
  source: `${S} ${call}`,
  expected,
  tolerance,
  relative: true,
  actual,
});

const distributionCases: ReferenceCase[] = [
  dist('norm.cdf(1.96)', 0.9750021048517795, () => normalCdf(1.96)),
  dist('norm.cdf(-8)', 6.22096057427174e-16, () => normalCdf(-8), 1e-10),
  dist('norm.sf(6)', 9.865876450376946e-10, () => normalSf(6), 1e-10),
  dist('norm.ppf(0.975)', 1.959963984540054, () => normalQuantile(0.975)),
  dist('norm.ppf(1e-10)', -6.361340902404056, () => normalQuantile(1e-10)),
  dist('norm.ppf(0.9999999)', 5.199337582290661, () => normalQuantile(0.9999999), 1e-10),
  dist('norm.ppf(0.3)', -0.5244005127080409, () => normalQuantile(0.3)),
  dist('t.cdf(2, 5)', 0.9490302605850708, () => studentTCdf(2, 5)),
  dist('t.cdf(-3, 12.5)', 0.005316405754948329, () => studentTCdf(-3, 12.5), 1e-10),
  dist('t.cdf(2.1, 1e6)', 0.9821354545126825, () => studentTCdf(2.1, 1e6), 1e-10),
  dist('t.sf(4.5, 3)', 0.0102452061722267, () => studentTSf(4.5, 3), 1e-10),
  dist('t.ppf(0.975, 5)', 2.5705818356363146, () => studentTQuantile(0.975, 5)),
  dist('t.ppf(0.975, 12.3)', 2.172933481758962, () => studentTQuantile(0.975, 12.3)),
  dist('t.ppf(0.995, 3.2)', 5.493257258868877, () => studentTQuantile(0.995, 3.2)),
  dist('t.ppf(1e-8, 4)', -131.59473694062356, () => studentTQuantile(1e-8, 4), 1e-10),
  dist('t.ppf(0.975, 1)', 12.706204736174694, () => studentTQuantile(0.975, 1)),
  dist('t.ppf(0.9, 2)', 1.8856180831641272, () => studentTQuantile(0.9, 2)),
  dist('t.ppf(0.95, 6866.2)', 1.6450755802892953, () => studentTQuantile(0.95, 6866.2), 1e-10),
  dist('chi2.cdf(3.5, 3)', 0.6792378791943603, () => chiSquareCdf(3.5, 3)),
  dist('chi2.sf(18.18, 1)', 2.0097834214087417e-5, () => chiSquareSf(18.18, 1), 1e-10),
  dist('chi2.sf(50, 10)', 2.669083424904495e-7, () => chiSquareSf(50, 10), 1e-10),
  dist('chi2.cdf(0.5, 0.7)', 0.6490247029684165, () => chiSquareCdf(0.5, 0.7)),
];

const srmCases: ReferenceCase[] = [
  dist(
    'stats.chisquare([1000, 1200], f_exp=[1100, 1100]).pvalue',
    2.007865612426481e-5,
    () => srmPValue([1000, 1200], [1, 1]),
    1e-10,
  ),
  dist(
    'stats.chisquare([5120, 2960, 1920], f_exp=[5000, 3000, 2000]).pvalue',
    0.036638097426147945,
    () => srmPValue([5120, 2960, 1920], [0.5, 0.3, 0.2]),
    1e-10,
  ),
  // A zero-weight arm is left out: its units and its weight.
  dist(
    'stats.chisquare([4900, 5100], f_exp=[5000, 5000]).pvalue (third arm has weight 0)',
    0.04550026389635857,
    () => srmPValue([4900, 5100, 37], [0.5, 0.5, 0]),
    1e-10,
  ),
];

// mean 10, sd 2, n 40 vs mean 11, sd 3, n 50, as sums: Σy = n·mean, Σy² = (n − 1)·sd² + Σy²/n.
const control: MeanStatistic = { kind: 'mean', n: 40, sum: 400, sumSquares: 39 * 4 + 400 ** 2 / 40 };
const treatment: MeanStatistic = { kind: 'mean', n: 50, sum: 550, sumSquares: 49 * 9 + 550 ** 2 / 50 };
const absolute = (alternative: 'two-sided' | 'greater' | 'less') =>
  frequentistTest(control, treatment, { difference: 'absolute', alternative, alpha: 0.05 });
const welchCall = 'stats.ttest_ind_from_stats(11, 3, 50, 10, 2, 40, equal_var=False';
const convA: ProportionStatistic = { kind: 'proportion', n: 2000, sum: 200 };
const convB: ProportionStatistic = { kind: 'proportion', n: 2200, sum: 253 };

const welchCases: ReferenceCase[] = [
  dist(`${welchCall}).statistic`, 1.8898223650461359, () => absolute('two-sided').estimate / absolute('two-sided').se),
  dist(`${welchCall}).pvalue`, 0.062172809377874845, () => absolute('two-sided').pValue, 1e-10),
  dist(`${welchCall}, alternative='greater').pvalue`, 0.031086404688937423, () => absolute('greater').pValue, 1e-10),
  dist(`${welchCall}, alternative='less').pvalue`, 0.9689135953110626, () => absolute('less').pValue, 1e-10),
  // Half-width t.ppf(0.975, df)·se with the Welch–Satterthwaite df = 85.43704379562044.
  dist(
    't.ppf(0.975, 85.43704379562044) * 0.5291502622129182',
    1.0520147966213187,
    () => absolute('two-sided').ciUpper - 1,
    1e-10,
  ),
  dist(
    'stats.ttest_ind_from_stats(0.115, sqrt(0.115*0.885), 2200, 0.1, sqrt(0.09), 2000, equal_var=False).pvalue',
    0.11645008654410942,
    () => frequentistTest(convA, convB, { difference: 'absolute', alternative: 'two-sided', alpha: 0.05 }).pValue,
    1e-10,
  ),
];

const P = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2];
const adjustmentCases: ReferenceCase[] = [
  ...[0.03, 0.06, 0.06, 0.03, 0.5, 0.24].map((expected, i) =>
    dist(
      `stats.false_discovery_control(${JSON.stringify(P)}, method='bh')[${i}]`,
      expected,
      () => adjustPValues(P, 'bh')[i] ?? NaN,
    ),
  ),
  // SciPy has no Holm; this is Holm (1979) step-down written out in Python next to the SciPy session.
  ...[0.05, 0.12, 0.12, 0.03, 0.5, 0.4].map((expected, i) => ({
    ...dist(`holm(${JSON.stringify(P)})[${i}]`, expected, () => adjustPValues(P, 'holm')[i] ?? NaN),
    source: `Holm 1979 step-down, hand-written Python: max over ranks of min(1, (m − rank)·p), input ${JSON.stringify(P)}`,
  })),
];

const z = 'norm.ppf(0.975) + norm.ppf(0.8)';
const planningCases: ReferenceCase[] = [
  dist('norm.cdf(0.5/0.2 - norm.ppf(0.975)) + norm.cdf(-0.5/0.2 - norm.ppf(0.975))', 0.7054180011138003, () =>
    powerForEffect(0.5, 0.2, { alpha: 0.05 }),
  ),
  {
    ...dist(
      `ceil((${z})**2 * 2 * 0.1*0.9 / 0.01**2)`,
      14128,
      () =>
        requiredSampleSize({ kind: 'proportion', n: 1000, sum: 100 }, 0.01, {
          alpha: 0.05,
          power: 0.8,
          difference: 'absolute',
        }).perVariant,
      0,
    ),
  },
  {
    ...dist(
      `ceil((${z})**2 * 2 * 4 / (0.05*10)**2)`,
      252,
      () =>
        requiredSampleSize({ kind: 'mean', n: 101, sum: 1010, sumSquares: 100 * 4 + 1010 ** 2 / 101 }, 0.05, {
          alpha: 0.05,
          power: 0.8,
          difference: 'relative',
        }).perVariant,
      0,
    ),
  },
];

describe('SciPy reference cases', () => {
  const all = [...distributionCases, ...srmCases, ...welchCases, ...adjustmentCases, ...planningCases];

  it.each(all)('$name', (c) => {
    const actual = c.actual();
    expect(withinTolerance(actual, c), `got ${actual}, expected ${c.expected} (${c.source})`).toBe(true);
  });
});
