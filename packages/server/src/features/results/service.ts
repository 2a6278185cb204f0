import type { Experience, Metric, Snapshot } from '@candor/core';
import { ExperienceAnalysis } from '@candor/schema';
import type { RandomSource } from '@candor/stats';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import type { SiteRecord } from '../sites/store.js';
import { addCells, type CellDelta, type CellSource, type DailyCell } from '../reports/store.js';
import {
  analyseExperience,
  type Engine,
  type PageCorrection,
  type MetricResult,
  type SrmResult,
  type TrustEventKind,
  type TrustGuardrail,
  type VariantMetricResult,
} from './analyse.js';
import { currentReleases, releaseNoise, type PrivacyStatus } from './privacy-release.js';
import { loadSeriesRollup, type SeriesRollup } from './series-rollup.js';

const DAY_MS = 86_400_000;

/** Flags that qualify a verdict: each has a caveat in words. */
export type VerdictFlag = 'trust_harm' | 'guardrail_harm' | 'srm' | 'privacy_budget_exhausted' | 'peeking';

/**
 * The results of an experience. The top-level `variants`, `series` and `guardrails` describe the selected
 * metric in the shape the dashboard reads (packages/dashboard/src/api/proposed.ts); `metrics` and `trust`
 * hold everything.
 */
export interface ExperienceResults {
  readonly experienceId: string;
  readonly metricId: string;
  /** The metric is lower-is-better: a negative lift is the improvement. */
  readonly lowerIsBetter: boolean;
  readonly computedAt: number;
  readonly population: 'measurement_granted';
  /** True when the figures are the demo seed's generated ones (`?data=demo`), not real visitors. */
  readonly demoData: boolean;
  /** The site also has demo figures, kept apart from real ones. */
  readonly demoAvailable: boolean;
  /** Reports no consented visitor could be found for: counted, never added to these figures. */
  readonly unattributedReports: number;
  readonly method: Engine;
  /** Where the engine came from: the experience's analysis settings or this request's `?engine=`. */
  readonly methodSource: 'experience' | 'query';
  readonly alpha: number;
  readonly cuped: boolean;
  /** The one error budget across every alarm on this page, and how relative lift was inferred. */
  readonly correction: PageCorrection;
  readonly minimumUnits: number;
  readonly differentialPrivacy: PrivacyStatus | null;
  readonly srm: SrmResult;
  /** Null for an arm below the privacy threshold k. */
  readonly exposures: readonly { readonly variantId: string; readonly n: number | null }[];
  readonly variants: readonly {
    variantId: string;
    n: number;
    mean: number;
    lift: number | null;
    interval: readonly [number, number] | null;
    pValue: number | null;
    chanceToWin: number | null;
    state: VariantMetricResult['state'];
    reason: string | null;
  }[];
  readonly series: readonly { at: number; variantId: string; lift: number; interval: readonly [number, number] }[];
  readonly metrics: readonly MetricResult[];
  readonly trust: readonly TrustGuardrail[];
  readonly guardrails: readonly { event: TrustEventKind; variantId: string; rate: number | null; flagged: boolean }[];
  readonly verdict: {
    readonly status: 'better' | 'worse' | 'inconclusive' | 'not_enough_data';
    readonly text: string;
    readonly flags: readonly VerdictFlag[];
    readonly caveats: readonly string[];
  };
}

/** What a results request may choose. */
export interface ResultsQuery {
  readonly metric?: string;
  readonly engine?: Engine;
  /** Overrides how relative lift is inferred, e.g. `delta` to compare with GrowthBook. */
  readonly relativeMethod?: ExperienceAnalysis['relativeMethod'];
  /** Real visitors' figures (the default) or the demo's generated ones; never a mix. */
  readonly data?: CellSource;
}

/** The analysis settings published with an experience; defaults when it has none (or they do not parse). */
export function analysisOf(experience: Experience): ExperienceAnalysis {
  const raw = (experience as Experience & { analysis?: unknown }).analysis;
  const parsed = ExperienceAnalysis.safeParse(raw ?? {});
  return parsed.success ? parsed.data : ExperienceAnalysis.parse({});
}

/** Cumulative cells as of the end of each day that has data. */
export function cumulativeByDay(daily: readonly DailyCell[]): { day: string; at: number; cells: CellDelta[] }[] {
  const byDay = new Map<string, DailyCell[]>();
  for (const cell of daily) {
    const cells = byDay.get(cell.day);
    if (cells === undefined) byDay.set(cell.day, [cell]);
    else cells.push(cell);
  }
  const days = [...byDay.keys()].sort();
  const running = new Map<string, CellDelta>();
  return days.map((day) => {
    for (const cell of byDay.get(day) ?? []) {
      const key = `${cell.variantId}\u0000${cell.metricId}`;
      const seen = running.get(key);
      const { day: _day, ...delta } = cell;
      running.set(key, seen === undefined ? delta : addCells(seen, delta));
    }
    return { day, at: Date.parse(`${day}T00:00:00Z`) + DAY_MS - 1, cells: [...running.values()] };
  });
}

