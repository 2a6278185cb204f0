import { randomBytes } from 'node:crypto';
import type { Metric } from '@candor/core';
import type { DifferentialPrivacySettings } from '@candor/schema';
import {
  createBudget,
  epsilonPerRelease,
  noiseStatistic,
  remainingEpsilon,
  spendEpsilon,
  type RandomSource,
} from '@candor/stats';
import type { AppContext } from '../../context.js';
import type { CellDelta } from '../reports/store.js';
import { TRUST_METRIC_PREFIX } from '../reports/service.js';
import type { CellNoise } from './analyse.js';
import type { PrivacyRelease } from './store.js';

/**
 * Uniform [0, 1) from the operating system's CSPRNG: privacy noise an observer could predict (a seeded
 * PRNG) could be subtracted again, which would void the guarantee.
 */
export const secureRandom: RandomSource = () => {
  const bytes = randomBytes(7);
  // 53 random bits → a double in [0, 1).
  const high = (bytes.readUInt32BE(0) >>> 11) * 2 ** 32;
  const low = bytes.readUInt32BE(3);
  return (high + low) / 2 ** 53;
};

/** What the results say about privacy noise. */
export interface PrivacyStatus {
  readonly mechanism: 'laplace';
  /** The experience's total ε budget. */
  readonly epsilon: number;
  readonly spent: number;
  readonly remaining: number;
  readonly epsilonPerRelease: number;
  readonly releases: number;
  readonly plannedReleases: number;
  readonly releaseEveryHours: number;
  readonly lastReleaseAt: number | null;
  readonly nextReleaseAt: number | null;
  readonly k: number;
  readonly state: 'released' | 'budget_exhausted' | 'no_data';
  /** The largest factor by which noise widens an interval in these results (filled in by the service). */
  readonly intervalWidening: number;
}

/** Per-unit cap C of a metric's values: conversions and trust events are 0/1; a mean without a cap has none. */
export function capOf(metricId: string, metrics: readonly Metric[]): number | undefined {
  if (metricId.startsWith(TRUST_METRIC_PREFIX)) return 1;
  const metric = metrics.find((candidate) => candidate.id === metricId);
  if (metric === undefined) return undefined;
  return metric.kind === 'proportion' ? 1 : metric.cap;
}

/**
 * ε of one cell: a visitor is in one arm (parallel composition across arms) but in every metric cell of
 * that arm, so a release's ε is split evenly over the metric ids it covers.
 */
export function epsilonPerCell(releaseEpsilon: number, cells: readonly CellDelta[]): number {
  const metricIds = new Set(cells.map((cell) => cell.metricId));
  return metricIds.size > 0 ? releaseEpsilon / metricIds.size : releaseEpsilon;
}

/** The Laplace scales a release used, by metric id (noiseStatistic splits a cell's ε over n, Σy, Σy²). */
export function releaseNoise(release: PrivacyRelease, metrics: readonly Metric[]): Map<string, CellNoise> {
  const epsilon = epsilonPerCell(release.epsilon, release.cells);
  const noise = new Map<string, CellNoise>();
  for (const cell of release.cells) {
    const cap = capOf(cell.metricId, metrics);
    if (cap === undefined || noise.has(cell.metricId)) continue;
    const kind = cell.metricId.startsWith(TRUST_METRIC_PREFIX)
      ? 'proportion'
      : metrics.find((metric) => metric.id === cell.metricId)?.kind;
    const parts = kind === 'proportion' ? 2 : 3;
    noise.set(cell.metricId, { n: parts / epsilon, sum: (cap * parts) / epsilon });
  }
  return noise;
}

