// Issue 14: the browser SDK and @candor/node share one first-party cookie, `candor_<siteKey>`
// (docs/visitor-cookie.md). Debian's Chromium against the real server: what the browser writes is
// what @candor/node reads (same decisions, same explanation), and what @candor/node writes is what
// the browser starts from on the next page view.
import { createCandorClient, type CandorClient } from '@candor/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

const available = browserAvailable();
const PATIENT = 'data-timeout="15000"';
const COOKIE = 'candor_shop';
let stack: Stack;
let browser: Browser;
let node: CandorClient;

beforeAll(async () => {
  if (!available) return;
  stack = await startStack();
  // A busy machine must not turn these into late-snapshot tests (default content after 800 ms).
  stack.setPage('index', { attributes: PATIENT });
  browser = await launch();
  node = createCandorClient({
    serverUrl: stack.api,
    siteKey: stack.t.siteKey,
    liveUpdates: false,
    // The page is served over plain HTTP: a Secure cookie would never reach it.
    cookie: { secure: false },
  });
  await node.ready();
}, 120_000);

afterAll(async () => {
  await node?.close();
  await browser?.close();
  await stack?.close();
});

type CandorWindow = {
  candor: {
    ready: Promise<void>;
    ask(field: string): Promise<unknown>;
    decide(slot: string): unknown;
    explain(slot: string): Promise<unknown>;
    consent: { get(): { phase: string; granted: Record<string, boolean>; state: { purposes: object } } };
  };
};

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() =>
    document.querySelector('[data-candor-slot="hero"]')?.hasAttribute('data-candor-state'),
  );
  await page.evaluate(() => (window as never as CandorWindow).candor.ready);
  return page;
}

const prompt = (page: Page) => page.locator('.candor-prompt');
const heroText = (page: Page) => page.locator('[data-candor-slot="hero"]').textContent();
const consentView = (page: Page) => page.evaluate(() => (window as never as CandorWindow).candor.consent.get());

