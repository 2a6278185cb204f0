import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SiteCreateInput } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { EXPERIENCE_ORDER_KIND, parseDraft, saveDraft } from '../drafts/service.js';
import { publish } from '../publish/service.js';
import { createSite } from '../sites/service.js';
import { seedDemoData } from './demo-data.js';
import type { SiteRecord, SiteSettingsRecord } from '../sites/store.js';
import { besideServer } from '../../package-root.js';

/** Who the audit log says wrote the demo's drafts and published it. */
export const DEMO_ACTOR = 'system:demo';

/** The demo's files (`examples/demo`); `CANDOR_DEMO_DIR` overrides (deployments, tests). */
export function demoDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env['CANDOR_DEMO_DIR'] ?? besideServer('..', 'examples', 'demo');
}

/** Whether the demo is on: `CANDOR_DEMO=off` (or `0`, `false`) turns seeding and `/demo` off. */
export function demoEnabled(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return !['off', '0', 'false', 'no'].includes((env['CANDOR_DEMO'] ?? '').trim().toLowerCase());
}

/** A warning the seed publishes over on purpose, and why. */
export interface DemoAcknowledgement {
  readonly fingerprint: string;
  readonly reason: string;
}

/** `examples/demo/seed.json`: the demo site's configuration, as an admin would enter it. */
export interface DemoSeed {
  readonly siteKey: string;
  readonly site: Omit<SiteSettingsRecord, 'allowedOrigins'>;
  /** Ids of the purposes the site relies on; `createSite` writes Candor's defaults as drafts. */
  readonly purposes: readonly string[];
  readonly fields: readonly unknown[];
  readonly audiences: readonly unknown[];
  readonly metrics: readonly unknown[];
  /** In priority order: the first experience per slot wins. */
  readonly experiences: readonly unknown[];
  readonly acknowledge: readonly DemoAcknowledgement[];
}

/** What `ensureDemo` did on this start. */
export type DemoOutcome =
  /** Drafts written, v1 published, and demo figures (results, consent records) generated. */
  | { readonly status: 'seeded'; readonly siteKey: string; readonly version: number; readonly consentRecords: number }
  /** The demo was seeded on an earlier start; nothing was touched. */
  | { readonly status: 'present'; readonly siteKey: string }
  /** `CANDOR_DEMO=off`. */
  | { readonly status: 'off' }
  /** The database already held other sites (or a configured demo site), or there is no seed file: never seed over real data. */
  | { readonly status: 'skipped' };

/** Reads and shape-checks the seed file; each entity is validated later by the admin API's own schemas. */
export async function readDemoSeed(dir: string = demoDir()): Promise<DemoSeed> {
  const seed = JSON.parse(await readFile(`${dir.replace(/\/$/, '')}/seed.json`, 'utf8')) as Partial<DemoSeed>;
  const lists = ['purposes', 'fields', 'audiences', 'metrics', 'experiences', 'acknowledge'] as const;
  for (const list of lists) {
    if (!Array.isArray(seed[list])) throw new Error(`examples/demo/seed.json: "${list}" must be an array.`);
  }
  if (typeof seed.siteKey !== 'string' || typeof seed.site !== 'object' || seed.site === null) {
    throw new Error('examples/demo/seed.json: "siteKey" and "site" are required.');
  }
  return seed as DemoSeed;
}

const ID_OF: Readonly<Record<'fields' | 'audiences' | 'metrics' | 'experiences', 'id' | 'key'>> = {
  fields: 'key',
  audiences: 'id',
  metrics: 'id',
  experiences: 'id',
};

function entries(seed: DemoSeed): { kind: keyof typeof ID_OF; id: string; body: unknown }[] {
  return (['fields', 'audiences', 'metrics', 'experiences'] as const).flatMap((kind) =>
    seed[kind].map((body) => ({ kind, id: String((body as Record<string, unknown>)[ID_OF[kind]]), body })),
  );
}

/** Whether an existing, never-published demo site holds nothing but the defaults and the seed's own drafts (a start that stopped half-way). */
async function untouched(context: AppContext, site: SiteRecord, seed: DemoSeed): Promise<boolean> {
  if ((await context.storage.latestSnapshot(site.id)) !== undefined) return false;
  const ours = new Set(entries(seed).map((entry) => `${entry.kind}/${entry.id}`));
  return (await context.storage.listDrafts(site.id)).every(
    (row) => row.kind === 'purposes' || row.kind === EXPERIENCE_ORDER_KIND || ours.has(`${row.kind}/${row.id}`),
  );
}

/**
 * Seeds the demo site on the first start of an empty database: creates site `demo` (allowed origin:
 * this server), writes the seed's drafts through the admin API's validation with an audit entry each,
 * and publishes v1 through the real publish path (lint must pass; the seed acknowledges its warnings
 * by fingerprint), then writes clearly-marked demo figures (`seedDemoData`). Any later start finds it
 * published and changes nothing.
 */
export async function ensureDemo(
  context: AppContext,
  options: { readonly publicUrl: string; readonly env?: Readonly<Record<string, string | undefined>> },
): Promise<DemoOutcome> {
  const env = options.env ?? process.env;
  if (!demoEnabled(env)) return { status: 'off' };
  const dir = demoDir(env);
  // A deployment without the examples folder simply has no demo; a broken seed file still fails loudly.
  if (!existsSync(`${dir.replace(/\/$/, '')}/seed.json`)) return { status: 'skipped' };
  const seed = await readDemoSeed(dir);
  // The same schema `POST /v1/admin/sites` validates with.
  const { siteKey, ...settings } = SiteCreateInput.parse({
    ...seed.site,
    siteKey: seed.siteKey,
    allowedOrigins: [options.publicUrl],
  });
  let site = await context.storage.getSiteByKey(siteKey);
  if (site === undefined) {
    if ((await context.storage.listSites()).length > 0) return { status: 'skipped' };
    site = await createSite(context, { siteKey, ...settings }, DEMO_ACTOR);
  } else if (!(await untouched(context, site, seed))) {
    return (await context.storage.latestSnapshot(site.id)) === undefined
      ? { status: 'skipped' }
      : { status: 'present', siteKey: site.siteKey };
  } else {
    // A demo site from an older start (empty, never published): give it the demo's settings.
    await context.storage.updateSiteSettings(site.id, settings);
    site = { ...site, settings };
  }
  const drafts = await context.storage.listDrafts(site.id, 'purposes');
  const missing = seed.purposes.filter((id) => !drafts.some((row) => row.id === id));
  if (missing.length > 0) throw new Error(`The demo needs purposes the site lacks: ${missing.join(', ')}.`);
  for (const { kind, id, body } of entries(seed))
    await saveDraft(context, site.id, kind, id, parseDraft(kind, id, body), DEMO_ACTOR);
  const order = seed.experiences.map((experience) => String((experience as { id: unknown }).id));
  await saveDraft(context, site.id, EXPERIENCE_ORDER_KIND, 'all', order, DEMO_ACTOR);
  const result = await publish(
    context,
    site,
    seed.acknowledge.map((entry) => entry.fingerprint),
    DEMO_ACTOR,
  );
  // Marked demo data (site flag and audit entry), so results and the privacy report show charts at once.
  const data = await seedDemoData(context, site, DEMO_ACTOR);
  return { status: 'seeded', siteKey: site.siteKey, version: result.version, consentRecords: data.consentRecords };
}
