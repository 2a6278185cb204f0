import { createHash } from 'node:crypto';
import type { Experience, Metric, Snapshot } from '@candor/core';
import { BanditSettings } from '@candor/schema';
import { mulberry32, thompsonWeights, type Statistic, type ThompsonReason } from '@candor/stats';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { publishRevision } from '../publish/service.js';
import type { CellDelta } from '../reports/store.js';
import { analysisOf } from '../results/service.js';
import type { SiteRecord } from '../sites/store.js';
import { boundedStep } from './bounded-step.js';

/** The audit actor of the bandit job. */
export const BANDIT_ACTOR = 'system:bandit';
/** Weights closer than this to the live ones are not worth a new snapshot. */
export const WEIGHT_TOLERANCE = 0.005;

type Weights = Readonly<Record<string, number>>;

/** What one run learned for one per-audience segment. */
export interface SegmentOutcome {
  readonly audience: string;
  /** Thompson's reason for this segment's own cells (BURN_IN until each arm has enough units). */
  readonly reason: ThompsonReason | 'TOO_FEW_VISITORS';
  /** The weights the segment serves after this run (undefined: the experience's own, not learned yet). */
  readonly weights: Weights | undefined;
}

/** What one run did for one experience. */
export interface BanditOutcome {
  readonly siteKey: string;
  readonly experienceId: string;
  readonly status:
    'published' | 'proposed' | 'unchanged' | 'not_due' | 'claimed_elsewhere' | 'refused' | 'waiting' | 'dismissed';
  /** Thompson's reason (UPDATED, BURN_IN, …) or why the publish was refused. */
  readonly reason: string;
  readonly weights: Weights;
  /** Per-audience segments, when the experience has any. */
  readonly segments?: readonly SegmentOutcome[];
  readonly version?: number;
  /** The plain-words reason the run would publish (audited; shown with a proposal). */
  readonly why?: string;
  readonly metric?: string;
}

/** The cell a bandit reads: totals or one segment's. */
type ArmCell = Pick<CellDelta, 'variantId' | 'metricId' | 'n' | 'sum' | 'sumSquares'>;

function statisticOf(metric: Metric, cell: ArmCell | undefined): Statistic {
  if (cell === undefined) return { kind: 'proportion', n: 0, sum: 0 };
  return metric.kind === 'proportion'
    ? { kind: 'proportion', n: cell.n, sum: Math.min(cell.sum, cell.n) }
    : { kind: 'mean', n: cell.n, sum: cell.sum, sumSquares: cell.sumSquares };
}

// Reproducible Monte Carlo: the same experience (and segment) at the same run time draws the same weights.
function seedOf(key: string, at: number): number {
  return createHash('sha256').update(`${key}:${at}`).digest().readUInt32BE(0);
}

/** Weights closer than the tolerance everywhere are "the same": not worth a new snapshot. */
function sameWeights(a: Weights | undefined, b: Weights | undefined, ids: readonly string[]): boolean {
  if (a === undefined || b === undefined) return a === b;
  return ids.every((id) => Math.abs((a[id] ?? 0) - (b[id] ?? 0)) < WEIGHT_TOLERANCE);
}

/** Thompson weights for one set of arms, rounded to 4 places, keyed by variant id. */
function learn(
  ids: readonly string[],
  arms: readonly Statistic[],
  settings: BanditSettings,
  seed: number,
  inverse: boolean,
  current: Weights,
): { reason: ThompsonReason | 'TOO_FEW_VISITORS'; weights: Weights } {
  const thompson = thompsonWeights(arms, {
    random: mulberry32(seed),
    // A lower-is-better metric: the arm most likely lowest gets the traffic.
    inverse,
    minimumShare: settings.minimumShare,
    burnInUnits: settings.burnInUnits,
  });
  // Burn-in speaks first (each arm's own count); past it, the experience as a whole still needs
  // enough attributable visitors before a run may move traffic.
  const visitors = arms.reduce((total, arm) => total + arm.n, 0);
  if (thompson.reason === 'UPDATED' && visitors < settings.minimumVisitors)
    return { reason: 'TOO_FEW_VISITORS', weights: current };
  const stepped = boundedStep(
    ids.map((id) => current[id] ?? 0),
    thompson.weights,
    settings.maxStep,
  );
  const rounded = stepped.map((weight) => Math.round(weight * 10_000) / 10_000);
  return { reason: thompson.reason, weights: Object.fromEntries(ids.map((id, index) => [id, rounded[index] ?? 0])) };
}

function liveWeights(experience: Experience): number[] {
  const raw = experience.variants.map((variant) => variant.weight ?? 1);
  const total = raw.reduce((sum, weight) => sum + weight, 0);
  return raw.map((weight) => (total > 0 ? weight / total : 1 / raw.length));
}

