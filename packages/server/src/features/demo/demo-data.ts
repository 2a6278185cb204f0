import { createHash } from 'node:crypto';
import type { Snapshot } from '@candor/core';
import { HOLDOUT_VARIANT, type ConsentRecord } from '@candor/schema';
import { mulberry32, standardNormal, type RandomSource } from '@candor/stats';
import type { AppContext } from '../../context.js';
import { CONSENT_LIFETIME_MS, REFUSAL_LIFETIME_MS } from '../consent/service.js';
import { TRUST_METRIC_PREFIX } from '../reports/service.js';
import type { CellDelta } from '../reports/store.js';
import type { SiteRecord } from '../sites/store.js';
import { subjectHash } from '../visitors/subject-hash.js';

const DAY = 86_400_000;

/** How many days of demo figures the first start writes. */
export const DEMO_DAYS = 14;
/** The `uiVersion` and id prefix every generated ledger record carries, so it can never pass for a real one. */
export const DEMO_MARK = 'demo-data';
/** The audit action that records the generation. */
export const DEMO_DATA_ACTION = 'demo.data_seeded';

/** A binomial draw by its normal approximation, clipped to [0, n]. */
function binomial(random: RandomSource, n: number, p: number): number {
  const gauss = standardNormal(random);
  return Math.min(n, Math.max(0, Math.round(n * p + gauss * Math.sqrt(n * p * (1 - p)))));
}

/** Base conversion rates of the demo's metrics, and the relative lift each demo variant brings. */
const BASE_RATE: Readonly<Record<string, number>> = { signup: 0.06, 'demo-request': 0.025 };
const LIFT: Readonly<Record<string, number>> = {
  'developer-hero': 0.28,
  'manager-hero': 0.12,
  'executive-hero': 0.18,
  'admin-controls': 0.2,
  'northwind-studio': 0.08,
  'quickstart-callout': 0.3,
  'taipei-team': 0.1,
  'app-link': 0.02,
  launch: 0.15,
  'no-card': 0.14,
  'on-time': 0.05,
  rating: 0.16,
};

/**
 * One day's cells for every experience of the live snapshot: exposures and conversions per arm (the
 * holdout included) for each goal and guardrail, and trust events, as the SDK's batches would add them.
 */
function dayCells(snapshot: Snapshot, random: RandomSource, dayIndex: number): CellDelta[] {
  const cells: CellDelta[] = [];
  const cell = (experienceId: string, variantId: string, metricId: string, n: number, sum: number): CellDelta => ({
    experienceId,
    variantId,
    metricId,
    n,
    sum,
    sumSquares: sum,
    covariateSum: 0,
    covariateSumSquares: 0,
    crossProduct: 0,
  });
  for (const experience of snapshot.experiences) {
    // Audiences narrow traffic; experiments enrol every measured visitor.
    const traffic = experience.kind === 'experiment' ? 900 : experience.audiences.length === 0 ? 700 : 320;
    const weekday = 1 - 0.25 * Number([5, 6].includes((dayIndex + 3) % 7));
    const total = Math.round(traffic * weekday * (0.9 + 0.2 * random()));
    const arms = [
      ...(experience.holdout > 0 ? [{ id: HOLDOUT_VARIANT, share: experience.holdout, lift: 0 }] : []),
      ...experience.variants.map((variant) => ({
        id: variant.id,
        share: (1 - experience.holdout) / experience.variants.length,
        lift: LIFT[variant.id] ?? 0.1,
      })),
    ];
    for (const arm of arms) {
      const n = Math.round(total * arm.share);
      for (const metricId of new Set([...experience.goals, ...(experience.guardrails ?? [])])) {
        const rate = (BASE_RATE[metricId] ?? 0.05) * (1 + arm.lift);
        cells.push(cell(experience.id, arm.id, metricId, n, binomial(random, n, rate)));
      }
      const shown = arm.id !== HOLDOUT_VARIANT;
      const events: [string, number][] = [
        ['explanation_open', shown ? 0.07 : 0.02],
        ['opt_out', shown ? 0.006 : 0],
        ['not_relevant', shown ? 0.01 : 0],
        ['preference_center', 0.008],
      ];
      for (const [event, rate] of events) {
        const count = binomial(random, n, rate);
        if (count > 0) cells.push(cell(experience.id, arm.id, `${TRUST_METRIC_PREFIX}${event}`, count, count));
      }
    }
  }
  return cells;
}

