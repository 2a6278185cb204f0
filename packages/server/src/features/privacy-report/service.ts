import { lint, type LintFinding, type Snapshot } from '@candor/core';
import type { ConsentRecord, PrivacyReport, PrivacyReportDay, TrustScoreItem } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { TRUST_METRIC_PREFIX } from '../reports/service.js';
import { utcDay, type CellSource } from '../reports/store.js';
import { DEMO_MARK } from '../demo/demo-data.js';
import type { SiteRecord } from '../sites/store.js';
import type { DailyCount, LedgerEntry } from './store.js';

const DAY = 86_400_000;

/** Trust events the report counts, by the day field that holds them. */
const TRUST_FIELDS = {
  explanation_open: 'explanationOpens',
  opt_out: 'dontUse',
  not_relevant: 'notRelevant',
  preference_center: 'preferenceCenter',
} as const;

type MutableDay = { -readonly [K in keyof PrivacyReportDay]: PrivacyReportDay[K] } & {
  actions: Record<string, number>;
  granted: Record<string, number>;
};

function emptyDay(day: string): MutableDay {
  return {
    day,
    choices: 0,
    actions: {},
    granted: {},
    gpc: 0,
    exposures: 0,
    explanationOpens: 0,
    dontUse: 0,
    notRelevant: 0,
    preferenceCenter: 0,
  };
}

/** The UTC days of a window ending today, oldest first. */
export function windowDays(now: number, days: number): string[] {
  const today = Date.parse(`${utcDay(now)}T00:00:00.000Z`);
  return Array.from({ length: days }, (_, index) => utcDay(today - (days - 1 - index) * DAY));
}

/**
 * Folds ledger records and daily aggregate counts into per-day figures. A consent record counts as
 * one choice; exposures of a (experience, variant) on a day are the largest `n` among its metric
 * cells (every goal counts each enrolled visitor once).
 */
export function foldDays(
  days: readonly string[],
  ledger: readonly LedgerEntry[],
  counts: readonly DailyCount[],
): PrivacyReportDay[] {
  const byDay = new Map(days.map((day) => [day, emptyDay(day)]));
  for (const entry of ledger) {
    const day = byDay.get(utcDay(entry.createdAt));
    if (day === undefined) continue;
    const record = JSON.parse(entry.payload) as Partial<ConsentRecord>;
    day.choices += 1;
    if (typeof record.action === 'string') day.actions[record.action] = (day.actions[record.action] ?? 0) + 1;
    for (const [purpose, status] of Object.entries(record.purposes ?? {})) {
      day.granted[purpose] = (day.granted[purpose] ?? 0) + (status === 'granted' ? 1 : 0);
    }
    if (record.signals?.gpc === true) day.gpc += 1;
  }
  const exposures = new Map<string, number>();
  for (const cell of counts) {
    const day = byDay.get(cell.day);
    if (day === undefined) continue;
    if (cell.metricId.startsWith(TRUST_METRIC_PREFIX)) {
      const field = TRUST_FIELDS[cell.metricId.slice(TRUST_METRIC_PREFIX.length) as keyof typeof TRUST_FIELDS];
      if (field !== undefined) day[field] += cell.n;
      continue;
    }
    const key = JSON.stringify([cell.day, cell.experienceId, cell.variantId]);
    exposures.set(key, Math.max(exposures.get(key) ?? 0, cell.n));
  }
  for (const [key, n] of exposures) {
    const [day] = JSON.parse(key) as [string];
    const target = byDay.get(day);
    if (target !== undefined) target.exposures += n;
  }
  return [...byDay.values()];
}

function share(part: number, whole: number): string {
  return `${part} of ${whole}`;
}

/** Points for a share of things that satisfy a rule: all of them earn `max`, none of them earns 0. */
function proportional(max: number, good: number, total: number): number {
  return total === 0 ? max : Math.round((max * good) / total);
}

