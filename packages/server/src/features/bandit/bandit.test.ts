import type { JsonWebKey } from 'node:crypto';
import { decide, explain, type ConsentState, type DecisionContext, type Profile, type Snapshot } from '@candor/core';
import type { ExperienceDraft } from '@candor/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBytes } from '../../crypto/signing.js';
import { seedAndPublish } from '../../testing/seed.js';
import { loadConfig } from '../../config.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { runBandits } from './service.js';

const HOUR = 3_600_000;
// The suites move the clock by days between runs: admin sessions must outlive that.
const LONG_SESSIONS = { config: loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_SESSION_HOURS: '10000' }) };
const START = Date.UTC(2026, 4, 4, 8);

const BANDIT: Omit<ExperienceDraft, 'analysis'> & { analysis: Record<string, unknown> } = {
  id: 'hero-bandit',
  name: 'Hero bandit for developers',
  kind: 'personalization',
  audiences: ['developers'],
  variants: ['plain', 'bold'].map((id) => ({
    id,
    name: id,
    content: { banner: { type: 'text', text: { en: id, 'zh-Hant': id } } },
  })),
  holdout: 0.1,
  coverage: 1,
  allocation: 'bandit',
  hashVersion: 2,
  seed: 'hero-bandit',
  goals: ['signup'],
  // maxStep 1: these suites test what the bandit learns in one run; the bounded step has its own suite below.
  analysis: { bandit: { minimumShare: 0.05, burnInUnits: 100, cadenceHours: 24, maxStep: 1 } },
};

