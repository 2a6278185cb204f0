// The server provider through OpenFeature's own server SDK (setProviderAndWait, clients, hooks,
// events, track) against a real Candor server on 127.0.0.1 and a real @candor/node client.
import type { AddressInfo } from 'node:net';
import { createCandorClient, type CandorClient, type PublicJwk } from '@candor/node';
import { CandorServerProvider } from '@candor/openfeature/server';
import { createTestApp, HERO_EXPERIENCE, publishDraft, seedAndPublish, type TestApp } from '@candor/server/testing';
import {
  OpenFeature,
  ProviderEvents,
  type EvaluationDetails,
  type FlagValue,
  type Hook,
} from '@openfeature/server-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DAY = 86_400_000;

describe('CandorServerProvider through @openfeature/server-sdk', () => {
  let t: TestApp;
  let url: string;
  let publicKey: PublicJwk;
  let candor: CandorClient;
  let apiKey: string;
  const evaluated: EvaluationDetails<FlagValue>[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    publicKey = ((await t.app.inject({ url: `/v1/sites/${t.siteKey}/keys` })).json() as { keys: PublicJwk[] }).keys[0]!;
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/api-keys',
      headers: t.as.owner.headers,
      payload: { name: 'openfeature-server', scopes: ['read', 'publish'] },
    });
    apiKey = (created.json() as { key: string }).key;
    candor = createCandorClient({ serverUrl: url, siteKey: t.siteKey, publicKey, apiKey });
    await OpenFeature.setProviderAndWait(new CandorServerProvider(candor));
    // A hook sees every evaluation's details, as an application's logging or analytics hook would.
    const observer: Hook = { after: (_context, details) => void evaluated.push(details) };
    OpenFeature.addHooks(observer);
  }, 60_000);

  afterAll(async () => {
    await OpenFeature.close();
    await candor?.close();
    await t?.close();
  });

  /** The Cookie header of a visitor who made a choice (written by @candor/node, as a route would). */
  const visitorCookie = (purposes: readonly string[], role?: string, denied: readonly string[] = []): string => {
    const now = Date.now();
    const written = candor.setCookie({
      consent: {
        purposes: Object.fromEntries([
          ...purposes.map((id) => [id, { status: 'granted' as const, at: now - DAY }]),
          ...denied.map((id) => [id, { status: 'denied' as const, at: now - DAY }]),
        ]),
        signals: {},
      },
      profile: {
        version: 1,
        visitorId: 'of-server-visitor',
        values:
          role === undefined
            ? {}
            : { role: { value: role, source: 'declared', collectedAt: now - DAY, expiresAt: now + 30 * DAY } },
      },
    });
    if (!written.ok) throw new Error(written.message);
    return written.header.split(';')[0]!;
  };

  it('answers a slot flag with the variant, its reason and the explanation', async () => {
    const client = OpenFeature.getClient();
    const cookie = visitorCookie(['personalization'], 'developer');
    const details = await client.getStringDetails('hero', 'default', { cookie, acceptLanguage: 'zh-Hant' });
    expect(details).toMatchObject({ value: 'dev', variant: 'dev', reason: 'TARGETING_MATCH' });
    expect(details.flagMetadata).toMatchObject({ candorReason: 'TARGETING_MATCH', experienceId: 'hero-dev' });
    expect(String(details.flagMetadata['explanation'])).toMatch(/[\u4e00-\u9fff]/);

    const content = await client.getObjectDetails('hero', { type: 'none' }, { cookie });
    expect(content.value).toEqual(HERO_EXPERIENCE.variants[0]!.content['hero']);
    expect(await client.getBooleanValue('hero', false, { cookie })).toBe(true);
    // The experience's id is a flag too; as an object it gives each slot's content.
    expect(await client.getStringValue('hero-dev', 'default', { cookie })).toBe('dev');
    expect(await client.getObjectValue('hero-dev', {}, { cookie })).toEqual(HERO_EXPERIENCE.variants[0]!.content);
    expect(evaluated.at(-1)).toMatchObject({ flagKey: 'hero-dev', reason: 'TARGETING_MATCH' });
  });

  it('gives every context without a personalization grant the default, whatever else it claims', async () => {
    const client = OpenFeature.getClient();
    const context = fc.record(
      {
        cookie: fc.oneof(
          fc.constant(visitorCookie(['measurement'], 'developer')),
          fc.constant(visitorCookie([], 'developer', ['personalization'])),
          fc.string(),
        ),
        role: fc.constant('developer'),
        attributes: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
        gpc: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(context, async (evaluationContext) => {
        const details = await client.getStringDetails('hero', 'default', evaluationContext);
        expect(details.value).toBe('default');
        expect(details.variant).toBeUndefined();
        expect(['DEFAULT', 'DISABLED']).toContain(details.reason);
        expect(await client.getBooleanValue('hero', true, evaluationContext)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('answers unknown flags and numbers with OpenFeature error codes, never a throw', async () => {
    const client = OpenFeature.getClient();
    expect(await client.getStringDetails('no-such-slot', 'default')).toMatchObject({
      value: 'default',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(await client.getNumberDetails('hero', 7)).toMatchObject({
      value: 7,
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
  });

  it('announces a publish as a configuration change, and evaluates the new content', async () => {
    const changed = new Promise<unknown>((resolve) =>
      OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, resolve),
    );
    const text = 'Ship it at the edge';
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/hero-dev`,
      headers: t.as.editor.headers,
      payload: {
        ...HERO_EXPERIENCE,
        variants: HERO_EXPERIENCE.variants.map((variant) => ({
          ...variant,
          content: { hero: { type: 'text', text: { en: text, 'zh-Hant': text } } },
        })),
      } as object,
    });
    expect(put.statusCode).toBe(200);
    const { version } = await publishDraft(t);
    // Delivered by @candor/node's live-update stream, not by polling.
    expect(await changed).toMatchObject({ metadata: { snapshotVersion: version } });
    const cookie = visitorCookie(['personalization'], 'developer');
    expect(await OpenFeature.getClient().getObjectValue('hero', {}, { cookie })).toEqual({
      type: 'text',
      text: { en: text, 'zh-Hant': text },
    });
  }, 60_000);

  it('follows context changes: a global or per-client context carries the visitor too', async () => {
    const cookie = visitorCookie(['personalization'], 'developer');
    OpenFeature.setContext({ cookie });
    expect(await OpenFeature.getClient().getStringValue('hero', 'default')).toBe('dev');
    const anonymous = OpenFeature.getClient('anonymous');
    anonymous.setContext({ cookie: '' });
    expect(await anonymous.getStringValue('hero', 'default')).toBe('default');
    OpenFeature.setContext({});
    expect(await OpenFeature.getClient().getStringValue('hero', 'default')).toBe('default');
  });

  it('starts without a reachable server as not ready, and becomes ready with the first verified snapshot', async () => {
    let down = true;
    const recovering = createCandorClient({
      serverUrl: url,
      siteKey: t.siteKey,
      publicKey,
      liveUpdates: false,
      fetch: (input, init) => (down ? Promise.reject(new TypeError('connection refused')) : fetch(input, init)),
      onError: () => {},
    });
    await expect(OpenFeature.setProviderAndWait('recovering', new CandorServerProvider(recovering))).rejects.toThrow();
    const client = OpenFeature.getClient('recovering');
    const cookie = visitorCookie(['personalization'], 'developer');
    expect(await client.getStringDetails('hero', 'default', { cookie })).toMatchObject({
      value: 'default',
      reason: 'ERROR',
    });
    const ready = new Promise<unknown>((resolve) => client.addHandler(ProviderEvents.Ready, resolve));
    down = false;
    await recovering.refresh();
    await ready;
    expect(await client.getStringValue('hero', 'default', { cookie })).toBe('dev');
  });

  // Last: it closes OpenFeature to flush.
  it('counts track() as an aggregate outcome only with measurement consent', async () => {
    const client = OpenFeature.getClient();
    const measured = visitorCookie(['personalization', 'measurement'], 'developer');
    const unmeasured = visitorCookie(['personalization'], 'developer');
    const enrolled = await client.getStringDetails('hero', 'default', { cookie: measured });
    client.track('signup', { cookie: measured }, { value: 1 });
    client.track('signup', { cookie: unmeasured }, { value: 1 });
    // track is fire-and-forget in OpenFeature; closing waits for it and flushes the aggregates.
    await OpenFeature.close();
    const cells = (
      await t.app.inject({
        url: `/v1/admin/sites/${t.siteKey}/aggregates?experience=hero-dev`,
        headers: t.as.viewer.headers,
      })
    ).json() as { variantId: string; metricId: string; n: number; sum: number }[];
    const variant = enrolled.flagMetadata['candorReason'] === 'HOLDOUT' ? '$holdout' : enrolled.value;
    expect(cells.filter((cell) => cell.metricId === 'signup')).toEqual([
      expect.objectContaining({ variantId: variant, n: 1, sum: 1 }),
    ]);
  }, 60_000);
});
