// Monte-Carlo calibration of the results page: simulated experiments go through analyseExperience, the
// function the server's results route runs, and every alarm it raises is counted. Beside it, the same
// data judged the way gbstats does (delta-method relative lift, Holm over goals only, guardrails and
// trust rows at raw alpha, SRM chi-square at 0.001, privacy-released counts read as exact).
import type { Experience, Metric } from '@candor/core';
import { ExperienceAnalysis } from '@candor/schema';
import {
  adjustPValues,
  frequentistTest,
  mulberry32,
  pooledProportionTest,
  srmPValue,
  standardNormal,
  type RandomSource,
} from '@candor/stats';
import { analyseExperience, type Analysis, type CellDelta, noisyCells, releaseNoise } from '@candor/server/testing';

/** The goal's data-generating process. */
export type GoalKind = { readonly kind: 'proportion'; readonly rate: number } | { readonly kind: 'revenue' };

/** One simulated setting. */
export interface Scenario {
  readonly name: string;
  readonly arms: number;
  readonly perArm: number;
  readonly goal: GoalKind;
  readonly engine: 'frequentist' | 'sequential' | 'bayesian';
  /** Relative lift of every non-control arm on the goal (0 = A/A). */
  readonly lift?: number;
  /** Total ε over 30 releases; the page read at the last planned release. */
  readonly epsilon?: number;
  /** Looks at the data, equally spaced, for sequential monitoring (default 1). */
  readonly looks?: number;
}

/** A rate with its 95% Wilson interval. */
export interface Rate {
  readonly hits: number;
  readonly runs: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

/** What a scenario measured. */
export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly candor: Readonly<Record<AlarmKind, Rate>>;
  readonly gbstats: Readonly<Record<AlarmKind, Rate>>;
  /**
   * Coverage of the first variant's relative-lift interval (true lift inside), among runs that showed
   * one: Candor, then gbstats' delta method on the same cells.
   */
  readonly coverage: { readonly candor: Rate; readonly gbstats: Rate };
  /** Two-sided goal rejections split by direction (A/A: each should be about α/2). */
  readonly direction: { readonly up: Rate; readonly down: Rate };
}

/** The alarms a results page can raise. */
export type AlarmKind = 'any' | 'goal' | 'guardrail' | 'trust' | 'srm';
const ALARMS: readonly AlarmKind[] = ['any', 'goal', 'guardrail', 'trust', 'srm'];

