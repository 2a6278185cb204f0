import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HERO_EXPERIENCE } from '@candor/server/testing';
import { createCandorClient } from '@candor/node';
import { startCandorServer, type RunningServer } from './candor-server.js';

const NOW = Date.UTC(2026, 10, 29, 12);

describe('redirectFor: split-URL tests answer with a redirect before any HTML', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startCandorServer();
    // A personalization for everyone (no audience): every visitor, consented or not, gets its one variant.
    await server.publishExperience({
      ...HERO_EXPERIENCE,
      id: 'pricing-move',
      name: 'New pricing page',
      audiences: [],
      seed: 'pricing-move',
      pages: [{ type: 'path', pattern: '/pricing' }],
      variants: [
        {
          id: 'new-page',
          name: 'New pricing page',
          content: { 'page:pricing-move': { type: 'redirect', to: '/pricing-new', carryQuery: true } },
        },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await server.t.close();
  });

  const client = () =>
    createCandorClient({
      serverUrl: server.url,
      siteKey: server.t.siteKey,
      publicKey: server.publicKey,
      liveUpdates: false,
      now: () => NOW,
    });

  it('redirects a matching Fetch request with its query carried and the loop-guard marker', async () => {
    const candor = client();
    await candor.ready();
    const to = await candor.redirectFor(new Request('https://shop.example/pricing?plan=pro'));
    expect(to).toEqual({
      location: '/pricing-new?plan=pro&candor_redirected=pricing-move',
      status: 302,
      experienceId: 'pricing-move',
    });
    // Following it never loops.
    expect(await candor.redirectFor(new Request(`https://shop.example${to?.location}`))).toBeNull();
    // Its "Why?" on the landing page says the visitor was sent there.
    const why = await candor.explain(new Request(`https://shop.example${to?.location}`), 'page:pricing-move', {
      language: 'en',
    });
    expect(why?.text.mainReason).toMatch(/^You were sent to this page/);
    await candor.close();
  });

  it('reads a Node request path, and leaves other pages alone', async () => {
    const candor = client();
    await candor.ready();
    expect((await candor.redirectFor({ headers: {}, url: '/pricing' }))?.location).toBe(
      '/pricing-new?candor_redirected=pricing-move',
    );
    expect(await candor.redirectFor({ headers: {}, url: '/about' })).toBeNull();
    expect(await candor.redirectFor({ headers: {} })).toBeNull();
    expect((await candor.redirectFor({ headers: {} }, { url: '/pricing' }))?.status).toBe(302);
    await candor.close();
  });
});