/** Candor's cookie as the page sees it (`document.cookie`), or undefined. */
async function pageCookie(page: Page): Promise<string | undefined> {
  const all = await page.evaluate(() => document.cookie);
  return all
    .split('; ')
    .find((part) => part.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
}

/** A request from this visitor to the site's own server: it carries the browser's cookies. */
async function requestFrom(context: BrowserContext): Promise<Request> {
  const cookies = await context.cookies(stack.pages);
  return new Request(`${stack.pages}/index.html`, {
    headers: { cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') },
  });
}

async function becomeDeveloper(page: Page): Promise<void> {
  await prompt(page).locator('[data-candor-action="accept_all"]').click();
  const answered = page.evaluate(() => (window as never as CandorWindow).candor.ask('role'));
  await page.locator('[data-candor-question="role"] input[value="developer"]').check();
  await page.locator('[data-candor-question="role"] [data-candor-action="answer"]').click();
  expect(await answered).toEqual({ status: 'answered', value: 'developer' });
  // The ledger's record id and the visitor id arrive after the click; the cookie follows them.
  await page.waitForFunction(
    () => JSON.parse(localStorage.getItem('candor.shop.consent') ?? '{}').recordId !== undefined,
  );
}

describe.skipIf(!available)(`browser + @candor/node, one cookie: ${available ? 'Chromium' : SKIP_REASON}`, () => {
  it('writes nothing before a choice: no cookie, no localStorage entry', { timeout: 120_000 }, async () => {
    const context = await newContext(browser);
    const page = await open(context, stack.url('index'));
    await prompt(page).waitFor();
    expect(await pageCookie(page)).toBeUndefined();
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    await context.close();
  });

  it(
    'accept: the cookie holds the choice, and @candor/node decides and explains as the browser did',
    { timeout: 120_000 },
    async () => {
      const context = await newContext(browser);
      const page = await open(context, stack.url('index'));
      await becomeDeveloper(page);
      expect(await heroText(page)).toBe('Build faster');
      await page.waitForFunction(() => document.cookie.includes('candor_shop=1.'));
      const [cookie] = (await context.cookies()).filter((c) => c.name === COOKIE);
      expect(cookie).toMatchObject({ path: '/', sameSite: 'Lax', httpOnly: false, secure: false });
      // 395 days, the SDK's and @candor/node's lifetime for a choice.
      expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(394 * 86_400_000);

      const view = await consentView(page);
      const visitor = await node.visitor(await requestFrom(context));
      expect(visitor.choiceMade).toBe(true);
      // The cookie carries each answer's status and time, not the text version the device keeps
      // for re-consent (docs/visitor-cookie.md), so compare those two.
      const statusAndTime = (purposes: object) =>
        Object.fromEntries(
          Object.entries(purposes as Record<string, { status: string; at: number }>).map(([id, { status, at }]) => [
            id,
            { status, at },
          ]),
        );
      expect(statusAndTime(visitor.consent.purposes)).toEqual(statusAndTime(view.state.purposes));
      expect(visitor.profile?.values['role']?.value).toBe('developer');
      expect(visitor.profile?.visitorId).toEqual(
        await page.evaluate(() => JSON.parse(localStorage.getItem('candor.shop.visitor') ?? '{}').visitorId),
      );

      const inBrowser = await page.evaluate(async () => {
        const candor = (window as never as CandorWindow).candor;
        return { decision: candor.decide('hero'), explanation: await candor.explain('hero') };
      });
      const request = await requestFrom(context);
      const onServer = (await node.decide(request, { slots: ['hero'] })).decisions.find((d) => d.slot === 'hero');
      // Everything but the decision's own id, time and step trace (the browser also reads page context).
      const { id: _id, at: _at, trace: _trace, ...serverDecision } = onServer!;
      expect(inBrowser.decision).toMatchObject(serverDecision);
      expect(serverDecision).toMatchObject({ reason: 'TARGETING_MATCH', experienceId: 'hero-dev' });
      const explanation = await node.explain(request, 'hero', { language: 'en' });
      const { decisionId: _decisionId, at: _explainedAt, ...serverExplanation } = explanation!;
      expect(inBrowser.explanation).toMatchObject(serverExplanation);
      await context.close();
    },
  );

  it('reject all: the cookie records the refusals and carries no visitor id', { timeout: 120_000 }, async () => {
    const context = await newContext(browser);
    const page = await open(context, stack.url('index'));
    await prompt(page).locator('[data-candor-action="reject_all"]').click();
    await page.waitForFunction(() => document.cookie.includes('candor_shop=1.'));
    const visitor = await node.visitor(await requestFrom(context));
    expect(visitor.choiceMade).toBe(true);
    for (const purpose of ['personalization', 'measurement', 'sync'])
      expect(visitor.consent.purposes[purpose]?.status, purpose).toBe('denied');
    expect(visitor.profile?.visitorId).toBeUndefined();
    expect(visitor.profile?.values).toEqual({});
    await context.close();
  });

  it('delete everything: the cookie is gone', { timeout: 120_000 }, async () => {
    const context = await newContext(browser);
    const page = await open(context, stack.url('index'));
    await becomeDeveloper(page);
    await page.waitForFunction(() => document.cookie.includes('candor_shop=1.'));
    await page.locator('button.candor-choices').click();
    const prefs = page.locator('[role="dialog"].candor-preferences');
    await prefs.waitFor();
    await prefs.locator('[data-candor-action="delete-all"]').click();
    await prefs.locator('.candor-status', { hasText: 'Everything was deleted' }).waitFor();
    expect(await pageCookie(page)).toBeUndefined();
    expect(await context.cookies()).toEqual([]);
    expect((await node.visitor(await requestFrom(context))).choiceMade).toBe(false);
    await context.close();
  });

  it(
    'a choice @candor/node wrote is where the browser starts on the next page view',
    { timeout: 120_000 },
    async () => {
      const context = await newContext(browser);
      // The visitor chose on a server-rendered page (another subdomain, say): only the cookie knows.
      const at = Date.now();
      const written = node.setCookie({
        consent: {
          purposes: {
            contextual: { status: 'granted', at },
            personalization: { status: 'granted', at },
            measurement: { status: 'denied', at },
            sync: { status: 'denied', at },
          },
          signals: {},
        },
        profile: {
          version: 1,
          values: { role: { value: 'developer', source: 'declared', collectedAt: at, expiresAt: at + 86_400_000 } },
        },
      });
      if (!written.ok) throw new Error(written.message);
      const value = written.header.slice(`${COOKIE}=`.length, written.header.indexOf(';'));
      // The attributes the browser wrote in the test above (Path, SameSite, 395 days; no Secure on http).
      expect(written.header.split('; ').slice(1)).toEqual(['Path=/', 'Max-Age=34128000', 'SameSite=Lax']);
      await context.addCookies([{ name: COOKIE, value, url: stack.pages, sameSite: 'Lax' }]);
      const page = await open(context, stack.url('index'));
      const view = await consentView(page);
      expect(view.phase).toBe('decided');
      expect(view.granted).toMatchObject({ personalization: true, measurement: false, sync: false });
      expect(await prompt(page).count()).toBe(0);
      expect(await heroText(page)).toBe('Build faster');
      await context.close();
    },
  );

  it(
    'a forged or malformed cookie reads as no choice and never lets an ungranted value decide',
    { timeout: 120_000 },
    async () => {
      const at = Date.now();
      // Well-formed, but personalization is refused: the role value must be dropped on reading.
      const forged = {
        s: null,
        c: { personalization: ['d', at], measurement: ['d', at], sync: ['d', at] },
        p: { role: ['developer', 'declared', at, at + 86_400_000] },
      };
      const wellFormed = `1.${Buffer.from(JSON.stringify(forged)).toString('base64url')}`;
      for (const [value, decided] of [
        ['1.!!not-base64', false],
        ['2.e30', false],
        [`1.${Buffer.from('{"c":{"personalization":["g","yesterday"]}}').toString('base64url')}`, false],
        [wellFormed, true],
      ] as const) {
        const context = await newContext(browser);
        await context.addCookies([{ name: COOKIE, value, url: stack.pages, sameSite: 'Lax' }]);
        const page = await open(context, stack.url('index'));
        const view = await consentView(page);
        expect(view.phase, value).toBe(decided ? 'decided' : 'pending');
        expect(view.granted['personalization'], value).toBe(false);
        expect(await heroText(page), value).toBe('Default hero');
        expect(await page.evaluate(() => localStorage.getItem('candor.shop.profile') ?? ''), value).not.toContain(
          'developer',
        );
        await context.close();
      }
    },
  );

  it('when the device and the cookie both hold a choice, the newer one wins', { timeout: 120_000 }, async () => {
    const context = await newContext(browser);
    const page = await open(context, stack.url('index'));
    await becomeDeveloper(page);
    const chosenAt = (await consentView(page)).state.purposes as Record<string, { at: number }>;
    const deviceAt = chosenAt['personalization']!.at;
    const refusal = (at: number) => {
      const written = node.setCookie({
        consent: {
          purposes: Object.fromEntries(
            ['personalization', 'measurement', 'sync'].map((id) => [id, { status: 'denied' as const, at }]),
          ),
          signals: {},
        },
        profile: { version: 1, values: {} },
      });
      if (!written.ok) throw new Error(written.message);
      return written.header.slice(`${COOKIE}=`.length, written.header.indexOf(';'));
    };
    // An older refusal (written before the device's grant) changes nothing, and is replaced.
    await context.addCookies([{ name: COOKIE, value: refusal(deviceAt - 60_000), url: stack.pages, sameSite: 'Lax' }]);
    await page.reload();
    await page.evaluate(() => (window as never as CandorWindow).candor.ready);
    expect((await consentView(page)).granted['personalization']).toBe(true);
    expect(await heroText(page)).toBe('Build faster');
    expect((await node.visitor(await requestFrom(context))).consent.purposes['personalization']?.status).toBe(
      'granted',
    );
    // A newer refusal (made on a server-rendered page) wins: the role value goes with its grant.
    await context.addCookies([{ name: COOKIE, value: refusal(Date.now()), url: stack.pages, sameSite: 'Lax' }]);
    await page.reload();
    await page.evaluate(() => (window as never as CandorWindow).candor.ready);
    expect((await consentView(page)).granted['personalization']).toBe(false);
    expect(await heroText(page)).toBe('Default hero');
    expect(await page.evaluate(() => localStorage.getItem('candor.shop.profile') ?? '')).not.toContain('developer');
    await context.close();
  });

  it('a cookie whose choice has expired is removed, and the visitor is asked again', { timeout: 120_000 }, async () => {
    const context = await newContext(browser);
    // A refusal is kept 6 months: this one is 200 days old.
    const at = Date.now() - 200 * 86_400_000;
    const written = node.setCookie({
      consent: {
        purposes: Object.fromEntries(
          ['personalization', 'measurement', 'sync'].map((id) => [id, { status: 'denied' as const, at }]),
        ),
        signals: {},
      },
      profile: { version: 1, values: {} },
    });
    if (!written.ok) throw new Error(written.message);
    const value = written.header.slice(`${COOKIE}=`.length, written.header.indexOf(';'));
    await context.addCookies([{ name: COOKIE, value, url: stack.pages, sameSite: 'Lax' }]);
    const page = await open(context, stack.url('index'));
    expect((await consentView(page)).phase).toBe('pending');
    await prompt(page).waitFor();
    expect(await pageCookie(page)).toBeUndefined();
    await context.close();
  });
});
