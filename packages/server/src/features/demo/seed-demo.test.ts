import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { lint, validateSnapshot, type Snapshot } from '@candor/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createAdmin } from '../auth/service.js';
import { firstBrokenLink } from '../consent/chain.js';
import { loadDraft } from '../drafts/service.js';
import { startServer, type RunningServer } from '../../main.js';
import { DEMO_DATA_ACTION, DEMO_DAYS, DEMO_MARK } from './demo-data.js';
import { DEMO_ACTOR, readDemoSeed } from './seed-demo.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts the server the way `npm start` does, on a data directory of its own; output and logs are kept, never printed. */
async function start(dataDir: string): Promise<{ server: RunningServer; banner: string; logs: string }> {
  let banner = '';
  let logs = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString('utf8'));
        done();
      },
    });
  const config = loadConfig({
    PORT: '0',
    CANDOR_DATA_DIR: dataDir,
    CANDOR_SCRYPT_LOG_N: '14',
    CANDOR_RETENTION_MINUTES: '0',
    LOG_LEVEL: 'warn',
  });
  const server = await startServer(
    config,
    sink((text) => (banner += text)),
    sink((text) => (logs += text)),
  );
  return { server, banner, logs };
}

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'candor-demo-'));
  dirs.push(dir);
  return dir;
}