/** One generated consent choice: its action, source, grants and GPC signal. */
function choice(
  random: RandomSource,
  purposes: Snapshot['purposes'],
): {
  action: ConsentRecord['action'];
  source: ConsentRecord['source'];
  purposes: Record<string, 'granted' | 'denied'>;
  gpc: boolean;
} {
  const always = (purpose: Snapshot['purposes'][number]) =>
    purpose.class === 'essential' || purpose.class === 'contextual';
  const grant = (decide: (purpose: Snapshot['purposes'][number]) => boolean) =>
    Object.fromEntries(
      purposes.map((purpose) => [purpose.id, always(purpose) || decide(purpose) ? 'granted' : 'denied']),
    ) as Record<string, 'granted' | 'denied'>;
  const draw = random();
  if (draw < 0.5) return { action: 'accept_all', source: 'prompt', purposes: grant(() => true), gpc: false };
  if (draw < 0.74) return { action: 'reject_all', source: 'prompt', purposes: grant(() => false), gpc: false };
  if (draw < 0.88) {
    const gpc = random() < 0.15;
    return {
      action: 'custom',
      source: random() < 0.8 ? 'prompt' : 'preference_center',
      // Under GPC, first-party personalization the visitor grants may still be used; sync is never chosen here.
      purposes: grant((purpose) =>
        purpose.class === 'behavioural' ? random() < 0.7 : purpose.class === 'measurement' ? random() < 0.5 : false,
      ),
      gpc,
    };
  }
  if (draw < 0.96) return { action: 'gpc_auto', source: 'gpc_header', purposes: grant(() => false), gpc: true };
  return { action: 'withdraw', source: 'preference_center', purposes: grant(() => false), gpc: false };
}

/**
 * Writes clearly-marked demo figures for the demo site: `DEMO_DAYS` days of daily aggregates through
 * the reports store (one batch per day, as ingestion adds them) and consent choices through the ledger
 * store (so the hash chain stays valid), then marks the site (`demoData`) and audits it. Call once,
 * right after the demo's first publish.
 */
export async function seedDemoData(
  context: AppContext,
  site: SiteRecord,
  actor: string,
): Promise<{ days: number; consentRecords: number }> {
  const live = await context.storage.latestSnapshot(site.id);
  if (live === undefined) throw new Error('The demo data needs the demo published first.');
  const snapshot = JSON.parse(live.body) as Snapshot;
  // Seeded: the same figures on every first start, only the dates move.
  const random = mulberry32(20_260_101);
  const now = context.clock();
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00.000Z`);
  const noticeTextHash = createHash('sha256').update(`${DEMO_MARK}:${site.settings.policyVersion}`).digest('hex');
  let consentRecords = 0;
  for (let index = 0; index < DEMO_DAYS; index += 1) {
    const dayStart = today - (DEMO_DAYS - 1 - index) * DAY;
    const at = Math.min(dayStart + DAY / 2, now);
    await context.storage.applyReportBatch(
      site.id,
      `${DEMO_MARK}-${new Date(dayStart).toISOString().slice(0, 10)}`,
      dayCells(snapshot, random, index),
      at,
      'demo',
    );
    const count = 40 + Math.round(random() * 30);
    const times = Array.from(
      { length: count },
      () => dayStart + Math.floor(random() * Math.max(1, Math.min(DAY, now - dayStart))),
    ).sort((a, b) => a - b);
    for (const createdAt of times) {
      const made = choice(random, snapshot.purposes);
      const visitorId = `${DEMO_MARK}-${Math.floor(random() * 2 ** 48).toString(36)}`;
      const anyGranted = Object.entries(made.purposes).some(
        ([id, status]) =>
          status === 'granted' &&
          !['essential', 'contextual'].includes(snapshot.purposes.find((p) => p.id === id)?.class ?? ''),
      );
      const record: Omit<ConsentRecord, 'previousHash' | 'hash'> = {
        consentId: `${DEMO_MARK}-${createdAt.toString(36)}-${consentRecords}`,
        createdAt,
        updatedAt: createdAt,
        action: made.action,
        purposes: made.purposes,
        source: made.source,
        uiVersion: DEMO_MARK,
        noticeVersion: site.settings.policyVersion,
        noticeTextHash,
        language: random() < 0.82 ? 'en' : 'zh-Hant',
        policyVersion: site.settings.policyVersion,
        signals: { gpc: made.gpc, dnt: false },
        expiresAt: createdAt + (anyGranted ? CONSENT_LIFETIME_MS : REFUSAL_LIFETIME_MS),
      };
      await context.storage.appendConsent({
        siteId: site.id,
        visitorId,
        subjectHash: subjectHash(site.id, visitorId),
        consentId: record.consentId,
        createdAt,
        expiresAt: record.expiresAt,
        payload: JSON.stringify(record),
      });
      consentRecords += 1;
    }
  }
  await context.storage.updateSiteSettings(site.id, { ...site.settings, demoData: true });
  await context.storage.appendAudit({
    at: now,
    actor,
    action: DEMO_DATA_ACTION,
    siteId: site.id,
    target: `sites/${site.siteKey}`,
    before: null,
    after: { days: DEMO_DAYS, consentRecords, note: 'Generated demo figures, not real visitors.' },
  });
  return { days: DEMO_DAYS, consentRecords };
}
