// @candor/react in Debian Chromium against the real server (issue 14 item 2): the server decides
// with core on the published snapshot and renders with react-dom/server; the browser hydrates that
// HTML. The personalised variant is in the first HTML, hydration is silent, the slot's node is never
// replaced, "Why?" opens the SDK's explanation, a consent choice re-renders, the preference center
// opens, and nothing is stored before the choice.
import { decide, type Language, type Snapshot } from '@candor/core';
import { initialDecisions } from '@candor/react/server';
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { AUDIENCES, EXPERIENCES } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';
import { ReactShop, type ShopData } from './react-shop.js';

const available = browserAvailable();
const HERE = dirname(fileURLToPath(import.meta.url));
const CAMPAIGN = '?utm_campaign=spring-sale';

// A contextual offer (no consent needed, so it is personalised in the first HTML) and an experiment
// that enrols only a visitor who allowed measurement (so a consent choice changes the banner).
const OFFER = {
  id: 'offer-spring',
  name: 'Spring offer',
  kind: 'personalization',
  audiences: ['spring'],
  variants: [
    {
      id: 'spring-offer',
      name: 'Spring offer',
      content: { offer: { type: 'text', text: { en: 'Spring sale: 20% off', 'zh-Hant': '春季特賣：八折' } } },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'offer-spring',
  goals: ['signup'],
};
const BANNERS = { a: 'Free shipping this week', b: 'New arrivals every Monday' };
const BANNER_TEST = {
  id: 'banner-test',
  name: 'Banner test',
  kind: 'experiment',
  audiences: [],
  variants: [
    {
      id: 'a',
      name: 'Shipping',
      content: { banner: { type: 'text', text: { en: BANNERS.a, 'zh-Hant': '本週免運' } } },
    },
    {
      id: 'b',
      name: 'Arrivals',
      content: { banner: { type: 'text', text: { en: BANNERS.b, 'zh-Hant': '每週一新品' } } },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'banner-test',
  goals: ['signup'],
};

let stack: Stack;
let browser: Browser;

/** Bundles the client as an app would (ESM, the SDK's visitor UI split into its own chunk) and serves it. */
async function serveClientBundle(): Promise<void> {
  const outdir = mkdtempSync(join(tmpdir(), 'candor-react-client-'));
  await build({
    entryPoints: { client: join(HERE, 'react-client.ts') },
    bundle: true,
    format: 'esm',
    splitting: true,
    target: 'es2022',
    outdir,
    conditions: ['@candor/source'],
    // React's development build: it reports every hydration mismatch on the console.
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  for (const file of readdirSync(outdir))
    stack.setPage(`react-client/${file}`, {
      raw: { contentType: 'text/javascript; charset=utf-8', body: readFileSync(join(outdir, file)) },
    });
}

/** Renders the page on the server, deciding with core on the snapshot the server published. */
async function serverRender(language: Language): Promise<{ html: string; data: ShopData }> {
  const response = await fetch(`${stack.api}/v1/sites/${stack.t.siteKey}/snapshot`);
  const snapshot = (await response.json()) as Snapshot;
  const keys = (await (await fetch(`${stack.api}/v1/sites/${stack.t.siteKey}/keys`)).json()) as { keys: JsonWebKey[] };
  // What a server knows of a first visit: the request, and no choice yet (pending means denied).
  const decisions = decide(
    snapshot,
    { version: 1, values: {} },
    { purposes: {}, signals: {} },
    { now: Date.now(), attributes: { path: '/react.html', utmCampaign: 'spring-sale' }, languages: [language] },
  );
  const data: ShopData = {
    options: { siteKey: stack.t.siteKey, api: stack.api, publicKey: keys.keys[0] as JsonWebKey, timeoutMs: 15_000 },
    decisions: initialDecisions(decisions),
    purposes: snapshot.purposes.filter((p) => p.class !== 'essential').map((p) => p.id),
    language,
  };
  const app = renderToString(createElement(ReactShop, data));
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const html = `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>React shop</title></head><body>
<div id="root">${app}</div>
<script id="shop-data" type="application/json">${json}</script>
<script>
// The server's slot node, held before hydration, and every change made inside it.
window.__ssr = { offer: document.querySelector('[data-candor-react-slot="offer"]'), changes: 0 };
new MutationObserver((records) => (window.__ssr.changes += records.length)).observe(window.__ssr.offer, {
  childList: true, characterData: true, attributes: true, subtree: true,
});
</script>
<script type="module" src="/react-client/client.js"></script>
</body></html>`;
  return { html, data };
}

beforeAll(async () => {
  if (!available) return;
  stack = await startStack({ audiences: AUDIENCES, experiences: [...EXPERIENCES, OFFER, BANNER_TEST] });
  await serveClientBundle();
  for (const [name, language] of [
    ['react', 'en'],
    ['react-zh', 'zh-Hant'],
  ] as const) {
    const { html } = await serverRender(language);
    stack.setPage(name, { raw: { contentType: 'text/html; charset=utf-8', body: html } });
  }
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

type SsrWindow = { __ssr: { offer: Element; changes: number } };
type CandorWindow = {
  candor: {
    track(metric: string): void;
    decide(slot: string): { enrolled?: boolean } | undefined;
    consent: { set(choices: Record<string, boolean>): Promise<void> };
  };
};

/** The banner test's counts on the server: exposures (`n`) and signups (`sum`) per variant. */
const bannerCounts = async (): Promise<Record<string, { n: number; sum: number }>> => {
  const site = await stack.t.storage.getSiteByKey(stack.t.siteKey);
  const cells = await stack.t.storage.listAggregates(site!.id, 'banner-test');
  const counts: Record<string, { n: number; sum: number }> = { a: { n: 0, sum: 0 }, b: { n: 0, sum: 0 } };
  for (const cell of cells)
    if (cell.metricId === 'signup' && cell.variantId in counts) counts[cell.variantId] = { n: cell.n, sum: cell.sum };
  return counts;
};

describe.skipIf(!available)(
  `browser, @candor/react: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 60_000 },
  () => {
    it('puts the personalised variant in the first HTML', async () => {
      const html = await (await fetch(stack.url('react', CAMPAIGN))).text();
      expect(html).toContain(
        '<h2 data-candor-react-slot="offer" data-candor-variant="spring-offer">Spring sale: 20% off</h2>',
      );
      expect(html).toContain('<p data-candor-react-slot="banner">Welcome to the shop</p>');
      // The decision's signal values stay on the server: the page carries only what rendering needs.
      expect(html).not.toContain('"signals"');
    });

    it('hydrates without a mismatch or a replaced node, explains, re-renders on consent, stores nothing before it', async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const complaints: string[] = [];
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
      });
      page.on('pageerror', (error) => complaints.push(error.message));
      await page.goto(stack.url('react', CAMPAIGN));
      await page.locator('html[data-hydrated="true"]').waitFor();
      // The SDK has read the device's choice (none yet) and decided on its own engine.
      await page.locator('#consent-phase', { hasText: 'pending' }).waitFor();

      const offer = page.locator('[data-candor-react-slot="offer"]');
      const sameNode = () =>
        page.evaluate(() => {
          const held = (window as never as SsrWindow).__ssr.offer;
          return {
            connected: held.isConnected,
            same: held === document.querySelector('[data-candor-react-slot="offer"]'),
            text: held.textContent,
            changes: (window as never as SsrWindow).__ssr.changes,
          };
        });
      expect(await sameNode()).toEqual({ connected: true, same: true, text: 'Spring sale: 20% off', changes: 0 });
      expect(await page.locator('[data-candor-react-slot="banner"]').textContent()).toBe('Welcome to the shop');

      // Nothing on the device before a choice: no cookie on either origin, no storage.
      expect(await context.cookies()).toEqual([]);
      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);

      // "Why?" opens the SDK's explanation of the decision on screen.
      await page.locator('button[data-candor-react-why="offer"]').click();
      const why = page.locator('[role="dialog"].candor-why');
      await why.waitFor();
      expect(await why.textContent()).toContain('campaign');
      await page.keyboard.press('Escape');
      await why.waitFor({ state: 'detached' });

      // The visitor's choice through the site's own button: the experiment enrols them once the server
      // has issued their id, and the banner follows; the offer's node is still the server's.
      await page.locator('#allow-all').click();
      await page.locator('#consent-phase', { hasText: 'decided' }).waitFor();
      await page.locator('[data-candor-react-slot="banner"][data-candor-variant]').waitFor();
      const banner = await page.locator('[data-candor-react-slot="banner"]').textContent();
      expect([BANNERS.a, BANNERS.b]).toContain(banner);
      expect(await sameNode()).toEqual({ connected: true, same: true, text: 'Spring sale: 20% off', changes: 0 });
      expect(await offer.getAttribute('data-candor-variant')).toBe('spring-offer');

      // usePreferenceCenter opens the SDK's preference center.
      await page.locator('#preferences').click();
      await page.locator('[role="dialog"].candor-preferences').waitFor();

      expect(complaints).toEqual([]);
      await context.close();
    });

    it('measures the React-rendered A/B banner: one exposure once measured, then its conversion', async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const complaints: string[] = [];
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
      });
      const reports: unknown[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/reports')) reports.push(request.postDataJSON());
      });
      const before = await bannerCounts();
      await page.goto(stack.url('react', CAMPAIGN));
      await page.locator('html[data-hydrated="true"]').waitFor();
      await page.locator('#consent-phase', { hasText: 'pending' }).waitFor();

      const exposure = page.waitForResponse((response) => response.url().endsWith('/reports'));
      await page.locator('#allow-all').click();
      const banner = page.locator('[data-candor-react-slot="banner"][data-candor-variant]');
      await banner.waitFor();
      const shown = (await banner.getAttribute('data-candor-variant')) as 'a' | 'b';
      expect((await exposure).status()).toBe(200);
      const exposed = await bannerCounts();
      expect(exposed[shown]!.n - before[shown]!.n).toBe(1);

      const conversion = page.waitForResponse((response) => response.url().endsWith('/reports'));
      await page.evaluate(() => (window as never as CandorWindow).candor.track('signup'));
      expect((await conversion).status()).toBe(200);
      const converted = await bannerCounts();
      // The conversion counts for the variant shown, and seeing the banner again adds no exposure.
      expect(converted[shown]!.sum - exposed[shown]!.sum).toBe(1);
      expect(converted[shown]!.n).toBe(exposed[shown]!.n);
      const bannerExposures = reports.flatMap(
        (report) => (report as { exposures?: { experience: string }[] }).exposures ?? [],
      );
      expect(bannerExposures.filter((event) => event.experience === 'banner-test')).toHaveLength(1);
      expect(complaints).toEqual([]);
      await context.close();
    });

    it('a conversion the moment the visitor is enrolled counts the React banner on screen, in the same report', async () => {
      const context = await newContext(browser);
      // Hold the visitor id back, so the banner is enrolled only when it arrives, and convert in the
      // task that first sees that: before the intersection observer has had a frame.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await context.route('**/v1/sites/*/visitors', async (route) => {
        await held;
        await route.continue();
      });
      const page = await context.newPage();
      const before = await bannerCounts();
      await page.goto(stack.url('react', CAMPAIGN));
      await page.locator('html[data-hydrated="true"]').waitFor();
      await page.locator('#consent-phase', { hasText: 'pending' }).waitFor();
      await page.locator('#allow-all').click();
      const report = page.waitForResponse((response) => response.url().endsWith('/reports'));
      release();
      const tracked = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const candor = (window as never as CandorWindow).candor;
            const tick = (): void => {
              if (candor.decide('banner')?.enrolled !== true) {
                setTimeout(tick, 0);
                return;
              }
              candor.track('signup');
              resolve('tracked');
            };
            tick();
          }),
      );
      expect(tracked).toBe('tracked');
      const answer = await report;
      expect(answer.status()).toBe(200);
      expect(answer.request().postDataJSON()).toMatchObject({
        exposures: expect.arrayContaining([expect.objectContaining({ experience: 'banner-test' })]),
        conversions: [{ metric: 'signup', value: 1 }],
      });
      const shown = (await page
        .locator('[data-candor-react-slot="banner"][data-candor-variant]')
        .getAttribute('data-candor-variant')) as 'a' | 'b';
      const after = await bannerCounts();
      expect({ n: after[shown]!.n - before[shown]!.n, sum: after[shown]!.sum - before[shown]!.sum }).toEqual({
        n: 1,
        sum: 1,
      });
      await context.close();
    });

    it('counts no exposure of the React banner without measurement consent', async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const reports: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/reports')) reports.push(request.url());
      });
      const before = await bannerCounts();
      await page.goto(stack.url('react', CAMPAIGN));
      await page.locator('html[data-hydrated="true"]').waitFor();
      await page.locator('#consent-phase', { hasText: 'pending' }).waitFor();
      await page.evaluate(() =>
        (window as never as CandorWindow).candor.consent.set({ personalization: true, sync: true }),
      );
      await page.locator('#consent-phase', { hasText: 'decided' }).waitFor();
      // Conversions are refused too, and a report would leave on pagehide: force both moments.
      await page.evaluate(() => (window as never as CandorWindow).candor.track('signup'));
      await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
      await page.waitForTimeout(500);
      expect(reports).toEqual([]);
      expect(await page.locator('[data-candor-react-slot="banner"]').getAttribute('data-candor-variant')).toBeNull();
      expect(await bannerCounts()).toEqual(before);
      await context.close();
    });

    it('renders and explains in Traditional Chinese when the page is zh-Hant', async () => {
      const html = await (await fetch(stack.url('react-zh', CAMPAIGN))).text();
      expect(html).toContain('春季特賣：八折');
      expect(html).toContain('為什麼？');
      const context = await newContext(browser, { locale: 'zh-TW' });
      const page = await context.newPage();
      const complaints: string[] = [];
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
      });
      await page.goto(stack.url('react-zh', CAMPAIGN));
      await page.locator('html[data-hydrated="true"]').waitFor();
      await page.locator('#consent-phase', { hasText: 'pending' }).waitFor();
      await page.locator('button[data-candor-react-why="offer"]').click();
      const why = page.locator('[role="dialog"].candor-why');
      await why.waitFor();
      // The SDK's own zh-Hant text, with the field's zh-Hant label from the snapshot.
      expect(await why.textContent()).toContain('活動來源');
      expect(await page.locator('[data-candor-react-slot="offer"]').textContent()).toBe('春季特賣：八折');
      expect(complaints).toEqual([]);
      await context.close();
    });
  },
);