describe('the demo seed on first start', () => {
  it('seeds an empty database once: drafts through the admin validation, v1 published, lint-clean, nothing doubled on restart', async () => {
    const dataDir = freshDir();
    const first = await start(dataDir);
    const { context } = first.server;
    const { storage } = context;
    const site = await storage.getSiteByKey('demo');
    expect(site?.settings.allowedOrigins).toEqual([context.config.publicUrl]);
    const live = await storage.latestSnapshot(site!.id);
    expect(live?.version).toBe(1);
    expect(live?.publishedBy).toBe(DEMO_ACTOR);
    const snapshot = JSON.parse(live!.body) as Snapshot;
    expect(validateSnapshot(snapshot)).toMatchObject({ ok: true });
    const findings = lint(snapshot);
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);

    // Every warning is acknowledged in the seed with a reason, and no acknowledgement is stale.
    const seed = await readDemoSeed();
    const warnings = findings.filter((finding) => finding.severity === 'warning').map((f) => f.fingerprint);
    expect(seed.acknowledge.map((entry) => entry.fingerprint).sort()).toEqual([...warnings].sort());
    expect(seed.acknowledge.every((entry) => entry.reason.length > 20)).toBe(true);
    expect(JSON.parse(live!.lintSummary)).toMatchObject({ errors: 0, acknowledged: warnings });

    // Every visitor-facing feature the demo promises is in the published configuration.
    expect(snapshot.purposes.map((p) => p.id).sort()).toEqual(
      ['contextual', 'essential', 'measurement', 'personalization', 'sync'].sort(),
    );
    const sources = new Map(snapshot.fields.map((field) => [field.key, field.source]));
    expect(Object.fromEntries(sources)).toMatchObject({
      role: 'declared',
      teamSize: 'declared',
      industry: 'declared',
      viewedCategories: 'observed',
      utmCampaign: 'context',
      device: 'context',
      language: 'context',
    });
    for (const field of snapshot.fields.filter((f) => f.source === 'declared')) {
      expect(field.question?.['zh-Hant'], field.key).toBeTruthy();
      expect(field.whyWeAsk['zh-Hant'], field.key).toBeTruthy();
      expect(field.whatYouGet.en, field.key).toBeTruthy();
    }
    const experiences = snapshot.experiences;
    expect(experiences.length).toBeGreaterThanOrEqual(4);
    expect(experiences.some((e) => e.kind === 'personalization' && e.holdout > 0)).toBe(true);
    expect(experiences.some((e) => e.kind === 'experiment' && e.allocation === 'fixed')).toBe(true);
    expect(experiences.some((e) => e.allocation === 'bandit')).toBe(true);
    expect(experiences.some((e) => e.variants.some((v) => v.interruptive) && e.frequencyCap !== undefined)).toBe(true);
    expect(experiences.map((e) => e.id)).toEqual(seed.experiences.map((e) => (e as { id: string }).id));

    // The dashboard reads the same drafts, and the audit log says who wrote them.
    const draft = await loadDraft(context, site!.id);
    expect(draft.experiences.length).toBe(seed.experiences.length);
    const audit = await storage.listAudit({ siteId: site!.id, limit: 500 });
    expect(audit.filter((entry) => entry.action === 'snapshot.publish')).toHaveLength(1);
    expect(audit.filter((entry) => entry.actor === DEMO_ACTOR && entry.action === 'draft.create').length).toBe(
      seed.fields.length + seed.audiences.length + seed.metrics.length + seed.experiences.length + 1,
    );

    expect(first.banner).toContain(`demo site:     ${first.server.url}/demo/`);
    const page = await first.server.app.inject({ method: 'GET', url: '/demo/' });
    expect(page.statusCode).toBe(200);
    const nonce = /script-src 'nonce-([\w-]+)'/.exec(String(page.headers['content-security-policy']))?.[1];
    expect(nonce).toBeDefined();
    expect(page.body).toContain(`nonce="${nonce}"`);
    expect(page.body).toContain(
      `data-public-key="${Buffer.from(site!.signingPublicJwk, 'utf8').toString('base64url')}"`,
    );
    expect(page.body).not.toContain('%CANDOR_');
    expect((await first.server.app.inject({ method: 'GET', url: '/demo/seed.json' })).statusCode).toBe(404);
    expect((await first.server.app.inject({ method: 'GET', url: '/demo/..%2f..%2fpackage.json' })).statusCode).toBe(
      404,
    );
    expect((await first.server.app.inject({ method: 'GET', url: '/demo/zh-Hant' })).headers.location).toBe(
      '/demo/zh-Hant/',
    );
    const auditCount = audit.length;
    await first.server.stop();

    const second = await start(dataDir);
    const again = await second.server.context.storage.getSiteByKey('demo');
    expect(again?.id).toBe(site!.id);
    expect((await second.server.context.storage.listSites()).length).toBe(1);
    expect(await second.server.context.storage.listSnapshotVersions(site!.id)).toHaveLength(1);
    expect((await second.server.context.storage.listAudit({ siteId: site!.id, limit: 500 })).length).toBe(auditCount);
    expect(second.banner).toContain(`demo site:     ${second.server.url}/demo/`);
    expect(second.logs).toBe('');
    await second.server.stop();
  }, 60_000);

  it('writes marked demo figures on first start: results with a series, a privacy report, a ledger whose chain verifies', async () => {
    const { server } = await start(freshDir());
    const { context, app } = server;
    const site = (await context.storage.getSiteByKey('demo'))!;
    expect(site.settings.demoData).toBe(true);
    const audit = await context.storage.listAudit({ siteId: site.id, limit: 500 });
    expect(audit.filter((entry) => entry.action === DEMO_DATA_ACTION && entry.actor === DEMO_ACTOR)).toHaveLength(1);

    await createAdmin(context, 'viewer@example.com', 'viewer', 'correct horse battery staple');
    const login = await app.inject({
      method: 'POST',
      url: '/v1/admin/login',
      payload: { email: 'viewer@example.com', password: 'correct horse battery staple' },
    });
    const cookie = login.cookies.find((c) => c.name === 'candor_session')!;
    const headers = { cookie: `candor_session=${cookie.value}` };
    const get = (url: string) => app.inject({ method: 'GET', url, headers });

    const view = (await get('/v1/admin/sites/demo')).json() as { demoData: boolean; settings: object };
    expect(view.demoData).toBe(true);
    expect(view.settings).not.toHaveProperty('demoData');

    // Real visitors' results stay apart from the generated figures: none yet on a fresh start.
    const real = (await get('/v1/admin/sites/demo/experiences/hero-developers/results')).json() as {
      demoData: boolean;
      demoAvailable: boolean;
      exposures: { n: number | null }[];
    };
    expect(real).toMatchObject({ demoData: false, demoAvailable: true });
    expect(real.exposures.every((arm) => (arm.n ?? 0) === 0)).toBe(true);
    const results = await get('/v1/admin/sites/demo/experiences/hero-developers/results?data=demo');
    expect(results.statusCode).toBe(200);
    const body = results.json() as {
      demoData: boolean;
      series: { at: number; variantId: string; lift: number }[];
      variants: { variantId: string; n: number; lift: number | null }[];
    };
    expect(body.demoData).toBe(true);
    expect(new Set(body.series.map((point) => new Date(point.at).toISOString().slice(0, 10))).size).toBeGreaterThan(
      DEMO_DAYS / 2,
    );
    const variant = body.variants.find((entry) => entry.variantId === 'developer-hero')!;
    expect(variant.n).toBeGreaterThan(1000);
    expect(variant.lift).toBeGreaterThan(0);

    // The report of real visitors has none of the generated choices; the demo's is asked for by name.
    const realReport = (await get('/v1/admin/sites/demo/privacy-report?days=30')).json() as {
      demoData: boolean;
      demoAvailable: boolean;
      days: { choices: number }[];
    };
    expect(realReport).toMatchObject({ demoData: false, demoAvailable: true });
    expect(realReport.days.reduce((sum, day) => sum + day.choices, 0)).toBe(0);
    const report = (await get('/v1/admin/sites/demo/privacy-report?days=30&data=demo')).json() as {
      demoData: boolean;
      days: { choices: number; gpc: number; explanationOpens: number; actions: Record<string, number> }[];
      trustScore: { score: number };
    };
    expect(report.demoData).toBe(true);
    const withData = report.days.filter((day) => day.choices > 0);
    expect(withData.length).toBe(DEMO_DAYS);
    const actions = new Set(withData.flatMap((day) => Object.keys(day.actions)));
    expect([...actions].sort()).toEqual(expect.arrayContaining(['accept_all', 'custom', 'gpc_auto', 'reject_all']));
    expect(withData.reduce((sum, day) => sum + day.gpc, 0)).toBeGreaterThan(0);
    expect(withData.reduce((sum, day) => sum + day.explanationOpens, 0)).toBeGreaterThan(0);
    expect(report.trustScore.score).toBeGreaterThan(80);

    // The ledger: every generated record is marked, and the hash chain holds.
    const links = await context.storage.chainLinks(site.id);
    expect(links.length).toBeGreaterThan(DEMO_DAYS * 30);
    expect(firstBrokenLink(links)).toBeNull();
    expect(links.every((link) => (JSON.parse(link.payload!) as { uiVersion: string }).uiVersion === DEMO_MARK)).toBe(
      true,
    );
    await server.stop();
  }, 60_000);

  it('CANDOR_DEMO=off: an empty site as before, and no /demo', async () => {
    const previous = process.env['CANDOR_DEMO'];
    process.env['CANDOR_DEMO'] = 'off';
    try {
      const { server, banner } = await start(freshDir());
      const site = await server.context.storage.getSiteByKey('demo');
      expect(site?.settings.name).toBe('Demo site');
      expect(await server.context.storage.latestSnapshot(site!.id)).toBeUndefined();
      // No demo figures either: no flag, no aggregates, no ledger records.
      expect(site?.settings.demoData).toBeUndefined();
      expect(await server.context.storage.listAggregates(site!.id)).toEqual([]);
      expect(await server.context.storage.chainLinks(site!.id)).toEqual([]);
      expect(banner).not.toContain('demo site:');
      expect((await server.app.inject({ method: 'GET', url: '/demo/' })).statusCode).toBe(404);
      await server.stop();
    } finally {
      if (previous === undefined) delete process.env['CANDOR_DEMO'];
      else process.env['CANDOR_DEMO'] = previous;
    }
  }, 30_000);
});