/** The entities a set of findings names with a category of the given kind, once each. */
function flagged(findings: readonly LintFinding[], kind: 'S.' | 'W.'): Set<string> {
  return new Set(
    findings
      .filter((finding) => finding.category?.startsWith(kind) === true)
      .map((finding) => `${finding.location.entity}:${finding.location.id}`),
  );
}

/**
 * The trust score: points for facts the live configuration makes true, for what the linter finds in
 * it today (a warning acknowledged at publish still costs points: it was accepted, not fixed), and for
 * a low measured opt-out ("don't use this") rate. Without a published snapshot no configuration fact
 * can be claimed, so those items score 0.
 */
export function trustScore(
  snapshot: Snapshot | undefined,
  days: readonly PrivacyReportDay[],
  findings: readonly LintFinding[] = [],
): PrivacyReport['trustScore'] {
  const items: TrustScoreItem[] = [];
  const add = (id: string, label: string, max: number, points: number, detail: string): void => {
    items.push({ id, label, max, points, detail });
  };
  if (snapshot === undefined) {
    const none = 'nothing published yet';
    add('no_sensitive_fields', 'No sensitive fields', 20, 0, none);
    add('fields_explained', 'Every field has a purpose and visitor-facing text', 15, 0, none);
    add('holdouts', 'Personalizations keep a holdout', 15, 0, none);
    add('interruptive_capped', 'Interruptive variants are capped', 10, 0, none);
    add('no_third_party', 'No third-party or cross-site data', 15, 0, none);
    add('gpc_honoured', 'Global Privacy Control honoured', 10, 0, none);
    add('no_lint_warnings', 'Published without lint warnings', 10, 0, none);
  } else {
    const fields = snapshot.fields;
    // A field's declared category, or what the linter finds it (or an audience or variant) reveals:
    // `lifestage` with a "pregnant" option is sensitive whatever its author declared.
    const sensitive = new Set([
      ...fields.filter((field) => field.category.startsWith('S.')).map((field) => `field:${field.key}`),
      ...flagged(findings, 'S.'),
    ]).size;
    const watched = new Set([
      ...fields.filter((field) => field.category.startsWith('W.')).map((field) => `field:${field.key}`),
      ...flagged(findings, 'W.'),
    ]).size;
    add(
      'no_sensitive_fields',
      'No sensitive fields',
      20,
      sensitive > 0 ? 0 : watched > 0 ? 10 : 20,
      sensitive > 0
        ? `${sensitive} sensitive field(s), audience(s) or variant(s)`
        : watched > 0
          ? `${watched} watch-listed field(s), audience(s) or variant(s)`
          : `none of ${fields.length} fields`,
    );
    const purposes = new Set(snapshot.purposes.map((purpose) => purpose.id));
    const text = (value: { en: string; 'zh-Hant': string }): boolean =>
      value.en.trim() !== '' && value['zh-Hant'].trim() !== '';
    const explained = fields.filter(
      (field) => purposes.has(field.purpose) && text(field.whyWeAsk) && text(field.whatYouGet),
    ).length;
    add(
      'fields_explained',
      'Every field has a purpose and visitor-facing text',
      15,
      proportional(15, explained, fields.length),
      `${share(explained, fields.length)} fields`,
    );
    const personalizations = snapshot.experiences.filter((experience) => experience.kind === 'personalization');
    const withHoldout = personalizations.filter((experience) => experience.holdout > 0).length;
    add(
      'holdouts',
      'Personalizations keep a holdout',
      15,
      proportional(15, withHoldout, personalizations.length),
      `${share(withHoldout, personalizations.length)} personalizations`,
    );
    const interruptive = snapshot.experiences.filter((experience) =>
      experience.variants.some((variant) => variant.interruptive === true),
    );
    const capped = interruptive.filter((experience) => experience.frequencyCap !== undefined).length;
    add(
      'interruptive_capped',
      'Interruptive variants are capped',
      10,
      proportional(10, capped, interruptive.length),
      `${share(capped, interruptive.length)} interruptive experiences`,
    );
    const thirdParty = fields.filter((field) => field.origin === 'third_party' || field.category === 'W.cross_site');
    const crossSite = snapshot.purposes.filter((purpose) => purpose.class === 'cross_site');
    add(
      'no_third_party',
      'No third-party or cross-site data',
      15,
      thirdParty.length + crossSite.length === 0 ? 15 : 0,
      `${thirdParty.length} third-party field(s), ${crossSite.length} cross-site purpose(s)`,
    );
    // The engine drops cross-site data and behavioural profiling under GPC for every snapshot.
    add('gpc_honoured', 'Global Privacy Control honoured', 10, 10, 'by the engine, for every visitor');
    const errors = findings.filter((finding) => finding.severity === 'error');
    const warnings = findings.filter((finding) => finding.severity === 'warning');
    const codes = [...new Set([...errors, ...warnings].map((finding) => finding.code))].join(', ');
    add(
      'no_lint_warnings',
      'Published without lint warnings',
      10,
      errors.length > 0 ? 0 : warnings.length === 0 ? 10 : warnings.length <= 2 ? 5 : 0,
      errors.length > 0
        ? `${errors.length} error(s) under today's rules (${codes}): publish a corrected version`
        : warnings.length === 0
          ? 'none'
          : `${warnings.length} acknowledged warning(s): ${codes}`,
    );
  }
  const exposures = days.reduce((sum, day) => sum + day.exposures, 0);
  const optOuts = days.reduce((sum, day) => sum + day.dontUse, 0);
  const rate = exposures === 0 ? undefined : optOuts / exposures;
  add(
    'low_opt_out',
    'Low "don\'t use this" rate',
    15,
    rate === undefined ? 0 : rate <= 0.01 ? 15 : rate <= 0.03 ? 10 : rate <= 0.05 ? 5 : 0,
    rate === undefined
      ? 'no exposures measured in this window'
      : `${(rate * 100).toFixed(1)} % of ${exposures} exposures`,
  );
  const max = items.reduce((sum, item) => sum + item.max, 0);
  const points = items.reduce((sum, item) => sum + item.points, 0);
  return { score: Math.round((100 * points) / max), breakdown: items };
}

