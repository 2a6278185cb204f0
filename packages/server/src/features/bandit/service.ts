import { createHash } from 'node:crypto';
import type { Experience, Metric, Snapshot } from '@candor/core';
import { BanditSettings } from '@candor/schema';
import { mulberry32, thompsonWeights, type Statistic, type ThompsonReason } from '@candor/stats';
import type { AppContext } from '../../context.js';
import { publishRevision } from '../publish/service.js';
import type { CellDelta } from '../reports/store.js';
import { analysisOf } from '../results/service.js';
import type { SiteRecord } from '../sites/store.js';

/** The audit actor of the bandit job. */
export const BANDIT_ACTOR = 'system:bandit';
/** Weights closer than this to the live ones are not worth a new snapshot. */
export const WEIGHT_TOLERANCE = 0.005;

/** What one run did for one experience. */
export interface BanditOutcome {
  readonly siteKey: string;
  readonly experienceId: string;
  readonly status: 'published' | 'unchanged' | 'not_due' | 'claimed_elsewhere' | 'refused' | 'waiting';
  /** Thompson's reason (UPDATED, BURN_IN, …) or why the publish was refused. */
  readonly reason: string;
  readonly weights: Readonly<Record<string, number>>;
  readonly version?: number;
}

function statisticOf(metric: Metric, cell: CellDelta | undefined): Statistic {
  if (cell === undefined) return { kind: 'proportion', n: 0, sum: 0 };
  return metric.kind === 'proportion'
    ? { kind: 'proportion', n: cell.n, sum: Math.min(cell.sum, cell.n) }
    : { kind: 'mean', n: cell.n, sum: cell.sum, sumSquares: cell.sumSquares };
}

// Reproducible Monte Carlo: the same experience at the same run time draws the same weights.
function seedOf(experienceId: string, at: number): number {
  return createHash('sha256').update(`${experienceId}:${at}`).digest().readUInt32BE(0);
}

function liveWeights(experience: Experience): number[] {
  const raw = experience.variants.map((variant) => variant.weight ?? 1);
  const total = raw.reduce((sum, weight) => sum + weight, 0);
  return raw.map((weight) => (total > 0 ? weight / total : 1 / raw.length));
}

function explainWhy(
  reason: ThompsonReason,
  metric: Metric,
  weights: readonly number[],
  ids: readonly string[],
): string {
  if (reason !== 'UPDATED') return `Thompson sampling kept equal weights (${reason}).`;
  const best = weights.indexOf(Math.max(...weights));
  return `Thompson sampling on ${metric.name}: ${ids[best] ?? '?'} is most likely best so far (${ids
    .map((id, index) => `${id} ${((weights[index] ?? 0) * 100).toFixed(1)}%`)
    .join(', ')}).`;
}

/**
 * Re-weights one bandit experience: Thompson weights from its aggregates (the latest privacy release
 * when the experience uses DP, so no extra ε is spent), with a minimum exploration share and burn-in, on
 * a fixed cadence claimed in storage; publishes a new snapshot when weights moved, and audits why.
 *
 * Weights are per experience: an experience already targets its audiences, so "visitors like you" are
 * the visitors of that experience's audience. Finer segments would need per-segment aggregates, which
 * Candor does not keep.
 */