describe('bandit job', () => {
  let t: TestApp;
  let now = START;
  const snapshot = async (): Promise<{ body: Snapshot; version: number; verified: boolean }> => {
    const response = await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` });
    const keys = (await t.app.inject({ url: `/v1/sites/${t.siteKey}/keys` })).json() as { keys: JsonWebKey[] };
    return {
      body: response.json() as Snapshot,
      version: Number(response.headers['candor-snapshot-version']),
      verified: verifyBytes(keys.keys[0]!, response.rawPayload, String(response.headers['candor-signature'])),
    };
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, ...LONG_SESSIONS });
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/${BANDIT.id}`,
      payload: BANDIT,
      headers: t.as.editor.headers,
    });
    expect(put.statusCode, put.body).toBe(200);
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('waits through the burn-in with equal weights and publishes nothing', async () => {
    const before = (await snapshot()).version;
    const outcomes = await runBandits(t.context);
    expect(outcomes).toEqual([
      expect.objectContaining({ experienceId: 'hero-bandit', status: 'waiting', reason: 'BURN_IN' }),
    ]);
    expect((await snapshot()).version).toBe(before);
  });

  it('moves weights toward the arm that converts, publishes a signed snapshot and audits why', async () => {
    now += 25 * HOUR;
    const report = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/aggregates`,
      headers: t.as.editor.headers,
      payload: {
        batchId: 'bandit-batch-1',
        deltas: [
          { experience: 'hero-bandit', variant: 'plain', metric: 'signup', n: 1000, sum: 50, sumSquares: 50 },
          { experience: 'hero-bandit', variant: 'bold', metric: 'signup', n: 1000, sum: 150, sumSquares: 150 },
        ],
      },
    });
    expect(report.statusCode, report.body).toBe(200);
    const before = await snapshot();
    const [outcome] = await runBandits(t.context);
    expect(outcome).toMatchObject({ status: 'published', reason: 'UPDATED', version: before.version + 1 });

    const after = await snapshot();
    expect(after.version).toBe(before.version + 1);
    expect(after.verified).toBe(true);
    const variants = after.body.experiences.find((experience) => experience.id === 'hero-bandit')!.variants;
    const weight = (id: string) => variants.find((variant) => variant.id === id)!.weight!;
    expect(weight('bold')).toBeGreaterThan(0.9);
    expect(weight('plain')).toBeGreaterThanOrEqual(0.05);
    expect(weight('plain') + weight('bold')).toBeCloseTo(1, 3);
    // The holdout is untouched by the bandit.
    expect(after.body.experiences.find((experience) => experience.id === 'hero-bandit')!.holdout).toBe(0.1);

    const audit = await t.storage.listAudit({ limit: 10 });
    const entry = audit.find((candidate) => candidate.action === 'bandit.reweight');
    expect(entry?.actor).toBe('system:bandit');
    expect(JSON.stringify(entry?.after)).toContain('bold is most likely best so far');
    expect(
      audit.some((candidate) => candidate.action === 'snapshot.publish' && candidate.actor === 'system:bandit'),
    ).toBe(true);
    // The draft carries the weights, so a later human publish keeps them.
    const draft = await t.storage.getDraft((await t.storage.getSiteByKey(t.siteKey))!.id, 'experiences', 'hero-bandit');
    expect((draft?.body as { variants: { weight?: number }[] }).variants[1]?.weight).toBe(weight('bold'));
  });

  it('keeps a fixed cadence: a second run within the day does nothing', async () => {
    now += HOUR;
    const [outcome] = await runBandits(t.context);
    expect(outcome).toMatchObject({ status: 'not_due', reason: 'CADENCE' });
  });

  it('core decides by the new weights and explains a bandit decision in words that claim no more than it knows', async () => {
    const { body } = await snapshot();
    const consent: ConsentState = {
      // Only visitors who allow measurement are enrolled in the split (others see the first variant, unmeasured).
      purposes: {
        personalization: { status: 'granted', at: now - HOUR },
        measurement: { status: 'granted', at: now - HOUR },
      },
      signals: {},
    };
    const profileOf = (visitorId: string): Profile => ({
      version: 1,
      visitorId,
      values: {
        role: { value: 'developer', source: 'declared', collectedAt: now - HOUR, expiresAt: now + 30 * 24 * HOUR },
      },
    });
    const context: DecisionContext = { now, attributes: {}, slots: ['banner'], languages: ['en'] };
    const shown = { plain: 0, bold: 0 };
    let explained = '';
    for (let i = 0; i < 400; i++) {
      const profile = profileOf(`visitor-${i}`);
      const decision = decide(body, profile, consent, context).find((candidate) => candidate.slot === 'banner');
      if (decision?.variant === null || decision?.variant === undefined) continue;
      expect(decision.allocation).toBe('bandit');
      shown[decision.variant.id as 'plain' | 'bold'] += 1;
      if (explained === '')
        explained = explain(decision, { snapshot: body, profile, consent, context }).text.mainReason;
    }
    expect(shown.bold).toBeGreaterThan(shown.plain * 5);
    expect(shown.plain).toBeGreaterThan(0);
    expect(explained).toContain('performing best for visitors like you so far');
  });
});

describe('bandit job with per-audience segments', () => {
  let t: TestApp;
  let now = START;
  const SEGMENTED = {
    ...BANDIT,
    id: 'cta-bandit',
    name: 'CTA bandit, learned per audience',
    audiences: [],
    seed: 'cta-bandit',
    variants: ['plain', 'bold'].map((id) => ({
      id,
      name: id,
      content: { cta: { type: 'text', text: { en: id, 'zh-Hant': id } } },
    })),
    segments: [{ audience: 'developers' }],
  };
  const live = async (): Promise<Snapshot> =>
    (await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` })).json() as Snapshot;
  const report = (batchId: string, deltas: object[]) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/aggregates`,
      headers: t.as.editor.headers,
      payload: { batchId, deltas },
    });
  const cell = (variant: string, n: number, sum: number, segment?: string) => ({
    experience: 'cta-bandit',
    variant,
    metric: 'signup',
    n,
    sum,
    sumSquares: sum,
    ...(segment === undefined ? {} : { segment }),
  });

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, ...LONG_SESSIONS });
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/${SEGMENTED.id}`,
      payload: SEGMENTED,
      headers: t.as.editor.headers,
    });
    expect(put.statusCode, put.body).toBe(200);
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps deltas tagged with a live segment apart, and counts a stale segment in the totals only', async () => {
    // A device may remember a segment a later publish removed: the batch is not lost for it.
    const stale = await report('segment-batch-0', [cell('plain', 1, 0, 'leaders')]);
    expect(stale.statusCode, stale.body).toBe(200);
    expect(stale.json()).toMatchObject({ status: 'applied', unsegmented: 1 });
    // Developers convert far better on "bold"; everyone else (most traffic) slightly better on "plain".
    const applied = await report('segment-batch-1', [
      cell('plain', 400, 20, 'developers'),
      cell('bold', 400, 120, 'developers'),
      cell('plain', 6000, 900),
      cell('bold', 6000, 600),
    ]);
    expect(applied.statusCode, applied.body).toBe(200);
    const site = (await t.storage.getSiteByKey(t.siteKey))!;
    // Totals count every delta; the segment table only the tagged ones.
    const totals = await t.storage.listAggregates(site.id, 'cta-bandit');
    expect(totals.find((c) => c.variantId === 'bold')).toMatchObject({ n: 6400, sum: 720 });
    expect(totals.find((c) => c.variantId === 'plain')).toMatchObject({ n: 6401, sum: 920 });
    expect(await t.storage.listSegmentAggregates(site.id, 'cta-bandit')).toEqual([
      { segment: 'developers', variantId: 'bold', metricId: 'signup', n: 400, sum: 120, sumSquares: 120 },
      { segment: 'developers', variantId: 'plain', metricId: 'signup', n: 400, sum: 20, sumSquares: 20 },
    ]);
  });

  it('learns weights per audience, publishes them signed, and core splits each audience by its own', async () => {
    now += 25 * HOUR;
    const [outcome] = await runBandits(t.context);
    expect(outcome).toMatchObject({ status: 'published', reason: 'UPDATED' });
    expect(outcome?.segments).toEqual([expect.objectContaining({ audience: 'developers', reason: 'UPDATED' })]);
    const body = await live();
    const experience = body.experiences.find((candidate) => candidate.id === 'cta-bandit')!;
    const overall = Object.fromEntries(experience.variants.map((variant) => [variant.id, variant.weight ?? 0]));
    const developers = experience.segments?.[0]?.weights ?? {};
    expect(overall['plain']).toBeGreaterThan(0.9);
    expect(developers['bold']).toBeGreaterThan(0.9);

    const consent: ConsentState = {
      purposes: {
        personalization: { status: 'granted', at: now - HOUR },
        measurement: { status: 'granted', at: now - HOUR },
      },
      signals: {},
    };
    const profile = (visitorId: string, role: string): Profile => ({
      version: 1,
      visitorId,
      values: { role: { value: role, source: 'declared', collectedAt: now - HOUR, expiresAt: now + 30 * 24 * HOUR } },
    });
    const context: DecisionContext = { now, attributes: {}, slots: ['cta'], languages: ['en'] };
    const shown = (role: string) => {
      const counts = { plain: 0, bold: 0 };
      for (let i = 0; i < 300; i++) {
        const decision = decide(body, profile(`${role}-${i}`, role), consent, context).find((d) => d.slot === 'cta');
        if (decision?.variant) counts[decision.variant.id as 'plain' | 'bold'] += 1;
        if (decision?.variant && role === 'developer') expect(decision.segment).toBe('developers');
      }
      return counts;
    };
    const dev = shown('developer');
    const designer = shown('designer');
    expect(dev.bold).toBeGreaterThan(dev.plain * 5);
    expect(designer.plain).toBeGreaterThan(designer.bold * 5);

    // The audit says what each audience learned; the draft keeps it for the next human publish.
    const entry = (await t.storage.listAudit({ limit: 10 })).find((e) => e.action === 'bandit.reweight');
    expect(JSON.stringify(entry?.after)).toContain('Audience developers: plain');
    const site = (await t.storage.getSiteByKey(t.siteKey))!;
    const draft = await t.storage.getDraft(site.id, 'experiences', 'cta-bandit');
    expect((draft?.body as { segments: { weights?: Record<string, number> }[] }).segments[0]?.weights).toEqual(
      developers,
    );
  });

  it('keeps a segment that is still in burn-in on the overall weights', async () => {
    const site = (await t.storage.getSiteByKey(t.siteKey))!;
    // The test clock is past the sessions' lifetime: write the drafts through storage.
    const draft = (await t.storage.getDraft(site.id, 'experiences', 'cta-bandit'))!.body as typeof SEGMENTED;
    await t.storage.putDraft(
      site.id,
      'experiences',
      'cta-bandit',
      { ...draft, segments: [...draft.segments, { audience: 'developers-2' }] },
      now,
    );
    await t.storage.putDraft(
      site.id,
      'audiences',
      'developers-2',
      { id: 'developers-2', name: 'Developers too', condition: { role: 'developer' } },
      now,
    );
    const { lint } = await import('@candor/core');
    const { loadDraft } = await import('../drafts/service.js');
    const { publish } = await import('../publish/service.js');
    const acknowledge = lint(await loadDraft(t.context, site.id)).map((finding) => finding.fingerprint);
    await publish(t.context, site, acknowledge, 'test');
    now += 25 * HOUR;
    const [outcome] = await runBandits(t.context);
    expect(outcome?.segments?.find((segment) => segment.audience === 'developers-2')).toEqual({
      audience: 'developers-2',
      reason: 'BURN_IN',
      weights: undefined,
    });
    const experience = (await live()).experiences.find((candidate) => candidate.id === 'cta-bandit')!;
    expect(experience.segments?.find((segment) => segment.audience === 'developers-2')).toEqual({
      audience: 'developers-2',
    });
  });
});

