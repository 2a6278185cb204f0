import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstBrokenLink } from '../features/consent/chain.js';
import type { Contribution, ContributionPlan } from '../features/reports/contribution.js';
import type { SiteRecord } from '../features/sites/store.js';
import type { Storage } from './storage.js';

/** How a dialect's run opens a fresh, migrated storage and disposes of it. */
export interface ContractTarget {
  readonly name: string;
  readonly open: () => Promise<{ storage: Storage; dispose: () => Promise<void> }>;
}

let counter = 0;
function site(): SiteRecord {
  counter += 1;
  return {
    id: `site_${counter}_${Math.random().toString(36).slice(2)}`,
    siteKey: `key-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    settings: {
      name: 'Example',
      defaultLanguage: 'en',
      policyVersion: '1',
      explainDefaults: true,
      allowedOrigins: ['https://example.com'],
      ledgerRetentionDays: 365,
    },
    signingPublicJwk: '{}',
    signingPrivateSealed: 'sealed',
    createdAt: 1,
  };
}

/** The one behaviour both dialects must show (docs/architecture.md code habit 5). */
export function describeStorageContract(target: ContractTarget): void {
  describe(`storage contract: ${target.name}`, () => {
    let storage: Storage;
    let dispose: () => Promise<void>;

    // Explicit, generous hook timeouts: PGlite boots a WebAssembly PostgreSQL, and a setup that is
    // merely slow on a loaded machine must not fail the suite (one that really fails still does).
    beforeAll(async () => {
      ({ storage, dispose } = await target.open());
    }, 60_000);
    afterAll(async () => {
      await dispose();
    }, 60_000);

    it('migrating twice is a no-op', async () => {
      expect(await storage.migrate()).toEqual([]);
      await storage.ping();
    });

    it('stores sites and finds them by key; a site key is unique', async () => {
      const a = site();
      await storage.createSite(a);
      expect(await storage.getSiteByKey(a.siteKey)).toEqual(a);
      expect(await storage.getSite(a.id)).toEqual(a);
      await expect(storage.createSite({ ...a, id: 'other' })).rejects.toThrow();
      await storage.updateSiteSettings(a.id, { ...a.settings, name: 'Renamed' });
      expect((await storage.getSite(a.id))?.settings.name).toBe('Renamed');
    });

    it('puts, overwrites, lists and deletes drafts per site and kind', async () => {
      const a = site();
      await storage.createSite(a);
      await storage.putDraft(a.id, 'metrics', 'm1', { id: 'm1', v: 1 }, 10);
      await storage.putDraft(a.id, 'metrics', 'm1', { id: 'm1', v: 2 }, 20);
      await storage.putDraft(a.id, 'audiences', 'a1', { id: 'a1' }, 30);
      expect(await storage.getDraft(a.id, 'metrics', 'm1')).toEqual({
        kind: 'metrics',
        id: 'm1',
        body: { id: 'm1', v: 2 },
        updatedAt: 20,
      });
      expect((await storage.listDrafts(a.id)).map((d) => d.id)).toEqual(['a1', 'm1']);
      expect((await storage.listDrafts(a.id, 'metrics')).length).toBe(1);
      expect(await storage.deleteDraft(a.id, 'metrics', 'm1')).toBe(true);
      expect(await storage.deleteDraft(a.id, 'metrics', 'm1')).toBe(false);
    });

    it('keeps snapshot bytes exactly and refuses a second vN', async () => {
      const a = site();
      await storage.createSite(a);
      const body = '{"b":1,"a":"é 中文 \\u2028"}';
      const record = {
        siteId: a.id,
        version: 1,
        body,
        signature: 'sig',
        keyId: 'k',
        lintSummary: '{}',
        publishedAt: 5,
        publishedBy: 'u',
      };
      expect(await storage.insertSnapshot(record)).toBe(true);
      expect(await storage.insertSnapshot({ ...record, body: '{}' })).toBe(false);
      expect(await storage.insertSnapshot({ ...record, version: 2, publishedAt: 6 })).toBe(true);
      expect((await storage.latestSnapshot(a.id))?.version).toBe(2);
      expect((await storage.getSnapshot(a.id, 1))?.body).toBe(body);
      expect((await storage.listSnapshotVersions(a.id)).map((v) => v.version)).toEqual([2, 1]);
      expect(await storage.getSnapshot(a.id, 9)).toBeUndefined();
    });

    it('stores users (email case-insensitive), sessions and API keys', async () => {
      const before = await storage.countUsers();
      const id = `u_${Math.random().toString(36).slice(2)}`;
      const email = `${id}@Example.com`;
      await storage.createUser({
        id,
        email,
        passwordHash: 'h',
        role: 'editor',
        mustChangePassword: true,
        createdAt: 1,
      });
      expect(await storage.countUsers()).toBe(before + 1);
      expect((await storage.getUserByEmail(email.toUpperCase()))?.id).toBe(id);
      expect((await storage.getUser(id))?.mustChangePassword).toBe(true);
      await storage.createSession({ idHash: `s${id}`, userId: id, csrfToken: 'c', expiresAt: 100 });
      expect((await storage.getSession(`s${id}`))?.expiresAt).toBe(100);
      expect(await storage.deleteExpiredSessions(100)).toBeGreaterThanOrEqual(1);
      expect(await storage.getSession(`s${id}`)).toBeUndefined();
      await storage.createApiKey({
        id: `k${id}`,
        name: 'ci',
        secretHash: 'h',
        scopes: ['read'],
        createdBy: id,
        createdAt: 1,
        revokedAt: null,
      });
      expect((await storage.getApiKey(`k${id}`))?.scopes).toEqual(['read']);
      expect(await storage.revokeApiKey(`k${id}`, 7)).toBe(true);
      expect(await storage.revokeApiKey(`k${id}`, 8)).toBe(false);
      expect((await storage.getApiKey(`k${id}`))?.revokedAt).toBe(7);
    });

    it('changes roles and removes users without ever leaving no owner', async () => {
      const id = (name: string) => `u_${name}_${Math.random().toString(36).slice(2)}`;
      const create = async (userId: string, role: 'owner' | 'editor') => {
        await storage.createUser({
          id: userId,
          email: `${userId}@example.com`,
          passwordHash: 'h',
          role,
          mustChangePassword: false,
          createdAt: 1,
        });
      };
      // Demote every owner other tests left, so this test controls who the owners are.
      const [first, second] = [id('first'), id('second')];
      await create(first, 'owner');
      for (const user of await storage.listUsers()) {
        if (user.role === 'owner' && user.id !== first)
          expect(await storage.setUserRole(user.id, 'viewer')).toBe('done');
      }
      expect(await storage.setUserRole(first, 'editor')).toBe('last_owner');
      expect(await storage.deleteUser(first)).toBe('last_owner');
      await create(second, 'editor');
      expect(await storage.setUserRole(second, 'owner')).toBe('done');
      await storage.createSession({ idHash: `s${first}`, userId: first, csrfToken: 'c', expiresAt: 10 ** 13 });
      expect(await storage.deleteUser(first)).toBe('done');
      expect(await storage.getUser(first)).toBeUndefined();
      expect(await storage.getSession(`s${first}`)).toBeUndefined();
      expect(await storage.setUserRole(second, 'viewer')).toBe('last_owner');
      expect(await storage.setUserRole('u_missing', 'viewer')).toBe('not_found');
      expect(await storage.deleteUser('u_missing')).toBe('not_found');
    });

    it('appends audit entries newest first with before and after', async () => {
      const a = site();
      await storage.createSite(a);
      await storage.appendAudit({
        at: 1,
        actor: 'u',
        action: 'draft.put',
        siteId: a.id,
        target: 'metrics/m',
        before: null,
        after: { x: 1 },
      });
      await storage.appendAudit({
        at: 2,
        actor: 'u',
        action: 'draft.delete',
        siteId: a.id,
        target: 'metrics/m',
        before: { x: 1 },
        after: null,
      });
      const entries = await storage.listAudit({ siteId: a.id, limit: 10 });
      expect(entries.map((e) => e.action)).toEqual(['draft.delete', 'draft.put']);
      expect(entries[1]?.after).toEqual({ x: 1 });
      expect(typeof entries[0]?.seq).toBe('number');
    });

    it('chains consent records per site, and erasure keeps the chain verifiable', async () => {
      const a = site();
      await storage.createSite(a);
      await storage.createVisitor({ id: 'v1' + a.id, siteId: a.id, tokenHash: 'h', createdAt: 1 });
      await storage.createVisitor({ id: 'v2' + a.id, siteId: a.id, tokenHash: 'h', createdAt: 1 });
      const appends = await Promise.all(
        ['v1', 'v2', 'v1', 'v2'].map((v, i) =>
          storage.appendConsent({
            siteId: a.id,
            visitorId: v + a.id,
            subjectHash: `hash-${v}`,
            consentId: `c${i}${a.id}`,
            createdAt: 10 + i,
            expiresAt: 1000,
            payload: JSON.stringify({ i }),
          }),
        ),
      );
      expect(new Set(appends.map((x) => x.prevHash)).size).toBe(4);
      const links = await storage.chainLinks(a.id);
      expect(links).toHaveLength(4);
      expect(firstBrokenLink(links)).toBeNull();
      expect((await storage.listConsent('v1' + a.id)).length).toBe(2);
      expect(await storage.latestConsent('v2' + a.id)).toMatchObject({ createdAt: expect.any(Number) });
      // A range is half-open, in chain order, and bounded by the limit.
      const range = await storage.ledgerRange(a.id, 11, 13, 10);
      expect(range.map((row) => row.createdAt).sort()).toEqual([11, 12]);
      expect(range.map((row) => row.seq)).toEqual([...range.map((row) => row.seq)].sort((x, y) => x - y));
      expect(await storage.ledgerRange(a.id, 0, 100, 3)).toHaveLength(3);

      await storage.putValue({
        visitorId: 'v1' + a.id,
        fieldKey: 'role',
        purpose: 'p',
        source: 'declared',
        sealed: 's',
        collectedAt: 1,
        expiresAt: 9,
      });
      expect(
        await storage.eraseVisitor('v1' + a.id, {
          subjectHash: 'hash-v1',
          siteId: a.id,
          erasedAt: 50,
          requestedBy: 'visitor',
        }),
      ).toBe(true);
      expect(await storage.getVisitor('v1' + a.id)).toBeUndefined();
      expect(await storage.listValues('v1' + a.id)).toEqual([]);
      expect(await storage.listConsent('v1' + a.id)).toEqual([]);
      const after = await storage.chainLinks(a.id);
      expect(after.filter((l) => l.payload === null)).toHaveLength(2);
      expect(firstBrokenLink(after)).toBeNull();
      expect(await storage.listErasures(a.id)).toEqual([
        { subjectHash: 'hash-v1', siteId: a.id, erasedAt: 50, requestedBy: 'visitor' },
      ]);
      expect(
        await storage.eraseVisitor('v1' + a.id, { subjectHash: 'x', siteId: a.id, erasedAt: 51, requestedBy: 'v' }),
      ).toBe(false);
    });

    it('keeps one value key per visitor: the first claim wins, rotation pages and swaps it, erasure drops it', async () => {
      const a = site();
      await storage.createSite(a);
      const v = 'vk' + a.id;
      await storage.createVisitor({ id: v, siteId: a.id, tokenHash: 'h', createdAt: 1 });
      expect(await storage.getValueKey(v)).toBeNull();
      expect(await storage.getValueKey('nobody' + a.id)).toBeUndefined();
      // Two first writes racing must end with one key, the same for both.
      const claims = await Promise.all([storage.claimValueKey(v, 'k1'), storage.claimValueKey(v, 'k2')]);
      expect(new Set(claims).size).toBe(1);
      const kept = claims[0] ?? '';
      expect(await storage.claimValueKey(v, 'k3')).toBe(kept);
      expect((await storage.listValueKeys(undefined, 1000)).filter((key) => key.visitorId === v)).toEqual([
        { visitorId: v, sealed: kept },
      ]);
      expect(await storage.updateValueKey(v, 'stale', 'k4')).toBe(false);
      expect(await storage.updateValueKey(v, kept, 'k4')).toBe(true);
      expect(await storage.getValueKey(v)).toBe('k4');
      await storage.eraseVisitor(v, { subjectHash: 'x', siteId: a.id, erasedAt: 2, requestedBy: 'visitor' });
      expect(await storage.getValueKey(v)).toBeUndefined();
      expect((await storage.listValueKeys(undefined, 1000)).some((key) => key.visitorId === v)).toBe(false);
    });

    it('upserts sealed values, deletes by field, purpose and expiry, pages for rotation', async () => {
      const a = site();
      await storage.createSite(a);
      const v = 'val' + a.id;
      await storage.createVisitor({ id: v, siteId: a.id, tokenHash: 'h', createdAt: 1 });
      const base = { visitorId: v, source: 'declared', collectedAt: 1 };
      await storage.putValue({ ...base, fieldKey: 'a', purpose: 'p1', sealed: 's1', expiresAt: 100 });
      await storage.putValue({ ...base, fieldKey: 'a', purpose: 'p1', sealed: 's2', expiresAt: 100 });
      await storage.putValue({ ...base, fieldKey: 'b', purpose: 'p2', sealed: 's3', expiresAt: 5 });
      await storage.putValue({ ...base, fieldKey: 'c', purpose: 'p2', sealed: 's4', expiresAt: 100 });
      expect((await storage.listValues(v)).map((x) => x.sealed)).toEqual(['s2', 's3', 's4']);
      const page1 = await storage.listSealedValues(undefined, 2);
      expect(page1.length).toBe(2);
      expect(await storage.updateSealed(v, 'a', 'wrong', 'n')).toBe(false);
      expect(await storage.updateSealed(v, 'a', 's2', 'n')).toBe(true);
      expect(await storage.deleteExpiredValues(5)).toBeGreaterThanOrEqual(1);
      expect(await storage.deleteValuesByPurpose(v, ['p2'])).toBe(1);
      expect(await storage.deleteValue(v, 'a')).toBe(true);
      expect(await storage.listValues(v)).toEqual([]);
    });

    it('applies a report batch once, adding deltas atomically', async () => {
      const a = site();
      await storage.createSite(a);
      const delta = {
        experienceId: 'e',
        variantId: 'v',
        metricId: 'm',
        n: 2,
        sum: 1.5,
        sumSquares: 1.25,
        covariateSum: 0,
        covariateSumSquares: 0,
        crossProduct: 0,
      };
      expect(await storage.applyReportBatch(a.id, 'batch-1', [delta, delta], 1)).toBe('applied');
      expect(await storage.applyReportBatch(a.id, 'batch-1', [delta], 2)).toBe('duplicate');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => storage.applyReportBatch(a.id, `batch-c${i % 5}`, [delta], 3)),
      );
      expect(results.filter((r) => r === 'applied')).toHaveLength(5);
      const [cell] = await storage.listAggregates(a.id);
      expect(cell).toMatchObject({ n: 14, sum: 10.5, sumSquares: 8.75 });
      expect(await storage.deleteAggregates(a.id, ['e'])).toBe(1);
    });

    it("applies one visitor's concurrent reports one at a time, so an exposure counts once", async () => {
      const a = site();
      await storage.createSite(a);
      const visitorId = `vis_${a.id}`;
      await storage.createVisitor({ id: visitorId, siteId: a.id, tokenHash: 'h', createdAt: 1 });
      // The plan mimics ingestion: expose once, only when the visitor has no contribution yet.
      const expose = (known: readonly Contribution[]): ContributionPlan => {
        if (known.some((c) => c.experienceId === 'e')) return { cells: [], changed: [], clipped: 1, unsegmented: 0 };
        return {
          cells: [
            {
              experienceId: 'e',
              variantId: 'v',
              metricId: 'm',
              n: 1,
              sum: 0,
              sumSquares: 0,
              covariateSum: 0,
              covariateSumSquares: 0,
              crossProduct: 0,
            },
          ],
          changed: [{ experienceId: 'e', variantId: 'v', values: { m: 0.5 }, trust: ['opt_out'], active: true }],
          clipped: 0,
          unsegmented: 0,
        };
      };
      // Warm every pooled connection first, so the reports below really overlap.
      await Promise.all(Array.from({ length: 8 }, () => storage.listAggregates(a.id)));
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => storage.applyVisitorReport(a.id, `vb-${i}`, visitorId, 5, expose)),
      );
      expect(outcomes.every((outcome) => outcome.status === 'applied')).toBe(true);
      expect((await storage.listAggregates(a.id))[0]).toMatchObject({ n: 1 });
      expect(await storage.applyVisitorReport(a.id, 'vb-0', visitorId, 6, expose)).toEqual({ status: 'duplicate' });
      // What the visitor contributed reads back as written.
      let seen: readonly Contribution[] = [];
      await storage.applyVisitorReport(a.id, 'vb-read', visitorId, 7, (known) => {
        seen = known;
        return { cells: [], changed: [], clipped: 0, unsegmented: 0 };
      });
      expect(seen).toEqual([
        { experienceId: 'e', variantId: 'v', values: { m: 0.5 }, trust: ['opt_out'], active: true },
      ]);
      await storage.countUnattributed(a.id, 86_400_000, 3);
      await storage.countUnattributed(a.id, 86_400_000 + 5, 2);
      expect(await storage.listUnattributed(a.id)).toEqual([{ day: '1970-01-02', reports: 2, events: 5 }]);
      // Retention: rows untouched since the cutoff go (erasure deletes a visitor's rows with the visitor).
      expect(await storage.deleteContributionsBefore(5)).toBe(0);
      expect(await storage.deleteContributionsBefore(Number.MAX_SAFE_INTEGER)).toBe(1);
    });

    it('stores webhooks per site', async () => {
      const a = site();
      await storage.createSite(a);
      await storage.createWebhook({
        id: 'w' + a.id,
        siteId: a.id,
        url: 'https://h.example/x',
        events: ['snapshot.published'],
        secretSealed: 's',
        createdAt: 1,
      });
      expect((await storage.listWebhooks(a.id))[0]?.events).toEqual(['snapshot.published']);
      expect(await storage.deleteWebhook(a.id, 'w' + a.id)).toBe(true);
    });
    it('keeps a daily copy of every report batch by UTC day of receipt, deleted with the cells', async () => {
      const a = site();
      await storage.createSite(a);
      const delta = (variantId: string, n: number) => ({
        experienceId: 'e',
        variantId,
        metricId: 'm',
        n,
        sum: n / 2,
        sumSquares: n / 2,
        covariateSum: n,
        covariateSumSquares: 2 * n,
        crossProduct: n / 4,
      });
      const day1 = Date.UTC(2026, 0, 1, 23, 59);
      const day2 = Date.UTC(2026, 0, 2, 0, 1);
      await storage.applyReportBatch(a.id, 'day-1-a', [delta('v', 10), delta('v', 4), delta('w', 6)], day1);
      await storage.applyReportBatch(a.id, 'day-2-a', [delta('v', 20)], day2);
      expect(await storage.applyReportBatch(a.id, 'day-2-a', [delta('v', 20)], day2)).toBe('duplicate');
      const daily = await storage.listDailyAggregates(a.id, 'e');
      expect(daily.map((cell) => [cell.day, cell.variantId, cell.n])).toEqual([
        ['2026-01-01', 'v', 14],
        ['2026-01-01', 'w', 6],
        ['2026-01-02', 'v', 20],
      ]);
      expect(daily[0]).toMatchObject({
        sum: 7,
        sumSquares: 7,
        covariateSum: 14,
        covariateSumSquares: 28,
        crossProduct: 3.5,
      });
      const totals = await storage.listAggregates(a.id, 'e');
      expect(totals.find((cell) => cell.variantId === 'v')?.n).toBe(34);
      expect(await storage.listDailyAggregates(a.id, 'other')).toEqual([]);
      await storage.deleteAggregates(a.id, ['e']);
      expect(await storage.listDailyAggregates(a.id, 'e')).toEqual([]);
    });

    it('stores series points once per key, reads back only the keys asked for, deletes them with the cells', async () => {
      const a = site();
      await storage.createSite(a);
      const point = (day: string, lift: number) => ({
        day,
        at: Date.parse(`${day}T23:59:59.999Z`),
        variantId: 'v',
        n: 10,
        mean: 0.5,
        lift,
        interval: [lift - 1, lift + 1] as const,
        state: 'ok' as const,
      });
      expect((await storage.listSeriesPoints(a.id, 'e', ['k1'])).size).toBe(0);
      await storage.saveSeriesPoints(a.id, 'e', [{ key: 'k1', points: [point('2026-01-01', 1)] }], 1);
      // Another node computing the same key stores nothing new: the first entry stays.
      await storage.saveSeriesPoints(
        a.id,
        'e',
        [
          { key: 'k1', points: [point('2026-01-01', 99)] },
          { key: 'k2', points: [point('2026-01-02', 2)] },
        ],
        2,
      );
      const found = await storage.listSeriesPoints(a.id, 'e', ['k1', 'k2', 'k3']);
      expect([...found.keys()].sort()).toEqual(['k1', 'k2']);
      expect(found.get('k1')).toEqual([point('2026-01-01', 1)]);
      expect((await storage.listSeriesPoints(a.id, 'other', ['k1'])).size).toBe(0);
      await storage.deleteAggregates(a.id, ['e']);
      expect((await storage.listSeriesPoints(a.id, 'e', ['k1', 'k2'])).size).toBe(0);
    });

    it('keeps per-audience bandit cells apart, summed into the totals too, deleted with the cells', async () => {
      const a = site();
      await storage.createSite(a);
      const delta = (variantId: string, n: number, segment?: string) => ({
        ...(segment === undefined ? {} : { segment }),
        experienceId: 'e',
        variantId,
        metricId: 'm',
        n,
        sum: n / 2,
        sumSquares: n / 2,
        covariateSum: 0,
        covariateSumSquares: 0,
        crossProduct: 0,
      });
      await storage.applyReportBatch(
        a.id,
        'segments-1',
        [delta('v', 10, 'devs'), delta('v', 4, 'devs'), delta('v', 6, 'leads'), delta('v', 100), delta('w', 2, 'devs')],
        1,
      );
      expect(await storage.applyReportBatch(a.id, 'segments-1', [delta('v', 10, 'devs')], 2)).toBe('duplicate');
      expect((await storage.listAggregates(a.id, 'e')).map((cell) => [cell.variantId, cell.n])).toEqual([
        ['v', 120],
        ['w', 2],
      ]);
      expect(
        (await storage.listSegmentAggregates(a.id, 'e')).map((cell) => [
          cell.segment,
          cell.variantId,
          cell.n,
          cell.sum,
        ]),
      ).toEqual([
        ['devs', 'v', 14, 7],
        ['devs', 'w', 2, 1],
        ['leads', 'v', 6, 3],
      ]);
      await storage.deleteAggregates(a.id, ['e']);
      expect(await storage.listSegmentAggregates(a.id, 'e')).toEqual([]);
    });

    it('queues webhook deliveries, lets one claimant take each, and logs their outcome', async () => {
      const a = site();
      await storage.createSite(a);
      const delivery = (id: string, nextAttemptAt: number) => ({
        id: `${id}-${a.id}`,
        siteId: a.id,
        webhookId: `hook-${a.id}`,
        event: 'snapshot.published',
        body: '{}',
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt,
        lastError: null,
        createdAt: nextAttemptAt,
        finishedAt: null,
      });
      await storage.queueDeliveries([delivery('d1', 100), delivery('d2', 200), delivery('d3', 10_000)]);
      const first = await storage.claimDueDeliveries(500, 1000, 10);
      expect(first.map((claimed) => claimed.id)).toEqual([`d1-${a.id}`, `d2-${a.id}`]);
      // Leased: a second claimant at the same time gets nothing, and after the lease it gets them back.
      expect(await storage.claimDueDeliveries(500, 1000, 10)).toEqual([]);
      expect((await storage.claimDueDeliveries(1600, 1000, 10)).length).toBe(2);
      await storage.updateDelivery(`d1-${a.id}`, {
        status: 'delivered',
        attempts: 1,
        nextAttemptAt: 1600,
        lastError: null,
        finishedAt: 1600,
      });
      expect((await storage.getDelivery(`d1-${a.id}`))?.status).toBe('delivered');
      expect((await storage.listDeliveries(`hook-${a.id}`, 10)).map((d) => d.id)).toEqual([
        `d3-${a.id}`,
        `d2-${a.id}`,
        `d1-${a.id}`,
      ]);
      expect(await storage.deleteDeliveriesBefore(150)).toBeGreaterThanOrEqual(1);
      expect(await storage.getDelivery(`d1-${a.id}`)).toBeUndefined();
      // Pending ones are never pruned, however old.
      expect(await storage.getDelivery(`d2-${a.id}`)).toBeDefined();
    });

    it('records privacy releases once per sequence number', async () => {
      const a = site();
      await storage.createSite(a);
      const release = {
        experienceId: 'e',
        seq: 1,
        releasedAt: 5,
        epsilon: 0.25,
        cells: [
          {
            experienceId: 'e',
            variantId: 'v',
            metricId: 'm',
            n: 51,
            sum: 3.5,
            sumSquares: 9,
            covariateSum: 0,
            covariateSumSquares: 0,
            crossProduct: 0,
          },
        ],
      };
      const claims = await Promise.all([
        storage.insertPrivacyRelease(a.id, release),
        storage.insertPrivacyRelease(a.id, { ...release, epsilon: 0.5 }),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await storage.insertPrivacyRelease(a.id, { ...release, seq: 2, releasedAt: 9 })).toBe(true);
      const releases = await storage.listPrivacyReleases(a.id, 'e');
      expect(releases.map((r) => r.seq)).toEqual([1, 2]);
      expect(releases[1]).toEqual({ ...release, seq: 2, releasedAt: 9 });
      expect(await storage.listPrivacyReleases(a.id, 'other')).toEqual([]);
    });

    it('claims a bandit run once per cadence across processes', async () => {
      const a = site();
      await storage.createSite(a);
      expect(await storage.getBanditRun(a.id, 'e')).toBeUndefined();
      const first = { experienceId: 'e', ranAt: 100, outcome: { weights: [0.5, 0.5] } };
      const claims = await Promise.all([
        storage.claimBanditRun(a.id, first, undefined),
        storage.claimBanditRun(a.id, { ...first, ranAt: 101 }, undefined),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const stored = await storage.getBanditRun(a.id, 'e');
      const next = { experienceId: 'e', ranAt: 200, outcome: { weights: [0.9, 0.1] } };
      expect(await storage.claimBanditRun(a.id, next, stored?.ranAt)).toBe(true);
      expect(await storage.claimBanditRun(a.id, { ...next, ranAt: 300 }, stored?.ranAt)).toBe(false);
      expect(await storage.getBanditRun(a.id, 'e')).toEqual(next);
    });
  });
}