/** Wilson score interval for hits / runs at 95%. */
export function wilson(hits: number, runs: number): Rate {
  const z = 1.959964;
  const p = runs > 0 ? hits / runs : 0;
  const denominator = 1 + z ** 2 / runs;
  const centre = (p + z ** 2 / (2 * runs)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / runs + z ** 2 / (4 * runs ** 2))) / denominator;
  return { hits, runs, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

const TRUST_RATES = { opt_out: 0.02, not_relevant: 0.01, preference_center: 0.005 } as const;
const REVENUE_CAP = 500;

function metricsOf(goal: GoalKind): Metric[] {
  return [
    goal.kind === 'proportion'
      ? { id: 'goal', name: 'Goal', kind: 'proportion' }
      : { id: 'goal', name: 'Revenue', kind: 'mean', cap: REVENUE_CAP },
    { id: 'pages', name: 'Pages', kind: 'mean', cap: 50 },
  ];
}

function experienceOf(arms: number): Experience {
  return {
    id: 'calibration',
    name: 'calibration',
    kind: 'experiment',
    audiences: [],
    variants: Array.from({ length: arms }, (_, i) => ({ id: `v${i}`, name: `v${i}`, content: {} })),
    holdout: 0,
    coverage: 1,
    allocation: 'fixed',
    hashVersion: 2,
    seed: 'calibration',
    goals: ['goal'],
    guardrails: ['pages'],
  };
}

interface Sums {
  n: number;
  sum: number;
  sumSquares: number;
}

const empty = (): Sums => ({ n: 0, sum: 0, sumSquares: 0 });
const add = (s: Sums, y: number): void => {
  s.n += 1;
  s.sum += y;
  s.sumSquares += y * y;
};

// Revenue: 10% of visitors buy, order values log-normal (median 40, heavy right tail), capped.
function revenue(random: RandomSource, lift: number): number {
  if (random() >= 0.1) return 0;
  return Math.min(REVENUE_CAP, (1 + lift) * 40 * Math.exp(0.9 * standardNormal(random) - 0.405));
}

function visitorGoal(goal: GoalKind, random: RandomSource, lift: number): number {
  return goal.kind === 'proportion' ? (random() < goal.rate * (1 + lift) ? 1 : 0) : revenue(random, lift);
}

// Pages per visit: 1 + a geometric count, mean 3.
function pages(random: RandomSource): number {
  let count = 1;
  while (random() < 2 / 3 && count < 50) count += 1;
  return count;
}

interface ArmSums {
  goal: Sums;
  pages: Sums;
  trust: Record<keyof typeof TRUST_RATES, number>;
}

function cellsOf(arms: readonly ArmSums[]): CellDelta[] {
  const cell = (variantId: string, metricId: string, s: Sums): CellDelta => ({
    experienceId: 'calibration',
    variantId,
    metricId,
    n: s.n,
    sum: s.sum,
    sumSquares: s.sumSquares,
    covariateSum: 0,
    covariateSumSquares: 0,
    crossProduct: 0,
  });
  return arms.flatMap((arm, i) => [
    cell(`v${i}`, 'goal', arm.goal),
    cell(`v${i}`, 'pages', arm.pages),
    ...Object.entries(arm.trust).map(([event, count]) =>
      cell(`v${i}`, `$trust.${event}`, { n: count, sum: count, sumSquares: count }),
    ),
  ]);
}

/** Whether the page raised each kind of alarm. */
function alarmsOf(analysis: Analysis): Record<AlarmKind, boolean> {
  const goal = analysis.metrics.some((m) => m.role === 'goal' && m.variants.some((v) => v.significant));
  const guardrail = analysis.metrics.some((m) => m.role === 'guardrail' && m.variants.some((v) => v.significant));
  const trust = analysis.trust.some((row) => row.flagged);
  const srm = analysis.srm.flagged;
  return { any: goal || guardrail || trust || srm, goal, guardrail, trust, srm };
}

/** gbstats' way on the same cells: what the page showed before one error budget. */
function gbstatsAlarms(
  cells: readonly CellDelta[],
  arms: number,
  alpha: number,
  proportion: boolean,
  sequential: { readonly tuningN: number } | undefined,
): Record<AlarmKind, boolean> {
  const get = (arm: number, metric: string) => cells.find((c) => c.variantId === `v${arm}` && c.metricId === metric);
  const statOf = (c: CellDelta | undefined, metric: string) =>
    c === undefined
      ? undefined
      : metric === 'goal' && proportion
        ? ({ kind: 'proportion', n: c.n, sum: Math.min(c.sum, c.n) } as const)
        : ({
            kind: 'mean',
            n: c.n,
            sum: c.sum,
            sumSquares: Math.max(c.sumSquares, c.sum ** 2 / Math.max(1, c.n)),
          } as const);
  const goalPs: number[] = [];
  let guardrail = false;
  let trust = false;
  const exposures = Array.from({ length: arms }, (_, i) => Math.max(get(i, 'goal')?.n ?? 0, get(i, 'pages')?.n ?? 0));
  for (let i = 1; i < arms; i++) {
    const g = frequentistTest(statOf(get(0, 'goal'), 'goal'), statOf(get(i, 'goal'), 'goal'), {
      difference: 'relative',
      alternative: 'two-sided',
      alpha,
      ...(sequential === undefined ? {} : { sequential }),
    });
    if (g.error === undefined) goalPs.push(g.pValue);
    const p = frequentistTest(statOf(get(0, 'pages'), 'pages'), statOf(get(i, 'pages'), 'pages'), {
      difference: 'relative',
      alternative: 'less',
      alpha,
      ...(sequential === undefined ? {} : { sequential }),
    });
    if (p.error === undefined && p.pValue < alpha) guardrail = true;
    for (const event of Object.keys(TRUST_RATES)) {
      const count = (arm: number) => Math.min(get(arm, `$trust.${event}`)?.n ?? 0, exposures[arm] ?? 0);
      const t = pooledProportionTest(
        { kind: 'proportion', n: exposures[0] ?? 0, sum: count(0) },
        { kind: 'proportion', n: exposures[i] ?? 0, sum: count(i) },
        'greater',
      );
      if (t.error === undefined && t.pValue < alpha) trust = true;
    }
  }
  const goal = adjustPValues(goalPs, 'holm').some((p) => p < alpha);
  const srm = srmPValue(exposures, new Array<number>(arms).fill(1)) < 0.001;
  return { any: goal || guardrail || trust || srm, goal, guardrail, trust, srm };
}

/**
 * Runs a scenario `runs` times from `seed` and counts, for Candor and for gbstats' method on the same
 * data, how often each kind of alarm was raised, how often the goal's relative interval covered the
 * true lift, and in which direction goal verdicts went.
 */
export function runScenario(scenario: Scenario, runs: number, seed: number): ScenarioResult {
  const random = mulberry32(seed);
  const metrics = metricsOf(scenario.goal);
  const experience = experienceOf(scenario.arms);
  const settings = ExperienceAnalysis.parse({
    engine: scenario.engine,
    ...(scenario.epsilon === undefined ? {} : { differentialPrivacy: { epsilon: scenario.epsilon } }),
  });
  const lift = scenario.lift ?? 0;
  const looks = scenario.looks ?? 1;
  const counts = { candor: zero(), gbstats: zero() };
  let coveredCandor = 0;
  let coveredGbstats = 0;
  let intervalsCandor = 0;
  let intervalsGbstats = 0;
  let up = 0;
  let down = 0;
  for (let run = 0; run < runs; run++) {
    const arms: ArmSums[] = Array.from({ length: scenario.arms }, () => ({
      goal: empty(),
      pages: empty(),
      trust: { opt_out: 0, not_relevant: 0, preference_center: 0 },
    }));
    const seen = { candor: noAlarms(), gbstats: noAlarms() };
    let last: Analysis | undefined;
    let lastCells: CellDelta[] = [];
    for (let look = 1; look <= looks; look++) {
      const target = Math.round((scenario.perArm * look) / looks);
      arms.forEach((arm, i) => {
        while (arm.goal.n < target) {
          add(arm.goal, visitorGoal(scenario.goal, random, i === 0 ? 0 : lift));
          add(arm.pages, pages(random));
          for (const [event, rate] of Object.entries(TRUST_RATES))
            if (random() < rate) arm.trust[event as keyof typeof TRUST_RATES] += 1;
        }
      });
      const exact = cellsOf(arms);
      let cells = exact;
      let privacy: Parameters<typeof analyseExperience>[0]['privacy'];
      if (settings.differentialPrivacy !== undefined) {
        const epsilon = settings.differentialPrivacy.epsilon / settings.differentialPrivacy.plannedReleases;
        cells = noisyCells(exact, metrics, epsilon, random);
        const release = { experienceId: 'calibration', seq: look, releasedAt: look, epsilon, cells };
        privacy = { noise: releaseNoise(release, metrics), k: settings.differentialPrivacy.k };
      }
      last = analyseExperience({
        experience,
        metrics,
        settings,
        engine: scenario.engine,
        cells,
        history: [],
        ...(privacy === undefined ? {} : { privacy }),
      });
      lastCells = cells;
      const candor = alarmsOf(last);
      const gbstats = gbstatsAlarms(
        cells,
        scenario.arms,
        settings.alpha,
        scenario.goal.kind === 'proportion',
        scenario.engine === 'sequential' ? { tuningN: settings.tuningN } : undefined,
      );
      for (const kind of ALARMS) {
        seen.candor[kind] ||= candor[kind];
        seen.gbstats[kind] ||= gbstats[kind];
      }
    }
    for (const kind of ALARMS) {
      if (seen.candor[kind]) counts.candor[kind] += 1;
      if (seen.gbstats[kind]) counts.gbstats[kind] += 1;
    }
    const variant = last?.metrics.find((m) => m.metricId === 'goal')?.variants[1];
    const interval = variant?.relative?.interval;
    if (interval !== undefined) {
      intervalsCandor += 1;
      if (interval[0] <= lift && lift <= interval[1]) coveredCandor += 1;
    }
    if (variant?.significant === true) {
      if ((variant.relative ?? variant.absolute)!.estimate > 0) up += 1;
      else down += 1;
    }
    const c = lastCells.find((cell) => cell.variantId === 'v0' && cell.metricId === 'goal');
    const t = lastCells.find((cell) => cell.variantId === 'v1' && cell.metricId === 'goal');
    if (c !== undefined && t !== undefined) {
      const stat = (cell: CellDelta) =>
        scenario.goal.kind === 'proportion'
          ? ({ kind: 'proportion', n: cell.n, sum: Math.min(cell.sum, cell.n) } as const)
          : ({ kind: 'mean', n: cell.n, sum: cell.sum, sumSquares: cell.sumSquares } as const);
      const delta = frequentistTest(stat(c), stat(t), {
        difference: 'relative',
        alternative: 'two-sided',
        alpha: settings.alpha,
      });
      if (delta.error === undefined) {
        intervalsGbstats += 1;
        if (delta.ciLower <= lift && lift <= delta.ciUpper) coveredGbstats += 1;
      }
    }
  }
  const rates = (hits: Record<AlarmKind, number>) =>
    Object.fromEntries(ALARMS.map((kind) => [kind, wilson(hits[kind], runs)])) as Record<AlarmKind, Rate>;
  return {
    scenario,
    candor: rates(counts.candor),
    gbstats: rates(counts.gbstats),
    coverage: { candor: wilson(coveredCandor, intervalsCandor), gbstats: wilson(coveredGbstats, intervalsGbstats) },
    direction: { up: wilson(up, runs), down: wilson(down, runs) },
  };
}

function zero(): Record<AlarmKind, number> {
  return { any: 0, goal: 0, guardrail: 0, trust: 0, srm: 0 };
}

function noAlarms(): Record<AlarmKind, boolean> {
  return { any: false, goal: false, guardrail: false, trust: false, srm: false };
}