function verdictOf(
  metric: Metric,
  primary: MetricResult | undefined,
  analysis: ReturnType<typeof analyseExperience>,
  engine: Engine,
  alpha: number,
  privacy: PrivacyStatus | null,
): ExperienceResults['verdict'] {
  const flags: VerdictFlag[] = [];
  const caveats = ['These results describe visitors who allowed measurement, not every visitor.'];
  const judged = primary?.variants.filter((variant) => variant.state === 'ok') ?? [];
  const significant = judged.filter((variant) => variant.significant);
  // Positive means "better": for a lower-is-better metric a drop is the improvement.
  const sign = metric.inverse === true ? -1 : 1;
  const direction = (variant: VariantMetricResult): number =>
    sign * ((variant.relative ?? variant.absolute)?.estimate ?? 0);
  const status =
    judged.length === 0
      ? 'not_enough_data'
      : significant.some((variant) => direction(variant) < 0)
        ? 'worse'
        : significant.some((variant) => direction(variant) > 0)
          ? 'better'
          : 'inconclusive';
  const harmed = analysis.trust.filter((guardrail) => guardrail.flagged);
  if (harmed.length > 0) {
    flags.push('trust_harm');
    const events = [...new Set(harmed.map((guardrail) => guardrail.event.replace('_', '-')))].join(', ');
    caveats.push(
      `A trust guardrail is significantly higher than in the control (${events}): visitors push back on this personalization, whatever it does to ${metric.name}.`,
    );
  }
  const guardrailHarm = analysis.metrics.filter(
    (entry) => entry.role === 'guardrail' && entry.variants.some((variant) => variant.significant),
  );
  if (guardrailHarm.length > 0) {
    flags.push('guardrail_harm');
    caveats.push(
      `A guardrail metric moved the wrong way significantly (dropped, or rose where lower is better): ${guardrailHarm
        .map((entry) => entry.name)
        .join(', ')}.`,
    );
  }
  if (analysis.srm.flagged) {
    flags.push('srm');
    caveats.push(
      'Traffic split differs from the configured weights (sample ratio mismatch): check the setup before trusting the result.',
    );
  }
  if (privacy?.state === 'budget_exhausted') {
    flags.push('privacy_budget_exhausted');
    caveats.push('The privacy budget is spent: these are the last released figures and they will not change.');
  }
  if (engine === 'frequentist' && status !== 'not_enough_data') {
    flags.push('peeking');
    caveats.push(
      'Fixed-horizon p-values assume one look at a planned sample size; use the sequential engine to read results at any time.',
    );
  }
  const lowerIsBetter = metric.inverse === true ? ' — lower is better' : '';
  const evidence =
    engine === 'bayesian'
      ? `chance to win beyond ${1 - alpha / 2} after the page-wide correction`
      : `p < ${alpha} after the page-wide correction`;
  const text = {
    not_enough_data: `Not enough data yet: each arm needs enough measured visitors with some variation in ${metric.name}.`,
    better: `A variant improves ${metric.name} over the control${lowerIsBetter} (${evidence}).`,
    worse: `A variant ${metric.inverse === true ? 'raises' : 'lowers'} ${metric.name} compared with the control${lowerIsBetter} (${evidence}).`,
    inconclusive: `No significant difference in ${metric.name} yet.`,
  }[status];
  return {
    status,
    text: flags.includes('trust_harm') ? `${text} But it costs trust: see caveats.` : text,
    flags,
    caveats,
  };
}

/**
 * The live snapshot, one of its experiences and the metric a results or planning request is about
 * (the experience's first goal unless named); a clear 4xx for each thing that is missing.
 */
export async function liveExperienceMetric(
  context: AppContext,
  site: SiteRecord,
  experienceId: string,
  requestedMetric: string | undefined,
): Promise<{ snapshot: Snapshot; experience: Experience; metricId: string; metric: Metric }> {
  const latest = await context.storage.latestSnapshot(site.id);
  if (latest === undefined) throw new AppError('not_found', `Site ${site.siteKey} has not published yet.`);
  const snapshot = JSON.parse(latest.body) as Snapshot;
  const experience = snapshot.experiences.find((candidate) => candidate.id === experienceId);
  if (experience === undefined)
    throw new AppError('not_found', `No experience "${experienceId}" in the live snapshot.`);
  const metricId = requestedMetric ?? experience.goals[0];
  if (metricId === undefined)
    throw new AppError('bad_request', `Experience ${experience.id} has no goal; pass ?metric=<id>.`);
  const metric = snapshot.metrics.find((candidate) => candidate.id === metricId);
  if (metric === undefined) throw new AppError('not_found', `No metric "${metricId}" in the live snapshot.`);
  return { snapshot, experience, metricId, metric };
}

/**
 * Results of an experience from the live snapshot and its aggregates: every goal and guardrail with the
 * engine the experience chose (or `?engine=`), CUPED, correction, SRM, trust guardrails, a daily
 * cumulative series, and, when the experience enables it, differentially private releases on a fixed cadence.
 */
