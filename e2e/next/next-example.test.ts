// examples/next run for real (issue 14): `next build` and `next start` against the real Candor
// server, driven by Debian Chromium. The server component decides with @candor/node, so the
// campaign's variant is in the first HTML of a first and of a repeat visit; the slot's first content
// is the decided one and nothing is hidden; "Why?" tells the true reason in English and Traditional
// Chinese; the SDK's consent prompt and preference center work; GPC is honoured; and before a choice
// nothing identifies the visitor, in cookies, storage or requests. The browser SDK alone writes
// Candor's cookie, visitor id included once measurement is allowed, so an A/B test's arm is decided
// on the server too: the first HTML of a repeat visit holds the arm @candor/node decides for that id,
// and the browser keeps it (no DOM change after hydration); before a choice both show the default.
import { decodeVisitorCookie, encodeVisitorCookie, type Purpose } from '@candor/core';
import fc from 'fast-check';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCandorClient } from '@candor/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TARGETS, isStale } from '../../scripts/build.js';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { AUDIENCES, EXPERIENCES } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const available = browserAvailable();
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP_DIR = join(ROOT, 'examples', 'next');
const NEXT_BIN = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
// The example uses the packages as an app would, from their built dist.
const APP_PACKAGES: readonly string[] = ['@candor/sdk', '@candor/react', '@candor/node'];
const CAMPAIGN = '?utm_campaign=spring-sale';
const OFFER_HTML = '<h2 data-candor-react-slot="offer" data-candor-variant="spring-offer">';

// A contextual offer: it needs no consent, so it is personalised in the first HTML of any visit.
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

// A measured 50/50 test that enrols only a visitor who allowed measurement: before that, the default.
const BANNERS = { a: 'Free shipping this week', b: 'New arrivals every Monday' } as const;
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
const BANNER_DEFAULT = '<p data-candor-react-slot="banner">Welcome to the shop</p>';

let stack: Stack;
let browser: Browser;
let app: ChildProcess | undefined;
let appUrl = '';
let purposes: readonly Purpose[] = [];

/** A port nothing listens on now (the app's origin must be allowed before the site is published). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Runs `next` in the example with the Candor settings; resolves with its output when it exits 0. */
function runNext(args: readonly string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<string> } {
  const child = spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: APP_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<string>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`next ${args[0]} exited ${code}:\n${output}`)),
    ),
  );
  return { child, done };
}

async function waitForApp(url: string, exited: Promise<string>): Promise<void> {
  let stopped: unknown;
  exited.catch((error: unknown) => (stopped = error));
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (stopped) throw stopped;
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Next.js app did not answer at ${url}`);
}

beforeAll(async () => {
  if (!available) return;
  const port = await freePort();
  appUrl = `http://localhost:${port}`;
  stack = await startStack({
    audiences: AUDIENCES,
    experiences: [...EXPERIENCES, OFFER, BANNER_TEST],
    allowedOrigins: [appUrl],
  });
  const snapshot = (await (await fetch(`${stack.api}/v1/sites/${stack.t.siteKey}/snapshot`)).json()) as {
    purposes: Purpose[];
  };
  purposes = snapshot.purposes;
  for (const target of BUILD_TARGETS)
    if (APP_PACKAGES.includes(target.workspace) && isStale(target))
      execFileSync('npm', ['run', 'build', '-w', target.workspace], { cwd: ROOT, stdio: 'pipe' });
  const env = {
    CANDOR_SERVER_URL: stack.api,
    CANDOR_SITE_KEY: stack.t.siteKey,
    CANDOR_PUBLIC_KEY: stack.publicKeyAttr,
  };
  await runNext(['build'], env).done;
  const started = runNext(['start', '--port', String(port), '--hostname', '127.0.0.1'], env);
  app = started.child;
  await waitForApp(`http://127.0.0.1:${port}/`, started.done);
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  app?.kill('SIGTERM');
  await stack?.close();
});

