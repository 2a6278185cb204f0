// Results for 100 experiences × 5 variants × 10 metrics: Candor's analysis beside the same Welch
// computation written on jStat's distributions. Usage: npm run -w bench bench:stats
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { Experience, Metric } from '@candor/core';
import { ExperienceAnalysis } from '@candor/schema';
import { frequentistTest, mulberry32, type MeanStatistic, type ProportionStatistic } from '@candor/stats';
import { analyseExperience, type CellDelta } from '@candor/server/testing';

interface JStat {
  studentt: { cdf(x: number, df: number): number; inv(p: number, df: number): number };
}
const { jStat } = createRequire(import.meta.url)('jstat') as { jStat: JStat };

const EXPERIENCES = 100;
const VARIANTS = 5;
const METRICS = 10;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 20);
const random = mulberry32(2026);

const metrics: Metric[] = Array.from({ length: METRICS }, (_, i) =>
  i < METRICS / 2
    ? { id: `m${i}`, name: `conversion ${i}`, kind: 'proportion' }
    : { id: `m${i}`, name: `revenue ${i}`, kind: 'mean', cap: 500 },
);

function experience(id: string): Experience {
  return {
    id,
    name: id,
    kind: 'experiment',
    audiences: [],
    variants: Array.from({ length: VARIANTS }, (_, v) => ({ id: `v${v}`, name: `v${v}`, content: {} })),
    holdout: 0,
    coverage: 1,
    allocation: 'fixed',
    hashVersion: 2,
    seed: id,
    goals: metrics.map((metric) => metric.id),
  };
}

function cell(experienceId: string, variantId: string, metric: Metric): CellDelta {
  const n = 5_000 + Math.floor(random() * 5_000);
  if (metric.kind === 'proportion') {
    const sum = Math.round(n * (0.05 + 0.05 * random()));
    return {
      experienceId,
      variantId,
      metricId: metric.id,
      n,
      sum,
      sumSquares: sum,
      covariateSum: 0,
      covariateSumSquares: 0,
      crossProduct: 0,
    };
  }
  const mean = 40 + 10 * random();
  const sd = 20 + 5 * random();
  const sum = n * mean;
  return {
    experienceId,
    variantId,
    metricId: metric.id,
    n,
    sum,
    sumSquares: sd ** 2 * (n - 1) + sum ** 2 / n,
    covariateSum: 0,
    covariateSumSquares: 0,
    crossProduct: 0,
  };
}

const experiences = Array.from({ length: EXPERIENCES }, (_, i) => experience(`e${i}`));
const cellsByExperience = experiences.map((e) => e.variants.flatMap((v) => metrics.map((m) => cell(e.id, v.id, m))));
const settings = ExperienceAnalysis.parse({});

function statOf(metric: Metric, c: CellDelta): ProportionStatistic | MeanStatistic {
  return metric.kind === 'proportion'
    ? { kind: 'proportion', n: c.n, sum: c.sum }
    : { kind: 'mean', n: c.n, sum: c.sum, sumSquares: c.sumSquares };
}

// The same per-comparison numbers (absolute and relative lift, Welch df, two-sided p, 95 % interval) from
// raw sums, with jStat supplying the Student t cdf and quantile.
function jstatCompare(metric: Metric, c: CellDelta, t: CellDelta): { p: number; lower: number; relP: number } {
  const moments = (x: CellDelta) => {
    const mean = x.sum / x.n;
    const variance = metric.kind === 'proportion' ? mean * (1 - mean) : (x.sumSquares - x.sum ** 2 / x.n) / (x.n - 1);
    return { n: x.n, mean, variance };
  };
  const a = moments(c);
  const b = moments(t);
  const u = a.variance / a.n;
  const w = b.variance / b.n;
  const df = (u + w) ** 2 / (u ** 2 / (a.n - 1) + w ** 2 / (b.n - 1));
  const diff = b.mean - a.mean;
  const se = Math.sqrt(u + w);
  const q = jStat.studentt.inv(0.975, df);
  const p = 2 * (1 - jStat.studentt.cdf(Math.abs(diff / se), df));
  const rel = diff / Math.abs(a.mean);
  const relSe = Math.sqrt(w / a.mean ** 2 + (u * b.mean ** 2) / a.mean ** 4);
  const relP = 2 * (1 - jStat.studentt.cdf(Math.abs(rel / relSe), df));
  return { p, lower: diff - q * se, relP };
}