/** Whether a ledger record is one the demo seed generated (marked in its payload), not a real visitor's choice. */
export function isDemoRecord(entry: LedgerEntry): boolean {
  return (JSON.parse(entry.payload) as { uiVersion?: unknown }).uiVersion === DEMO_MARK;
}

/**
 * A site's privacy report over the last `days` UTC days (today included): real visitors' choices and
 * trust events by default, the demo's generated ones with `source` 'demo' — never the two mixed.
 */
export async function privacyReport(
  context: AppContext,
  site: SiteRecord,
  days: number,
  source: CellSource = 'real',
): Promise<PrivacyReport> {
  const window = windowDays(context.clock(), days);
  const first = window[0] ?? utcDay(context.clock());
  const [ledger, counts, live] = await Promise.all([
    context.storage.listConsentSince(site.id, Date.parse(`${first}T00:00:00.000Z`)),
    context.storage.listDailyCountsSince(site.id, first, source),
    context.storage.latestSnapshot(site.id),
  ]);
  const snapshot = live === undefined ? undefined : (JSON.parse(live.body) as Snapshot);
  const records = ledger.filter((entry) => isDemoRecord(entry) === (source === 'demo'));
  const perDay = foldDays(window, records, counts);
  return {
    siteKey: site.siteKey,
    snapshotVersion: live?.version ?? null,
    days: perDay,
    trustScore: trustScore(
      snapshot,
      perDay,
      snapshot === undefined ? [] : lint(snapshot as unknown as Parameters<typeof lint>[0]),
    ),
    demoData: source === 'demo',
    demoAvailable: site.settings.demoData === true,
  };
}