/** Watches the offer and banner slots from the first byte: first content, later changes, visibility then. */
const WATCH_SLOT = `
window.__slots = {};
for (const name of ['offer', 'banner']) {
  const watch = (window.__slots[name] = { first: null, changes: 0, hidden: null });
  new MutationObserver((_, observer) => {
    const slot = document.querySelector('[data-candor-react-slot="' + name + '"]');
    if (!slot || watch.first !== null) return;
    observer.disconnect();
    const style = getComputedStyle(slot);
    watch.first = slot.textContent;
    watch.node = slot;
    watch.hidden = style.visibility !== 'visible' || style.opacity === '0' || style.display === 'none';
    new MutationObserver((records) => (watch.changes += records.length)).observe(slot, {
      childList: true, characterData: true, attributes: true, subtree: true,
    });
  }).observe(document, { childList: true, subtree: true });
}
`;

interface SlotWatch {
  readonly first: string | null;
  readonly changes: number;
  readonly hidden: boolean | null;
  readonly same: boolean;
}

/** What the slot watcher saw, and whether the slot on screen is still the node it first saw. */
function slotWatch(page: Page, slot: 'offer' | 'banner' = 'offer'): Promise<SlotWatch> {
  return page.evaluate((name) => {
    const watch = (
      window as never as {
        __slots: Record<string, { first: string | null; changes: number; hidden: boolean | null; node?: Element }>;
      }
    ).__slots[name]!;
    return {
      first: watch.first,
      changes: watch.changes,
      hidden: watch.hidden,
      same: watch.node === document.querySelector(`[data-candor-react-slot="${name}"]`),
    };
  }, slot);
}

/** Elements of the page that are hidden now (nothing should be: the decision is already in the HTML). */
function hiddenElements(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main, main *')]
      .filter((element) => {
        const style = getComputedStyle(element);
        return style.visibility !== 'visible' || style.opacity === '0' || style.display === 'none';
      })
      .map((element) => element.outerHTML.slice(0, 80)),
  );
}

/** A page that fails the test on any console error or warning, or an uncaught exception. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; complaints: string[] }> {
  const page = await context.newPage();
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
  });
  page.on('pageerror', (error) => complaints.push(error.message));
  await page.addInitScript(WATCH_SLOT);
  return { page, complaints };
}

const cookieName = () => `candor_${stack.t.siteKey}`;

/** Exposures the server counted for each arm of the banner test (its signup cells' `n`). */
async function bannerExposures(): Promise<Record<keyof typeof BANNERS, number>> {
  const site = await stack.t.storage.getSiteByKey(stack.t.siteKey);
  const cells = await stack.t.storage.listAggregates(site!.id, 'banner-test');
  const n = (arm: string) => cells.find((cell) => cell.variantId === arm && cell.metricId === 'signup')?.n ?? 0;
  return { a: n('a'), b: n('b') };
}