export async function experienceResults(
  context: AppContext,
  site: SiteRecord,
  experienceId: string,
  query: ResultsQuery,
  random: RandomSource,
): Promise<ExperienceResults> {
  const { snapshot, experience, metricId, metric } = await liveExperienceMetric(
    context,
    site,
    experienceId,
    query.metric,
  );
  const planned = analysisOf(experience);
  const settings = query.relativeMethod === undefined ? planned : { ...planned, relativeMethod: query.relativeMethod };
  const engine = query.engine ?? settings.engine;
  // The selected metric is analysed even when it is neither a goal nor a guardrail.
  const analysed: Experience = [...experience.goals, ...(experience.guardrails ?? [])].includes(metricId)
    ? experience
    : { ...experience, goals: [metricId, ...experience.goals] };
  const source = query.data ?? 'real';
  const exact = await context.storage.listAggregates(site.id, experience.id, source);

  let cells: readonly CellDelta[] = exact;
  let history: { day: string; at: number; cells: readonly CellDelta[] }[];
  let privacy: Omit<PrivacyStatus, 'intervalWidening'> | null = null;
  let privacyInput: Parameters<typeof analyseExperience>[0]['privacy'];
  // Exact data only: a privacy release's series is its few releases, each already a fixed input.
  let rollup: SeriesRollup | undefined;
  const dp = settings.differentialPrivacy;
  if (dp !== undefined) {
    const released = await currentReleases(context, site.id, experience.id, dp, exact, snapshot.metrics, random);
    privacy = released.status;
    const last = released.releases.at(-1);
    cells = last?.cells ?? [];
    // Under DP only released figures are ever shown: the series is the releases, each at its own time.
    history = released.releases.map((release) => ({
      day: new Date(release.releasedAt).toISOString().slice(0, 10),
      at: release.releasedAt,
      cells: release.cells,
    }));
    privacyInput = { noise: last === undefined ? new Map() : releaseNoise(last, snapshot.metrics), k: dp.k };
  } else {
    history = cumulativeByDay(await context.storage.listDailyAggregates(site.id, experience.id, source));
    rollup = await loadSeriesRollup(
      context.storage,
      { siteId: site.id, experienceId: experience.id, now: context.clock() },
      { source, metricId, engine, settings, experience: analysed, metrics: snapshot.metrics },
      history,
    );
  }
  const analysis = analyseExperience({
    experience: analysed,
    metrics: snapshot.metrics,
    settings,
    engine,
    cells,
    history,
    seriesMetricId: metricId,
    ...(privacyInput === undefined ? {} : { privacy: privacyInput }),
    ...(rollup === undefined ? {} : { knownSeries: rollup.known }),
  });
  const primary = analysis.metrics.find((entry) => entry.metricId === metricId);
  await rollup?.saveComputed(primary?.series ?? []);
  const widening = analysis.metrics.flatMap((entry) => entry.variants.map((variant) => variant.noiseWidening ?? 1));
  const privacyStatus = privacy === null ? null : { ...privacy, intervalWidening: Math.max(1, ...widening) };
  return {
    experienceId: experience.id,
    metricId,
    lowerIsBetter: primary?.inverse === true,
    computedAt: context.clock(),
    population: 'measurement_granted',
    demoData: source === 'demo',
    demoAvailable: site.settings.demoData === true,
    unattributedReports: (await context.storage.listUnattributed(site.id)).reduce((sum, day) => sum + day.reports, 0),
    method: engine,
    methodSource: query.engine === undefined ? 'experience' : 'query',
    alpha: settings.alpha,
    cuped: analysis.cupedApplied,
    correction: analysis.correction,
    minimumUnits: settings.minimumUnits,
    differentialPrivacy: privacyStatus,
    srm: analysis.srm,
    exposures: analysis.arms.map((arm, index) => ({ variantId: arm, n: analysis.exposures[index] ?? null })),
    variants: (primary?.variants ?? []).map((variant) => {
      const effect = variant.relative ?? variant.absolute;
      return {
        variantId: variant.variantId,
        n: variant.n ?? 0,
        mean: variant.mean ?? 0,
        lift: variant.relative?.estimate ?? null,
        interval: variant.relative?.interval ?? null,
        pValue: effect?.pValue ?? null,
        chanceToWin: effect?.chanceToWin ?? null,
        state: variant.state,
        reason: variant.reason ?? variant.relativeReason,
      };
    }),
    series: (primary?.series ?? []).flatMap((point) =>
      point.lift === null || point.interval === null
        ? []
        : [{ at: point.at, variantId: point.variantId, lift: point.lift, interval: point.interval }],
    ),
    metrics: analysis.metrics,
    trust: analysis.trust,
    guardrails: analysis.trust.map(({ event, variantId, rate, flagged }) => ({ event, variantId, rate, flagged })),
    verdict: verdictOf(metric, primary, analysis, engine, analysis.correction.alpha, privacyStatus),
  };
}