/** Noises every cell with a cap; cells of uncapped mean metrics are left out (they cannot be released). */
export function noisyCells(
  cells: readonly CellDelta[],
  metrics: readonly Metric[],
  releaseEpsilon: number,
  random: RandomSource,
): CellDelta[] {
  const releasable = cells.filter((cell) => capOf(cell.metricId, metrics) !== undefined);
  const epsilon = epsilonPerCell(releaseEpsilon, releasable);
  return releasable.flatMap((cell) => {
    const cap = capOf(cell.metricId, metrics) ?? 1;
    const proportion =
      cell.metricId.startsWith(TRUST_METRIC_PREFIX) ||
      metrics.find((metric) => metric.id === cell.metricId)?.kind === 'proportion';
    // Ingestion clips every value to [0, C], so releases are post-processed into that region.
    const options = { epsilon, cap, random, nonNegative: true };
    const released = proportion
      ? noiseStatistic({ kind: 'proportion', n: cell.n, sum: Math.min(cell.sum, cell.n) }, options)
      : noiseStatistic({ kind: 'mean', n: cell.n, sum: cell.sum, sumSquares: cell.sumSquares }, options);
    if ('error' in released) return [];
    const stat = released.statistic;
    // Covariate sums have no declared cap, so they are never released: CUPED is off under DP.
    return [
      {
        experienceId: cell.experienceId,
        variantId: cell.variantId,
        metricId: cell.metricId,
        n: stat.n,
        sum: stat.sum,
        sumSquares: stat.kind === 'mean' ? stat.sumSquares : stat.sum,
        covariateSum: 0,
        covariateSumSquares: 0,
        crossProduct: 0,
      },
    ];
  });
}

/**
 * The releases to show: makes a new one when the cadence says one is due and the budget allows
 * (spending ε/plannedReleases), otherwise returns the existing ones, so asking again costs nothing.
 */
export async function currentReleases(
  context: AppContext,
  siteId: string,
  experienceId: string,
  settings: DifferentialPrivacySettings,
  exact: readonly CellDelta[],
  metrics: readonly Metric[],
  random: RandomSource,
): Promise<{ releases: PrivacyRelease[]; status: Omit<PrivacyStatus, 'intervalWidening'> }> {
  const now = context.clock();
  const cadence = settings.releaseEveryHours * 3_600_000;
  const perRelease = epsilonPerRelease(settings.epsilon, settings.plannedReleases);
  let releases = await context.storage.listPrivacyReleases(siteId, experienceId);
  const budgetOf = (list: readonly PrivacyRelease[]) =>
    list.reduce((budget, release) => spendEpsilon(budget, release.epsilon).budget, createBudget(settings.epsilon));
  const last = releases.at(-1);
  const due = last === undefined || now - last.releasedAt >= cadence;
  const spend = spendEpsilon(budgetOf(releases), perRelease);
  if (due && spend.ok && exact.length > 0) {
    const release: PrivacyRelease = {
      experienceId,
      seq: (last?.seq ?? 0) + 1,
      releasedAt: now,
      epsilon: perRelease,
      cells: noisyCells(exact, metrics, perRelease, random),
    };
    // Another node may have released this sequence number a moment ago: then show its release.
    await context.storage.insertPrivacyRelease(siteId, release);
    releases = await context.storage.listPrivacyReleases(siteId, experienceId);
  }
  const budget = budgetOf(releases);
  const latest = releases.at(-1);
  const exhausted = remainingEpsilon(budget) < perRelease * (1 - 1e-9);
  return {
    releases,
    status: {
      mechanism: 'laplace',
      epsilon: settings.epsilon,
      spent: budget.spentEpsilon,
      remaining: remainingEpsilon(budget),
      epsilonPerRelease: perRelease,
      releases: releases.length,
      plannedReleases: settings.plannedReleases,
      releaseEveryHours: settings.releaseEveryHours,
      lastReleaseAt: latest?.releasedAt ?? null,
      nextReleaseAt: latest === undefined || exhausted ? null : latest.releasedAt + cadence,
      k: settings.k,
      state: latest === undefined ? 'no_data' : exhausted ? 'budget_exhausted' : 'released',
    },
  };
}
