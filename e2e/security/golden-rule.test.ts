// Issue 7, "Privacy guarantees, verified": the golden rule end to end. With a purpose denied, no
// request the SDK makes carries a field of that purpose, and afterwards no server row holds one.
// Every request of the browser context is recorded (URL and body), across a session that answers
// questions, converts and browses to other pages.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

const SECRET_COMPANY = 'Acme-Golden-Rule-Co';
type CandorWindow = {
  candor: {
    ask(field: string): Promise<{ status: string }>;
    track(metric: string): void;
    consent: { set(choices: Record<string, boolean>): Promise<void> };
  };
};

const available = browserAvailable();

describe.skipIf(!available)(`golden rule in Chromium: ${available ? 'SDK' : SKIP_REASON}`, { timeout: 40_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    stack.setPage('two-questions', { attributes: 'data-max-questions="2"' });
    stack.setPage('other', {});
    browser = await launch();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const record = (context: BrowserContext): Request[] => {
    const requests: Request[] = [];
    context.on('request', (request) => requests.push(request));
    return requests;
  };
  const wire = (requests: readonly Request[]): string =>
    requests.map((request) => `${request.method()} ${request.url()}\n${request.postData() ?? ''}`).join('\n');
  const settled = (page: Page) =>
    page.waitForFunction(() => document.querySelector('[data-candor-slot="hero"]')?.hasAttribute('data-candor-state'));
  const visitorIdOf = async (page: Page): Promise<string> => {
    const token = await page.evaluate(
      () => JSON.parse(localStorage.getItem('candor.shop.visitor') ?? '{}').token as string | undefined,
    );
    return token === undefined ? '' : token.slice(0, token.lastIndexOf('.'));
  };

  it('personalization granted, sync denied: answers stay on the device, on the wire and in the database', async () => {
    const context = await newContext(browser);
    context.setDefaultTimeout(10_000);
    const requests = record(context);
    const page = await context.newPage();
    await page.goto(stack.url('two-questions', '?utm_campaign=spring-sale'));
    await settled(page);
    await page.evaluate(() =>
      (window as never as CandorWindow).candor.consent.set({
        contextual: true,
        personalization: true,
        measurement: true,
        sync: false,
      }),
    );
    const role = page.evaluate(() => (window as never as CandorWindow).candor.ask('role'));
    await page.locator('[data-candor-question="role"] input[value="developer"]').check();
    await page.locator('[data-candor-question="role"] [data-candor-action="answer"]').click();
    expect(await role).toMatchObject({ status: 'answered' });
    const company = page.evaluate(() => (window as never as CandorWindow).candor.ask('company'));
    await page.locator('[data-candor-question="company"] input[type="text"]').fill(SECRET_COMPANY);
    await page.locator('[data-candor-question="company"] [data-candor-action="answer"]').click();
    expect(await company).toMatchObject({ status: 'answered' });
    // Personalization works on the device: the developer hero shows.
    await page.waitForFunction(
      () => document.querySelector('[data-candor-slot="hero"]')?.textContent === 'Build faster',
    );
    const report = page.waitForRequest((request) => request.url().endsWith('/v1/sites/shop/reports'));
    await page.evaluate(() => (window as never as CandorWindow).candor.track('signup'));
    await report;
    // Browse: another page and back, each deciding from the on-device profile.
    await page.goto(stack.url('other'));
    await settled(page);
    await page.goto(stack.url('index'));
    await settled(page);
    expect(await page.locator('[data-candor-slot="hero"]').textContent()).toBe('Build faster');
    const visitorId = await visitorIdOf(page);
    expect(visitorId).not.toBe('');
    await context.close();

    // Measurement was granted: reports went out, and they carry only aggregate cells.
    expect(requests.some((request) => request.url().endsWith('/reports'))).toBe(true);
    const sent = wire(requests);
    expect(sent).not.toMatch(/developer/i);
    expect(sent).not.toContain(SECRET_COMPANY);
    expect(sent).not.toMatch(/"(role|company)"/);
    expect(requests.filter((request) => request.url().includes('/v1/visitor/data'))).toEqual([]);

    expect(await stack.t.rawQuery(`SELECT * FROM visitor_values WHERE visitor_id = '${visitorId}'`)).toEqual([]);
    const tables = (await stack.t.rawQuery(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )) as { name: string }[];
    for (const { name } of tables) {
      const rows = JSON.stringify(await stack.t.rawQuery(`SELECT * FROM "${name}"`));
      expect(rows, name).not.toContain(SECRET_COMPANY);
    }
  });

  it('only measurement granted: no personalization field is asked, sent or stored', async () => {
    const context = await newContext(browser);
    context.setDefaultTimeout(10_000);
    const requests = record(context);
    const page = await context.newPage();
    await page.goto(stack.url('two-questions'));
    await settled(page);
    await page.evaluate(() =>
      (window as never as CandorWindow).candor.consent.set({
        contextual: false,
        personalization: false,
        measurement: true,
        sync: false,
      }),
    );
    expect(await page.evaluate(() => (window as never as CandorWindow).candor.ask('role'))).toEqual({
      status: 'not_allowed',
    });
    // No experience was shown (both need a denied purpose), so a conversion has no cell to count.
    await page.evaluate(() => (window as never as CandorWindow).candor.track('signup'));
    await page.goto(stack.url('other'));
    await settled(page);
    const stored = await page.evaluate(() => localStorage.getItem('candor.shop.profile') ?? '');
    const visitorId = await visitorIdOf(page);
    await context.close();

    expect(stored).not.toMatch(/"role"|"company"/);
    const sent = wire(requests);
    expect(sent).not.toMatch(/"(role|company)"/);
    expect(sent).not.toMatch(/developer|marketer/i);
    expect(await stack.t.rawQuery(`SELECT * FROM visitor_values WHERE visitor_id = '${visitorId}'`)).toEqual([]);
  });
});