export async function reweightExperience(
  context: AppContext,
  site: SiteRecord,
  snapshot: Snapshot,
  experience: Experience,
): Promise<BanditOutcome> {
  const now = context.clock();
  const analysis = analysisOf(experience);
  const settings = analysis.bandit ?? BanditSettings.parse({});
  const ids = experience.variants.map((variant) => variant.id);
  const current = Object.fromEntries(ids.map((id, index) => [id, liveWeights(experience)[index] ?? 0]));
  const base = { siteKey: site.siteKey, experienceId: experience.id };
  const metricId = settings.metric ?? experience.goals[0];
  const metric = snapshot.metrics.find((candidate) => candidate.id === metricId);
  if (metric === undefined) return { ...base, status: 'refused', reason: 'NO_GOAL', weights: current };

  const previous = await context.storage.getBanditRun(site.id, experience.id);
  if (previous !== undefined && now - previous.ranAt < settings.cadenceHours * 3_600_000)
    return { ...base, status: 'not_due', reason: 'CADENCE', weights: current };

  const cells =
    analysis.differentialPrivacy === undefined
      ? await context.storage.listAggregates(site.id, experience.id)
      : ((await context.storage.listPrivacyReleases(site.id, experience.id)).at(-1)?.cells ?? []);
  const arms = ids.map((id) =>
    statisticOf(
      metric,
      cells.find((cell) => cell.variantId === id && cell.metricId === metric.id),
    ),
  );
  const thompson = thompsonWeights(arms, {
    random: mulberry32(seedOf(experience.id, now)),
    minimumShare: settings.minimumShare,
    burnInUnits: settings.burnInUnits,
  });
  const rounded = thompson.weights.map((weight) => Math.round(weight * 10_000) / 10_000);
  const weights = Object.fromEntries(ids.map((id, index) => [id, rounded[index] ?? 0]));
  const outcome = { ...base, reason: thompson.reason, weights };
  if (
    !(await context.storage.claimBanditRun(
      site.id,
      { experienceId: experience.id, ranAt: now, outcome },
      previous?.ranAt,
    ))
  )
    return { ...base, status: 'claimed_elsewhere', reason: 'CLAIMED', weights: current };
  if (thompson.reason !== 'UPDATED') return { ...outcome, status: 'waiting' };
  const live = liveWeights(experience);
  if (rounded.every((weight, index) => Math.abs(weight - (live[index] ?? 0)) < WEIGHT_TOLERANCE))
    return { ...outcome, status: 'unchanged' };

  const why = explainWhy(thompson.reason, metric, rounded, ids);
  const published = await publishRevision(
    context,
    site,
    (live) => ({
      ...live,
      experiences: live.experiences.map((candidate) =>
        candidate.id === experience.id
          ? {
              ...candidate,
              variants: candidate.variants.map((variant) => ({ ...variant, weight: weights[variant.id] ?? 0 })),
            }
          : candidate,
      ),
    }),
    BANDIT_ACTOR,
    why,
  );
  if (!published.ok) return { ...outcome, status: 'refused', reason: published.refusal };
  // Carry the weights into the draft too, so the next human publish does not silently reset them.
  const draft = await context.storage.getDraft(site.id, 'experiences', experience.id);
  if (draft !== undefined && typeof draft.body === 'object' && draft.body !== null) {
    const body = draft.body as { variants?: { id: string; weight?: number }[] };
    const variants = body.variants?.map((variant) =>
      weights[variant.id] === undefined ? variant : { ...variant, weight: weights[variant.id] },
    );
    await context.storage.putDraft(site.id, 'experiences', experience.id, { ...body, variants }, now);
  }
  await context.storage.appendAudit({
    at: now,
    actor: BANDIT_ACTOR,
    action: 'bandit.reweight',
    siteId: site.id,
    target: `experiences/${experience.id}`,
    before: { weights: current },
    after: { weights, reason: why, metric: metric.id, version: published.result.version },
  });
  return { ...outcome, status: 'published', version: published.result.version };
}

/** Runs every bandit experience of every site once (the timer and `candor bandit run` call this). */
export async function runBandits(context: AppContext): Promise<BanditOutcome[]> {
  const outcomes: BanditOutcome[] = [];
  for (const site of await context.storage.listSites()) {
    const latest = await context.storage.latestSnapshot(site.id);
    if (latest === undefined) continue;
    const snapshot = JSON.parse(latest.body) as Snapshot;
    for (const experience of snapshot.experiences.filter((candidate) => candidate.allocation === 'bandit')) {
      // Each publish changes the live snapshot: re-read it so one site's bandits build on each other.
      const fresh = JSON.parse((await context.storage.latestSnapshot(site.id))?.body ?? latest.body) as Snapshot;
      const live = fresh.experiences.find((candidate) => candidate.id === experience.id) ?? experience;
      outcomes.push(await reweightExperience(context, site, fresh, live));
    }
  }
  return outcomes;
}