describe('bandit guards: bounded steps, enough visitors, and owner approval', () => {
  let t: TestApp;
  let now = START;
  const GUARDED = {
    ...BANDIT,
    id: 'guarded-bandit',
    seed: 'guarded-bandit',
    audiences: [],
    variants: ['a', 'b', 'c'].map((id) => ({
      id,
      name: id,
      content: { guarded: { type: 'text', text: { en: id, 'zh-Hant': id } } },
    })),
    // The defaults: at most 0.1 of traffic moves per run, and 200 visitors before any move.
    analysis: { bandit: { minimumShare: 0.05, burnInUnits: 30, cadenceHours: 24 } },
  };
  let batch = 0;
  const report = (n: number, sums: readonly [number, number, number]) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/aggregates`,
      headers: t.as.editor.headers,
      payload: {
        batchId: `guarded-${(batch += 1)}`,
        deltas: (['a', 'b', 'c'] as const).map((variant, index) => ({
          experience: 'guarded-bandit',
          variant,
          metric: 'signup',
          n,
          sum: sums[index],
          sumSquares: sums[index],
        })),
      },
    });
  const weights = async (): Promise<Record<string, number>> => {
    const body = (await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` })).json() as Snapshot;
    const experience = body.experiences.find((candidate) => candidate.id === 'guarded-bandit')!;
    const raw = experience.variants.map((variant) => variant.weight ?? 1);
    const total = raw.reduce((sum, weight) => sum + weight, 0);
    return Object.fromEntries(experience.variants.map((variant, index) => [variant.id, (raw[index] ?? 0) / total]));
  };
  const run = async () => {
    now += 25 * HOUR;
    return (await runBandits(t.context)).find((outcome) => outcome.experienceId === 'guarded-bandit');
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, ...LONG_SESSIONS });
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/${GUARDED.id}`,
      payload: GUARDED,
      headers: t.as.editor.headers,
    });
    expect(put.statusCode, put.body).toBe(200);
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('past burn-in but below the minimum of attributable visitors, publishes nothing', async () => {
    expect((await report(40, [1, 1, 30])).statusCode).toBe(200);
    expect(await run()).toMatchObject({ status: 'waiting', reason: 'TOO_FEW_VISITORS' });
  });

  it("moves no arm by more than one step per run, however lopsided the data (an attacker's 0.05/0.05/0.9)", async () => {
    expect((await report(2000, [20, 20, 1900])).statusCode).toBe(200);
    const before = await weights();
    expect(await run()).toMatchObject({ status: 'published' });
    const after = await weights();
    for (const id of ['a', 'b', 'c'])
      expect(Math.abs((after[id] ?? 0) - (before[id] ?? 0))).toBeLessThanOrEqual(0.1 + 1e-3);
    expect(after['c']).toBeGreaterThan(before['c'] ?? 0);
  });

  it('with owner approval required, proposes instead of publishing; only an owner can approve, and it is audited', async () => {
    const site = await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}`, headers: t.as.owner.headers });
    const { settings } = site.json() as { settings: Record<string, unknown> };
    const changed = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}`,
      headers: t.as.owner.headers,
      payload: { ...settings, banditApproval: 'owner' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const before = await weights();
    const version = (await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` })).headers['candor-snapshot-version'];
    expect(await run()).toMatchObject({ status: 'proposed' });
    expect(await weights()).toEqual(before);
    const proposalUrl = `/v1/admin/sites/${t.siteKey}/experiences/guarded-bandit/bandit-proposal`;
    const pending = (await t.app.inject({ url: proposalUrl, headers: t.as.viewer.headers })).json() as {
      proposal: { weights: Record<string, number>; why: string } | null;
    };
    expect(pending.proposal?.why).toContain('Thompson sampling');
    expect(
      (await t.app.inject({ method: 'POST', url: `${proposalUrl}/approve`, headers: t.as.editor.headers })).statusCode,
    ).toBe(403);
    const approved = await t.app.inject({ method: 'POST', url: `${proposalUrl}/approve`, headers: t.as.owner.headers });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` })).headers['candor-snapshot-version']).toBe(
      String(Number(version) + 1),
    );
    const served = await weights();
    for (const id of ['a', 'b', 'c']) expect(served[id]).toBeCloseTo(pending.proposal?.weights[id] ?? -1, 3);
    const audit = await t.storage.listAudit({ limit: 20 });
    expect(audit.find((entry) => entry.action === 'bandit.propose')?.actor).toBe('system:bandit');
    expect(audit.find((entry) => entry.action === 'bandit.reweight')?.actor).toMatch(/^user:/);
    expect(
      ((await t.app.inject({ url: proposalUrl, headers: t.as.viewer.headers })).json() as { proposal: unknown })
        .proposal,
    ).toBeNull();
  });

  it('a dismissed proposal changes nothing, is audited, and cannot be approved afterwards', async () => {
    expect((await report(2000, [20, 20, 1900])).statusCode).toBe(200);
    const before = await weights();
    expect(await run()).toMatchObject({ status: 'proposed' });
    const proposalUrl = `/v1/admin/sites/${t.siteKey}/experiences/guarded-bandit/bandit-proposal`;
    expect(
      (await t.app.inject({ method: 'POST', url: `${proposalUrl}/dismiss`, headers: t.as.owner.headers })).statusCode,
    ).toBe(200);
    expect(await weights()).toEqual(before);
    expect(
      (await t.app.inject({ method: 'POST', url: `${proposalUrl}/approve`, headers: t.as.owner.headers })).statusCode,
    ).toBe(404);
    expect((await t.storage.listAudit({ limit: 20 })).some((entry) => entry.action === 'bandit.dismiss')).toBe(true);
  });
});