function explainWhy(
  reason: ThompsonReason | 'TOO_FEW_VISITORS',
  metric: Metric,
  weights: readonly number[],
  ids: readonly string[],
  segments: readonly SegmentOutcome[] = [],
): string {
  if (reason !== 'UPDATED') return `Thompson sampling kept equal weights (${reason}).`;
  const shares = (of: (id: string, index: number) => number) =>
    ids.map((id, index) => `${id} ${(of(id, index) * 100).toFixed(1)}%`).join(', ');
  const best = weights.indexOf(Math.max(...weights));
  const perSegment = segments.map((segment) =>
    segment.weights === undefined
      ? ` Audience ${segment.audience}: not enough data yet (${segment.reason}), serves the overall weights.`
      : ` Audience ${segment.audience}: ${shares((id) => segment.weights?.[id] ?? 0)}.`,
  );
  return `Thompson sampling on ${metric.name}: ${ids[best] ?? '?'} is most likely best so far (${shares(
    (_id, index) => weights[index] ?? 0,
  )}).${perSegment.join('')}`;
}

/**
 * Re-weights one bandit experience: Thompson weights from its aggregates (the latest privacy release
 * when the experience uses DP, so no extra ε is spent), with a minimum exploration share and burn-in, on
 * a fixed cadence claimed in storage; publishes a new snapshot when weights moved, and audits why.
 *
 * Weights are per experience and, when it lists per-audience segments, per segment too: each learns
 * from the cells of its own audience's visitors, so "visitors like you" means that audience. Segments
 * are refused with differential privacy (their un-noised counts would shape public weights).
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
  const armsOf = (matching: readonly ArmCell[]) =>
    ids.map((id) =>
      statisticOf(
        metric,
        matching.find((cell) => cell.variantId === id && cell.metricId === metric.id),
      ),
    );
  const overall = learn(ids, armsOf(cells), settings, seedOf(experience.id, now), metric.inverse === true, current);
  const outcome = { ...base, reason: overall.reason, weights: overall.weights };
  if (
    !(await context.storage.claimBanditRun(
      site.id,
      { experienceId: experience.id, ranAt: now, outcome },
      previous?.ranAt,
    ))
  )
    return { ...base, status: 'claimed_elsewhere', reason: 'CLAIMED', weights: current };
  if (overall.reason !== 'UPDATED') return { ...outcome, status: 'waiting' };

  // Per-audience segments learn from their own cells; one still in burn-in keeps what it serves.
  const segmentCells =
    (experience.segments ?? []).length > 0 ? await context.storage.listSegmentAggregates(site.id, experience.id) : [];
  const segments: SegmentOutcome[] = (experience.segments ?? []).map((segment) => {
    const learned = learn(
      ids,
      armsOf(segmentCells.filter((cell) => cell.segment === segment.audience)),
      settings,
      seedOf(`${experience.id}/${segment.audience}`, now),
      metric.inverse === true,
      segment.weights ?? current,
    );
    return {
      audience: segment.audience,
      reason: learned.reason,
      weights: learned.reason === 'UPDATED' ? learned.weights : segment.weights,
    };
  });
  const withSegments = segments.length === 0 ? outcome : { ...outcome, segments };
  const segmentsMoved = segments.some(
    (segment, index) => !sameWeights(segment.weights, experience.segments?.[index]?.weights, ids),
  );
  if (sameWeights(overall.weights, current, ids) && !segmentsMoved) return { ...withSegments, status: 'unchanged' };

  const why = explainWhy(
    overall.reason,
    metric,
    ids.map((id) => overall.weights[id] ?? 0),
    ids,
    segments,
  );
  const proposal = { ...withSegments, why, metric: metric.id };
  if (site.settings.banditApproval === 'owner') {
    // The owner asked to approve every change of traffic: keep the proposal, publish nothing.
    await context.storage.setBanditRunOutcome(site.id, experience.id, now, { ...proposal, status: 'proposed' });
    await context.storage.appendAudit({
      at: now,
      actor: BANDIT_ACTOR,
      action: 'bandit.propose',
      siteId: site.id,
      target: `experiences/${experience.id}`,
      before: { weights: current },
      after: { weights: overall.weights, reason: why, metric: metric.id },
    });
    return { ...proposal, status: 'proposed' };
  }
  const applied = await applyWeights(context, site, experience, proposal, BANDIT_ACTOR, now);
  return applied.ok
    ? { ...proposal, status: 'published', version: applied.version }
    : { ...proposal, status: 'refused', reason: applied.refusal };
}

/**
 * Publishes an experience's new weights (and segment weights), carries them into its draft so the
 * next human publish keeps them, and audits who did it and why.
 */
