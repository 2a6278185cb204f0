import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandorClient, type CandorNodeError, type ClientStatus } from '@candor/node';
import { fileSnapshotCache } from '@candor/node/file-cache';
import { startCandorServer, type RunningServer } from './candor-server.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = 86_400_000;
const developer = {
  version: 1 as const,
  values: {
    role: { value: 'developer', source: 'declared' as const, collectedAt: NOW - DAY, expiresAt: NOW + 30 * DAY },
  },
};
const personalizationOnly = {
  purposes: { personalization: { status: 'granted' as const, at: NOW - DAY } },
  signals: {},
};

/** The `Cookie` request header a browser would send back for a `Set-Cookie` header. */
function cookieHeader(setCookie: string): string {
  return setCookie.split(';')[0]!;
}

describe('@candor/node against a real Candor server', () => {
  let server: RunningServer;
  let directory: string;
  beforeAll(async () => {
    server = await startCandorServer();
    directory = await mkdtemp(join(tmpdir(), 'candor-node-'));
  });
  afterAll(async () => {
    await server.t.close();
    await rm(directory, { recursive: true, force: true });
  });

  const clientFor = (extra: Partial<Parameters<typeof createCandorClient>[0]> = {}) => {
    const errors: CandorNodeError[] = [];
    const client = createCandorClient({
      serverUrl: server.url,
      siteKey: server.t.siteKey,
      publicKey: server.publicKey,
      liveUpdates: false,
      now: () => NOW,
      onError: (error) => errors.push(error),
      ...extra,
    });
    return { client, errors };
  };

  it('personalizes from a consented cookie, and uses no profile data without one', async () => {
    const { client } = clientFor();
    await client.ready();
    const written = client.setCookie({ consent: personalizationOnly, profile: developer });
    if (!written.ok) throw new Error(written.message);
    expect(written.header).toMatch(/^candor_shop=1\.[A-Za-z0-9_-]+; Path=\/; Max-Age=\d+; SameSite=Lax; Secure$/);

    const consented = new Request('https://shop.example/', { headers: { cookie: cookieHeader(written.header) } });
    const [hero] = (await client.decide(consented, { slots: ['hero'] })).decisions;
    expect(hero?.variant?.id).toBe('dev');
    const why = await client.explain(consented, 'hero', { language: 'zh-Hant' });
    expect(why?.signals.map((signal) => signal.key)).toEqual(['role']);

    const anonymous = await client.decide({ headers: { 'accept-language': 'en' } }, { slots: ['hero'] });
    expect(anonymous.visitor).toMatchObject({ choiceMade: false, noChoiceReason: 'absent', profile: undefined });
    expect(anonymous.decisions[0]?.variant).toBeNull();
    expect(anonymous.decisions[0]?.signals).toEqual([]);
    // Nothing is written before a choice.
    expect(client.setCookie({ consent: { purposes: {}, signals: {} }, profile: developer })).toMatchObject({
      ok: false,
      error: 'NO_CHOICE',
    });
    await client.close();
  });

  it('honours Sec-GPC over a grant made before it (Node-style headers)', async () => {
    const { client } = clientFor();
    await client.ready();
    const written = client.setCookie({ consent: personalizationOnly, profile: developer });
    if (!written.ok) throw new Error(written.message);
    const { decisions, visitor } = await client.decide(
      { headers: { cookie: `other=1; ${cookieHeader(written.header)}`, 'sec-gpc': '1' } },
      { slots: ['hero'] },
    );
    expect(visitor.consent.signals.gpc).toEqual({ since: NOW });
    expect(decisions[0]?.variant).toBeNull();
    await client.close();
  });

  it('sees a publish through live updates, without polling', async () => {
    const updates: ClientStatus[] = [];
    let seen: (status: ClientStatus) => void = () => {};
    const next = new Promise<ClientStatus>((resolve) => (seen = resolve));
    const { client } = clientFor({
      liveUpdates: true,
      onUpdate: (status) => {
        updates.push(status);
        if (updates.length === 2) seen(status);
      },
    });
    const first = await client.ready();
    const version = await server.republish('Ship it faster');
    expect(await next).toEqual({ version, origin: 'network' });
    expect(version).toBeGreaterThan(first.version ?? Number.POSITIVE_INFINITY);
    const written = client.setCookie({ consent: personalizationOnly, profile: developer });
    if (!written.ok) throw new Error(written.message);
    const { decisions } = await client.decide(
      { headers: { cookie: cookieHeader(written.header) } },
      { slots: ['hero'] },
    );
    expect(decisions[0]?.variant?.content).toEqual({
      type: 'text',
      text: { en: 'Ship it faster', 'zh-Hant': 'Ship it faster' },
    });
    await client.close();
  });

  it('refuses a snapshot altered on the way, and one signed with another key', async () => {
    const tampering: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith('/snapshot') || response.status !== 200) return response;
      const body = (await response.text()).replace('"developer"', '"marketer"');
      return new Response(body, { status: 200, headers: response.headers });
    };
    const altered = clientFor({ fetch: tampering });
    expect(await altered.client.ready()).toEqual({ version: null, origin: 'none' });
    expect(altered.errors.map((error) => error.code)).toContain('SNAPSHOT_SIGNATURE_INVALID');
    const [hero] = (await altered.client.decide({ headers: {} }, { slots: ['hero'] })).decisions;
    expect(hero).toMatchObject({ reason: 'ERROR', variant: null });

    const otherKey = { ...server.publicKey, x: server.publicKey.y ?? '', y: server.publicKey.x ?? '' };
    const foreign = clientFor({ publicKey: otherKey });
    expect(await foreign.client.ready()).toEqual({ version: null, origin: 'none' });
    expect(foreign.errors.map((error) => error.code)).toContain('SNAPSHOT_SIGNATURE_INVALID');
  });

  it('counts recorded outcomes once, even when a batch is resent after a lost answer', async () => {
    const apiKey = await server.apiKey();
    let loseNextAnswer = true;
    const flaky: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/aggregates') && loseNextAnswer) {
        loseNextAnswer = false;
        throw new TypeError('connection reset after the server answered');
      }
      return response;
    };
    const { client, errors } = clientFor({ apiKey, fetch: flaky });
    await client.ready();
    const measured = {
      purposes: { ...personalizationOnly.purposes, measurement: { status: 'granted' as const, at: NOW - DAY } },
      signals: {},
    };
    const profile = { ...developer, visitorId: 'visitor-for-bucketing' };
    const written = client.setCookie({ consent: measured, profile });
    if (!written.ok) throw new Error(written.message);
    const { decisions, visitor } = await client.decide(
      { headers: { cookie: cookieHeader(written.header) } },
      { slots: ['hero'] },
    );
    const hero = decisions[0]!;
    expect(hero.enrolled).toBe(true);
    expect(client.record({ decision: hero, consent: visitor.consent, values: { signup: 1 } })).toBe(true);
    // Without measurement consent nothing is counted.
    expect(client.record({ decision: hero, consent: personalizationOnly, values: { signup: 1 } })).toBe(false);

    expect(await client.flush()).toEqual({ sent: 0, pending: 1 });
    expect(errors.map((error) => error.code)).toEqual(['REPORT_FAILED']);
    expect(await client.flush()).toEqual({ sent: 1, pending: 0 });

    const cells = (
      await server.t.app.inject({
        url: `/v1/admin/sites/${server.t.siteKey}/aggregates?experience=hero-dev`,
        headers: server.t.as.viewer.headers,
      })
    ).json() as { variantId: string; metricId: string; n: number; sum: number }[];
    const variant = hero.reason === 'HOLDOUT' ? '$holdout' : hero.variant?.id;
    expect(cells.find((cell) => cell.variantId === variant && cell.metricId === 'signup')).toMatchObject({
      n: 1,
      sum: 1,
    });
    await client.close();
  });

  it('decides only the named slots, in the order asked', async () => {
    const { client } = clientFor();
    await client.ready();
    const written = client.setCookie({ consent: personalizationOnly, profile: developer });
    if (!written.ok) throw new Error(written.message);
    const request = { headers: { cookie: cookieHeader(written.header) } };

    // No slots: every slot the snapshot targets.
    expect((await client.decide(request)).decisions.map((decision) => decision.slot)).toEqual(['hero']);
    // A slot nobody targets is decided alone (default content); the snapshot's `hero` is not added.
    const [banner, ...rest] = (await client.decide(request, { slots: ['banner'] })).decisions;
    expect(rest).toEqual([]);
    expect(banner).toMatchObject({ slot: 'banner', variant: null });

    const slotName = fc.constantFrom('hero', 'banner', 'footer', 'pricing-table');
    await fc.assert(
      fc.asyncProperty(fc.array(slotName, { maxLength: 6 }), async (slots) => {
        const { decisions } = await client.decide(request, { slots });
        const expected = slots.length === 0 ? ['hero'] : [...new Set(slots)];
        expect(decisions.map((decision) => decision.slot)).toEqual(expected);
        // Narrowing never changes what the named slot shows.
        const hero = decisions.find((decision) => decision.slot === 'hero');
        if (hero !== undefined) expect(hero.variant?.id).toBe('dev');
      }),
      { numRuns: 40 },
    );
    await client.close();
  });

  it('keeps serving the last good snapshot from a file while the server is down', async () => {
    const path = join(directory, 'shop-snapshot.json');
    const warm = clientFor({ cache: fileSnapshotCache(path) });
    const live = await warm.client.ready();
    expect(live.origin).toBe('network');
    const written = warm.client.setCookie({ consent: personalizationOnly, profile: developer });
    if (!written.ok) throw new Error(written.message);
    const request = { headers: { cookie: cookieHeader(written.header) } };

    // A second copy of the server's bytes, altered: refused when read back.
    const tamperedPath = join(directory, 'tampered.json');
    const cached = await readFile(path, 'utf8');
    await writeFile(tamperedPath, cached.replace('developer', 'marketer'), 'utf8');

    await server.t.close();
    // The running client: its memory copy.
    const [fromMemory] = (await warm.client.decide(request, { slots: ['hero'] })).decisions;
    expect(fromMemory?.variant).not.toBeNull();
    expect((await warm.client.refresh()).version).toBe(live.version);
    expect(warm.errors.map((error) => error.code)).toContain('SNAPSHOT_FETCH_FAILED');

    // A process started while the server is down: the file.
    const cold = clientFor({ cache: fileSnapshotCache(path) });
    expect(await cold.client.ready()).toEqual({ version: live.version, origin: 'cache' });
    const [fromFile] = (await cold.client.decide(request, { slots: ['hero'] })).decisions;
    expect(fromFile?.variant?.id).toBe(fromMemory?.variant?.id);

    const forged = clientFor({ cache: fileSnapshotCache(tamperedPath) });
    expect(await forged.client.ready()).toEqual({ version: null, origin: 'none' });
    expect(forged.errors.map((error) => error.code)).toContain('CACHE_UNREADABLE');
  });
});