describe.skipIf(!available)(
  `browser, examples/next: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 120_000 },
  () => {
    it('puts the campaign offer in the first HTML and sets no cookie', async () => {
      const response = await fetch(`${appUrl.replace('localhost', '127.0.0.1')}/${CAMPAIGN}`);
      const html = await response.text();
      expect(html).toContain(`${OFFER_HTML}Spring sale: 20% off</h2>`);
      expect(html).toContain('<main data-candor-choice="none">');
      // Before a choice nobody is enrolled in the A/B test: the server shows its default.
      expect(html).toContain(BANNER_DEFAULT);
      expect(response.headers.get('set-cookie')).toBeNull();
      // The decision's signals hold the visitor's own values: they stay on the server.
      expect(html).not.toContain('"signals"');
      // Without the campaign the page's own default is decided, on the server too.
      const plain = await (await fetch(`${appUrl.replace('localhost', '127.0.0.1')}/`)).text();
      expect(plain).toContain('<h2 data-candor-react-slot="offer">Our offer</h2>');
      expect(plain).toContain(BANNER_DEFAULT);
    });

    it('first visit: decided content from the first frame, nothing before a choice, the prompt, "Why?", the preference center; the repeat visit is decided from the cookie', async () => {
      const context = await newContext(browser);
      const { page, complaints } = await watchedPage(context);
      const toCandor: { method: string; path: string; before: boolean }[] = [];
      let chose = false;
      page.on('request', (request) => {
        if (request.url().startsWith(stack.api))
          toCandor.push({ method: request.method(), path: new URL(request.url()).pathname, before: !chose });
      });
      // Only the browser SDK writes Candor's cookie: the app itself never answers with Set-Cookie.
      const appCookies: string[] = [];
      context.on('response', (response) => {
        const header = response.headers()['set-cookie'];
        if (response.url().startsWith(appUrl) && header !== undefined) appCookies.push(header);
      });
      await page.goto(`${appUrl}/${CAMPAIGN}`);
      await page.locator('html[data-hydrated="true"]').waitFor();
      const prompt = page.locator('.candor-prompt');
      await prompt.waitFor();
      await page.locator('html[data-candor-consent="pending"]').waitFor();

      expect(await slotWatch(page)).toEqual({ first: 'Spring sale: 20% off', changes: 0, hidden: false, same: true });
      // The A/B slot before a choice: the default, on the server and in the browser alike (no swap).
      expect(await slotWatch(page, 'banner')).toEqual({
        first: 'Welcome to the shop',
        changes: 0,
        hidden: false,
        same: true,
      });
      expect(await hiddenElements(page)).toEqual([]);

      // Before any choice: no cookie, no storage, and only the public snapshot and key were fetched.
      expect(await context.cookies()).toEqual([]);
      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      expect(toCandor.filter((request) => request.method !== 'GET')).toEqual([]);
      expect(toCandor.every((request) => request.path.startsWith(`/v1/sites/${stack.t.siteKey}/`))).toBe(true);

      // "Why?" names the campaign the visitor came from, the true reason for the offer.
      await page.locator('button[data-candor-react-why="offer"]').click();
      const why = page.locator('[role="dialog"].candor-why');
      await why.waitFor();
      expect(await why.textContent()).toContain('campaign');
      await page.keyboard.press('Escape');
      await why.waitFor({ state: 'detached' });

      // The SDK's own prompt records the choice and writes Candor's first-party cookie, with the
      // visitor id once the Candor server has issued it (measurement is now allowed).
      chose = true;
      const exposedBefore = await bannerExposures();
      await prompt.locator('[data-candor-action="accept_all"]').click();
      const cookieValue = async () =>
        (await context.cookies()).find((candidate) => candidate.name === cookieName())?.value;
      await expect
        .poll(
          async () => {
            const read = decodeVisitorCookie(await cookieValue(), { purposes, fields: [] });
            return read.choiceMade ? read.state.profile.visitorId !== undefined : false;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      const cookieHeader = `${cookieName()}=${(await cookieValue()) ?? ''}`;
      const state = decodeVisitorCookie(await cookieValue(), { purposes, fields: [] });
      expect(state.choiceMade).toBe(true);
      const granted = state.choiceMade
        ? Object.entries(state.state.consent.purposes)
            .filter(([, choice]) => choice.status === 'granted')
            .map(([id]) => id)
            .sort()
        : [];
      expect(granted).toEqual(
        purposes
          .filter((p) => p.class !== 'essential' && p.class !== 'contextual')
          .map((p) => p.id)
          .sort(),
      );

      // The preference center opens from the page's own button.
      await page.locator('main button[data-candor-preferences]').click();
      const preferences = page.locator('[role="dialog"].candor-preferences');
      await preferences.waitFor();

      // What @candor/node decides for this visitor id: the arm the server must render.
      const node = createCandorClient({
        serverUrl: stack.api,
        siteKey: stack.t.siteKey,
        publicKey: JSON.parse(Buffer.from(stack.publicKeyAttr, 'base64url').toString('utf8')) as JsonWebKey,
        liveUpdates: false,
      });
      const decided = await node.decide(
        { headers: { cookie: cookieHeader } },
        { slots: ['banner'], attributes: { path: '/', utmCampaign: 'spring-sale' } },
      );
      await node.close();
      const arm = decided.decisions.find((decision) => decision.slot === 'banner')?.variant?.id;
      expect(['a', 'b']).toContain(arm);
      const armText = BANNERS[arm as keyof typeof BANNERS];

      // Repeat visit: the server reads the cookie, and the first HTML is decided again, the arm included.
      const repeat = await (await context.request.get(`${appUrl}/${CAMPAIGN}`)).text();
      expect(repeat).toContain('<main data-candor-choice="made">');
      expect(repeat).toContain(`${OFFER_HTML}Spring sale: 20% off</h2>`);
      expect(repeat).toContain(`<p data-candor-react-slot="banner" data-candor-variant="${arm}">${armText}</p>`);
      const again = await context.newPage();
      await again.addInitScript(WATCH_SLOT);
      again.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
      });
      await again.goto(`${appUrl}/${CAMPAIGN}`);
      await again.locator('html[data-hydrated="true"]').waitFor();
      await again.locator('html[data-candor-consent="decided"]').waitFor();
      expect(await slotWatch(again)).toEqual({ first: 'Spring sale: 20% off', changes: 0, hidden: false, same: true });
      // The browser SDK, started and decided, chose the server's arm: the node was never touched.
      expect(await slotWatch(again, 'banner')).toEqual({ first: armText, changes: 0, hidden: false, same: true });
      expect(await again.locator('[data-candor-react-slot="banner"]').getAttribute('data-candor-variant')).toBe(arm);
      // The choice is remembered: the prompt does not come back.
      expect(await again.locator('.candor-prompt').count()).toBe(0);
      // The A/B test is measured: the server counted this visitor's exposure to the arm shown, once
      // across both page views (the device remembers what it reported).
      const other = arm === 'a' ? 'b' : 'a';
      await expect
        .poll(async () => (await bannerExposures())[arm as keyof typeof BANNERS] - exposedBefore[arm as 'a' | 'b'], {
          timeout: 30_000,
        })
        .toBe(1);
      expect((await bannerExposures())[other] - exposedBefore[other]).toBe(0);

      // Withdrawing in the preference center reaches the cookie too: the server sees no grant any more.
      await preferences.locator('[data-candor-action="withdraw"]').click();
      const grantedInCookie = async () => {
        const value = (await context.cookies()).find((candidate) => candidate.name === cookieName())?.value;
        const read = decodeVisitorCookie(value, { purposes, fields: [] });
        return read.choiceMade
          ? Object.values(read.state.consent.purposes).filter((choice) => choice.status === 'granted').length
          : -1;
      };
      await expect.poll(grantedInCookie, { timeout: 30_000 }).toBe(0);
      // Without measurement the visitor is no longer enrolled: the server is back to the default.
      expect(await (await context.request.get(`${appUrl}/${CAMPAIGN}`)).text()).toContain(BANNER_DEFAULT);
      expect(appCookies).toEqual([]);

      expect(complaints).toEqual([]);
      await context.close();
    });

    it('the first HTML holds the arm @candor/node decides for any cookie, forged or not, and never fails', async () => {
      const node = createCandorClient({
        serverUrl: stack.api,
        siteKey: stack.t.siteKey,
        publicKey: JSON.parse(Buffer.from(stack.publicKeyAttr, 'base64url').toString('utf8')) as JsonWebKey,
        liveUpdates: false,
      });
      const grantAll = (at: number) =>
        Object.fromEntries(
          purposes.filter((p) => p.class !== 'essential').map((p) => [p.id, { status: 'granted' as const, at }]),
        );
      // A cookie as the browser SDK writes it for a visitor who accepted, with any visitor id; or junk.
      const cookieValues = fc.oneof(
        fc.string({ minLength: 1, maxLength: 64 }).map((visitorId) => {
          const written = encodeVisitorCookie(
            {
              consent: { purposes: grantAll(Date.now()), signals: {} },
              profile: { version: 1, values: {}, visitorId },
              snapshotVersion: null,
            },
            { purposes, fields: [] },
          );
          return written.ok ? written.value : '';
        }),
        fc.stringMatching(/^[A-Za-z0-9._-]{0,200}$/),
      );
      const arms = new Set<string>();
      const bannerOf = (html: string) => /<p data-candor-react-slot="banner"[^>]*>[^<]*<\/p>/.exec(html)?.[0];
      await fc.assert(
        fc.asyncProperty(cookieValues, async (value) => {
          const cookie = `${cookieName()}=${value}`;
          const response = await fetch(`${appUrl.replace('localhost', '127.0.0.1')}/`, { headers: { cookie } });
          expect(response.status).toBe(200);
          const { decisions } = await node.decide(
            { headers: { cookie } },
            { slots: ['banner'], attributes: { path: '/' } },
          );
          const arm = decisions.find((decision) => decision.slot === 'banner')?.variant?.id;
          if (arm !== undefined) arms.add(arm);
          const expected =
            arm === undefined
              ? BANNER_DEFAULT
              : `<p data-candor-react-slot="banner" data-candor-variant="${arm}">${BANNERS[arm as keyof typeof BANNERS]}</p>`;
          expect(bannerOf(await response.text())).toBe(expected);
        }),
        { numRuns: 40 },
      );
      await node.close();
      // Not vacuous: the generated ids enrolled visitors in both arms.
      expect([...arms].sort()).toEqual(['a', 'b']);
    });

    it('renders and explains in Traditional Chinese for a zh-TW browser', async () => {
      const context = await newContext(browser, { locale: 'zh-TW' });
      // The API request context sends no locale of its own: say what the browser will say.
      const raw = await context.request.get(`${appUrl}/${CAMPAIGN}`, { headers: { 'accept-language': 'zh-TW' } });
      const html = await raw.text();
      expect(html).toContain('<html lang="zh-Hant"');
      expect(html).toContain(`${OFFER_HTML}春季特賣：八折</h2>`);
      expect(html).toContain('為什麼？');
      expect(html).toContain('<p data-candor-react-slot="banner">歡迎光臨本店</p>');
      const { page, complaints } = await watchedPage(context);
      await page.goto(`${appUrl}/${CAMPAIGN}`);
      await page.locator('html[data-hydrated="true"]').waitFor();
      expect(await slotWatch(page)).toEqual({ first: '春季特賣：八折', changes: 0, hidden: false, same: true });
      await page.locator('button[data-candor-react-why="offer"]').click();
      const why = page.locator('[role="dialog"].candor-why');
      await why.waitFor();
      // The SDK's zh-Hant text with the campaign field's zh-Hant label from the snapshot.
      expect(await why.textContent()).toContain('活動來源');
      expect(complaints).toEqual([]);
      await context.close();
    });

    it('honours Global Privacy Control: the notice, no profiling or sharing from "accept", the cookie records the signal', async () => {
      const context = await newContext(browser, { extraHTTPHeaders: { 'Sec-GPC': '1' } });
      await context.addInitScript(() =>
        Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
      );
      const raw = await context.request.get(`${appUrl}/${CAMPAIGN}`);
      // The campaign offer is contextual: GPC does not take it away.
      expect(await raw.text()).toContain(`${OFFER_HTML}Spring sale: 20% off</h2>`);
      const { page, complaints } = await watchedPage(context);
      await page.goto(`${appUrl}/${CAMPAIGN}`);
      await page.locator('html[data-hydrated="true"]').waitFor();
      const prompt = page.locator('.candor-prompt');
      await prompt.locator('[data-candor-signal="gpc"]').waitFor();
      expect(await context.cookies()).toEqual([]);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);

      await prompt.locator('[data-candor-action="accept_all"]').click();
      await expect
        .poll(async () => (await context.cookies()).map((cookie) => cookie.name), { timeout: 30_000 })
        .toContain(cookieName());
      const cookie = (await context.cookies()).find((candidate) => candidate.name === cookieName());
      const state = decodeVisitorCookie(cookie?.value ?? '', { purposes, fields: [] });
      expect(state.choiceMade && state.state.consent.signals.gpc !== undefined).toBe(true);
      const signalled = purposes.filter((p) => p.class === 'behavioural' || p.class === 'cross_site').map((p) => p.id);
      const granted = state.choiceMade ? state.state.consent.purposes : {};
      for (const id of signalled) expect(granted[id]?.status).not.toBe('granted');
      expect(complaints).toEqual([]);
      await context.close();
    });
  },
);