async function applyWeights(
  context: AppContext,
  site: SiteRecord,
  experience: Experience,
  change: Pick<BanditOutcome, 'weights' | 'segments' | 'why' | 'metric'>,
  actor: string,
  now: number,
): Promise<{ ok: true; version: number } | { ok: false; refusal: string }> {
  const { weights } = change;
  const segments = change.segments ?? [];
  const servedSegments = segments.map(({ audience, weights: learned }) =>
    learned === undefined ? { audience } : { audience, weights: learned },
  );
  const current = Object.fromEntries(
    experience.variants.map((variant, index) => [variant.id, liveWeights(experience)[index] ?? 0]),
  );
  // One transformation for the live snapshot and the draft, so both carry the same weights.
  const reweight = <T extends { variants?: readonly { id: string; weight?: number }[] }>(entity: T): T => ({
    ...entity,
    ...(entity.variants === undefined
      ? {}
      : {
          variants: entity.variants.map((variant) =>
            weights[variant.id] === undefined ? variant : { ...variant, weight: weights[variant.id] },
          ),
        }),
    ...(segments.length === 0 ? {} : { segments: servedSegments }),
  });
  const why = change.why ?? 'Bandit weights';
  const published = await publishRevision(
    context,
    site,
    (live) => ({
      ...live,
      experiences: live.experiences.map((candidate) =>
        candidate.id === experience.id ? reweight(candidate) : candidate,
      ),
    }),
    actor,
    why,
  );
  if (!published.ok) return { ok: false, refusal: published.refusal };
  const draft = await context.storage.getDraft(site.id, 'experiences', experience.id);
  if (draft !== undefined && typeof draft.body === 'object' && draft.body !== null) {
    const body = draft.body as { variants?: { id: string; weight?: number }[] };
    await context.storage.putDraft(site.id, 'experiences', experience.id, reweight(body), now);
  }
  await context.storage.appendAudit({
    at: now,
    actor,
    action: 'bandit.reweight',
    siteId: site.id,
    target: `experiences/${experience.id}`,
    before: { weights: current, ...(segments.length === 0 ? {} : { segments: experience.segments }) },
    after: {
      weights,
      ...(segments.length === 0 ? {} : { segments: servedSegments }),
      reason: why,
      ...(change.metric === undefined ? {} : { metric: change.metric }),
      version: published.result.version,
    },
  });
  return { ok: true, version: published.result.version };
}

/** The pending proposal of a bandit experience whose site requires an owner's approval, if any. */
export async function banditProposal(
  context: AppContext,
  site: SiteRecord,
  experienceId: string,
): Promise<(BanditOutcome & { ranAt: number }) | undefined> {
  const run = await context.storage.getBanditRun(site.id, experienceId);
  const outcome = run?.outcome as BanditOutcome | undefined;
  return run === undefined || outcome?.status !== 'proposed' ? undefined : { ...outcome, ranAt: run.ranAt };
}

/**
 * An owner's answer to a proposal: approving publishes its weights (as the owner, audited);
 * dismissing keeps the live weights and records why nothing changed.
 */
export async function decideBanditProposal(
  context: AppContext,
  site: SiteRecord,
  experienceId: string,
  decision: 'approve' | 'dismiss',
  actor: string,
): Promise<BanditOutcome> {
  const proposal = await banditProposal(context, site, experienceId);
  if (proposal === undefined)
    throw new AppError('not_found', `Experience ${experienceId} has no bandit proposal waiting for approval.`);
  const now = context.clock();
  const latest = await context.storage.latestSnapshot(site.id);
  const live = latest === undefined ? undefined : (JSON.parse(latest.body) as Snapshot);
  const experience = live?.experiences.find((candidate) => candidate.id === experienceId);
  if (experience === undefined || experience.allocation !== 'bandit')
    throw new AppError('conflict', `Experience ${experienceId} is no longer a live bandit; nothing to approve.`);
  const { ranAt, ...outcome } = proposal;
  if (decision === 'dismiss') {
    const dismissed: BanditOutcome = { ...outcome, status: 'dismissed' };
    await context.storage.setBanditRunOutcome(site.id, experienceId, ranAt, dismissed);
    await context.storage.appendAudit({
      at: now,
      actor,
      action: 'bandit.dismiss',
      siteId: site.id,
      target: `experiences/${experienceId}`,
      before: { weights: outcome.weights },
      after: null,
    });
    return dismissed;
  }
  const applied = await applyWeights(context, site, experience, outcome, actor, now);
  if (!applied.ok) throw new AppError('conflict', `The proposal could not be published: ${applied.refusal}`);
  const published: BanditOutcome = { ...outcome, status: 'published', version: applied.version };
  await context.storage.setBanditRunOutcome(site.id, experienceId, ranAt, published);
  return published;
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