function runCandorKernel(): number {
  let checksum = 0;
  experiences.forEach((e, i) => {
    const cells = cellsByExperience[i]!;
    for (const metric of metrics) {
      const control = cells.find((c) => c.variantId === 'v0' && c.metricId === metric.id)!;
      for (let v = 1; v < VARIANTS; v++) {
        const treatment = cells.find((c) => c.variantId === `v${v}` && c.metricId === metric.id)!;
        const options = { alternative: 'two-sided', alpha: 0.05 } as const;
        const abs = frequentistTest(statOf(metric, control), statOf(metric, treatment), {
          ...options,
          difference: 'absolute',
        });
        const rel = frequentistTest(statOf(metric, control), statOf(metric, treatment), {
          ...options,
          difference: 'relative',
        });
        checksum += abs.pValue + rel.pValue;
      }
    }
  });
  return checksum;
}

function runJstat(): number {
  let checksum = 0;
  experiences.forEach((e, i) => {
    const cells = cellsByExperience[i]!;
    for (const metric of metrics) {
      const control = cells.find((c) => c.variantId === 'v0' && c.metricId === metric.id)!;
      for (let v = 1; v < VARIANTS; v++) {
        const treatment = cells.find((c) => c.variantId === `v${v}` && c.metricId === metric.id)!;
        const r = jstatCompare(metric, control, treatment);
        checksum += r.p + r.relP;
      }
    }
  });
  return checksum;
}

function runCandorResults(): number {
  let checksum = 0;
  experiences.forEach((e, i) => {
    const analysis = analyseExperience({
      experience: e,
      metrics,
      settings,
      engine: 'frequentist',
      cells: cellsByExperience[i]!,
      history: [],
    });
    checksum += analysis.srm.pValue;
  });
  return checksum;
}

function time(label: string, fn: () => number): { label: string; median: number; p95: number } {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((x, y) => x - y);
  return {
    label,
    median: samples[Math.floor(samples.length / 2)]!,
    p95: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))]!,
  };
}

// Agreement first: the two kernels must compute the same numbers, or the timing compares nothing.
let worst = 0;
experiences.forEach((e, i) => {
  const cells = cellsByExperience[i]!;
  for (const metric of metrics) {
    const control = cells.find((c) => c.variantId === 'v0' && c.metricId === metric.id)!;
    for (let v = 1; v < VARIANTS; v++) {
      const treatment = cells.find((c) => c.variantId === `v${v}` && c.metricId === metric.id)!;
      const ours = frequentistTest(statOf(metric, control), statOf(metric, treatment), {
        difference: 'absolute',
        alternative: 'two-sided',
        alpha: 0.05,
      });
      const theirs = jstatCompare(metric, control, treatment);
      worst = Math.max(worst, Math.abs(ours.pValue - theirs.p), Math.abs(ours.ciLower - theirs.lower));
    }
  }
});

const comparisons = EXPERIENCES * (VARIANTS - 1) * METRICS;
const rows = [
  time('@candor/stats frequentistTest (absolute + relative)', runCandorKernel),
  time('jStat 1.9 Student t (same Welch + delta method)', runJstat),
  time('Candor results analysis (all of the above + Holm, SRM, trust, states)', runCandorResults),
];
process.stdout.write(
  `${EXPERIENCES} experiences × ${VARIANTS} variants × ${METRICS} metrics = ${comparisons} comparisons, ${ROUNDS} rounds, Node ${process.version}\n`,
);
process.stdout.write(`largest |p or CI bound difference| Candor vs jStat: ${worst.toExponential(2)}\n`);
for (const row of rows)
  process.stdout.write(`${row.label.padEnd(72)} median ${row.median.toFixed(1)} ms  p95 ${row.p95.toFixed(1)} ms\n`);
