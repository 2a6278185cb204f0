import { loadConfig } from '../../config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivacyReport } from '@candor/schema';
import { createTestPostgres, testPostgresUrl, type TestPostgres } from '../../storage/postgres/test-database.js';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { consent, registerTestVisitor } from '../../testing/visitor-flow.js';

const DAY = 86_400_000;
const START = Date.parse('2026-03-10T12:00:00.000Z');

const storages = [
  { name: 'SQLite', open: async () => undefined },
  {
    name: testPostgresUrl() === undefined ? 'PostgreSQL (PGlite: CANDOR_TEST_PG_URL unset)' : 'PostgreSQL (server)',
    open: async () => createTestPostgres(),
  },
] as const;

describe.each(storages)('GET /v1/admin/sites/:site/privacy-report on $name', ({ open }) => {
  let t: TestApp;
  let database: TestPostgres | undefined;
  let now = START;
  let viewer: Record<string, string> = {};
  let owner: Record<string, string> = {};
  // Sessions expire as the test clock moves on, so the admins sign in again once it has.
  const signIn = async (role: 'viewer' | 'owner') => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/login',
      payload: { email: `${role}@example.com`, password: 'correct horse battery staple' },
    });
    const body = login.json() as { csrfToken: string };
    const cookie = login.cookies.find((c) => c.name === 'candor_session')!;
    return { cookie: `candor_session=${cookie.value}`, 'x-csrf-token': body.csrfToken };
  };
  const report = async (query = '?days=3') => {
    const response = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/privacy-report${query}`,
      headers: viewer,
    });
    return { statusCode: response.statusCode, body: response.json() as PrivacyReport };
  };
  const batch = (batchId: string, deltas: object[], trust: object[]) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/aggregates`,
      headers: t.as.editor.headers,
      payload: { batchId, deltas, trust },
    });

  beforeAll(async () => {
    database = await open();
    t = await createTestApp({
      clock: () => now,
      // The clock moves by days; the editor's session that sends the aggregates must outlive that.
      config: loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_SESSION_HOURS: '10000' }),
      ...(database === undefined ? {} : { handle: database.handle }),
    });
    await seedAndPublish(t);
    // Day 1 (two days ago): three choices, one under GPC, and a day of aggregates.
    now = START;
    await consent(t, await registerTestVisitor(t), { personalization: 'granted', measurement: 'granted' });
    await consent(t, await registerTestVisitor(t), { personalization: 'denied', measurement: 'denied' });
    await consent(
      t,
      await registerTestVisitor(t),
      { personalization: 'granted', measurement: 'denied' },
      {
        'sec-gpc': '1',
      },
    );
    await batch(
      'day-one-batch',
      [
        { experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 180, sum: 30, sumSquares: 30 },
        { experience: 'hero-dev', variant: 'dev', metric: 'revenue', n: 180, sum: 900, sumSquares: 9000 },
        { experience: 'hero-dev', variant: '$holdout', metric: 'signup', n: 20, sum: 2, sumSquares: 2 },
      ],
      [
        { experience: 'hero-dev', variant: 'dev', event: 'explanation_open', count: 12 },
        { experience: 'hero-dev', variant: 'dev', event: 'opt_out', count: 1 },
        { experience: 'hero-dev', variant: 'dev', event: 'preference_center', count: 3 },
      ],
    );
    // Today: one choice and a few more opens; the day between stays empty.
    now = START + 2 * DAY;
    await consent(t, await registerTestVisitor(t), { personalization: 'granted', measurement: 'granted' });
    await batch('today-batch-1', [], [{ experience: 'hero-dev', variant: 'dev', event: 'explanation_open', count: 2 }]);
    viewer = await signIn('viewer');
    owner = await signIn('owner');
    // PGlite (no CANDOR_TEST_PG_URL) boots a WebAssembly PostgreSQL first; a slow boot must fail
    // as a timeout of this hook, not look like skipped tests.
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await database?.drop();
  }, 60_000);

  it('counts choices made per day from the ledger: grants per purpose and GPC, never prompts shown', async () => {
    const { statusCode, body } = await report();
    expect(statusCode).toBe(200);
    expect(body.days.map((day) => day.day)).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
    const [first, empty, today] = body.days;
    expect(first).toMatchObject({
      choices: 3,
      actions: { custom: 3 },
      granted: { personalization: 2, measurement: 1 },
      gpc: 1,
    });
    expect(empty).toMatchObject({ choices: 0, gpc: 0, exposures: 0, explanationOpens: 0, granted: {} });
    expect(today).toMatchObject({ choices: 1, granted: { personalization: 1, measurement: 1 }, gpc: 0 });
    // Nothing is sent before a choice (docs/privacy.md §5 B1), so the report has no "prompts shown".
    expect(first).not.toHaveProperty('prompts');
    expect(body.demoData).toBe(false);
  });

  it('reads "Why?" opens, "don\'t use this" and exposures from the daily trust aggregates', async () => {
    const { body } = await report();
    // Exposures per arm are the largest n among its metric cells (200 = 180 + 20), not one per metric.
    expect(body.days[0]).toMatchObject({
      exposures: 200,
      explanationOpens: 12,
      dontUse: 1,
      notRelevant: 0,
      preferenceCenter: 3,
    });
    expect(body.days[2]).toMatchObject({ explanationOpens: 2, exposures: 0 });
  });

  it('scores trust from facts of the live configuration and the measured opt-out rate', async () => {
    const { body } = await report();
    expect(body.snapshotVersion).toBe(1);
    const points = Object.fromEntries(body.trustScore.breakdown.map((item) => [item.id, [item.points, item.max]]));
    expect(points).toEqual({
      no_sensitive_fields: [20, 20],
      fields_explained: [15, 15],
      holdouts: [15, 15],
      interruptive_capped: [10, 10],
      no_third_party: [15, 15],
      gpc_honoured: [10, 10],
      no_lint_warnings: [10, 10],
      // 1 opt-out in 200 exposures = 0.5 %.
      low_opt_out: [15, 15],
    });
    expect(body.trustScore.score).toBe(100);
    expect(body.trustScore.breakdown.find((item) => item.id === 'low_opt_out')?.detail).toBe('0.5 % of 200 exposures');
  });

  it('keeps the window: ?days=1 is today only, the default is 30 days', async () => {
    expect((await report('?days=1')).body.days.map((day) => day.day)).toEqual(['2026-03-12']);
    const { body } = await report('');
    expect(body.days).toHaveLength(30);
    expect(body.days.at(-1)?.day).toBe('2026-03-12');
    expect((await report('?days=0')).statusCode).toBe(400);
    expect((await report('?days=400')).statusCode).toBe(400);
  });

  it('claims no configuration fact for a site that never published, and 404s an unknown site', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/sites',
      payload: {
        siteKey: 'empty',
        name: 'Empty',
        defaultLanguage: 'en',
        policyVersion: '1',
        explainDefaults: true,
        allowedOrigins: ['https://empty.example'],
        ledgerRetentionDays: 365,
      },
      headers: owner,
    });
    expect(created.statusCode).toBe(201);
    const response = await t.app.inject({
      url: '/v1/admin/sites/empty/privacy-report?days=7',
      headers: viewer,
    });
    const body = response.json() as PrivacyReport;
    expect(body.snapshotVersion).toBeNull();
    expect(body.trustScore.score).toBe(0);
    expect(body.days.every((day) => day.choices === 0)).toBe(true);
    const unknown = await t.app.inject({ url: '/v1/admin/sites/nope/privacy-report', headers: viewer });
    expect(unknown.statusCode).toBe(404);
  });
});
