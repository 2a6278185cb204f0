// Issue 4, "Bad input": a tampered or foreign snapshot, a dead server, corrupt storage, a strict CSP
// and a visitor's own HTML — the page never breaks, shows default content, and errors reach onError.
import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, browserAvailable, launch, newContext, SKIP_REASON } from './support/browser.js';
import { openProbed, paintedTexts, PROBE, type ProbeRecord } from './support/probe.js';
import { startStack, type Stack } from './support/stack.js';

const available = browserAvailable();
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  stack = await startStack();
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const open = (context: BrowserContext, url: string): Promise<Page> => openProbed(context, url, { timeout: 5000 });

const probe = (page: Page): Promise<ProbeRecord> =>
  page.evaluate(() => (window as never as { __probe: ProbeRecord }).__probe);

/** A port nothing listens on: a dead Candor server. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe.skipIf(!available)(`browser, bad input: ${available ? 'Chromium' : SKIP_REASON}`, { timeout: 20_000 }, () => {
  it('refuses a tampered snapshot: default content, onError, no broken page', async () => {
    const context = await newContext(browser);
    await context.route('**/v1/sites/shop/snapshot', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('</strong> sale', '</strong> deal');
      await route.fulfill({ response, body });
    });
    const page = await open(context, stack.url('index', '?utm_campaign=spring-sale'));
    // On a busy machine the 800 ms timeout may reveal the default before the refusal arrives.
    await expect.poll(async () => (await probe(page)).candorErrors).toContain('SNAPSHOT_SIGNATURE_INVALID');
    const record = await probe(page);
    expect(await page.locator('[data-candor-slot="promo"]').textContent()).toBe('Default promo');
    expect(record.errors).toEqual([]);
    expect(paintedTexts(record, 'promo').every((text) => text === 'Default promo')).toBe(true);
    await page.screenshot({ path: artifact('tampered-snapshot.png') });
    await context.close();
  });

  it("refuses another site's validly signed snapshot", async () => {
    const other = await stack.otherSite();
    // The page trusts the other site's key, and receives that site's genuine, validly signed bytes:
    // only the siteKey check stands between them and the page.
    stack.setPage('foreign', { publicKey: other.publicKeyAttr });
    const context = await newContext(browser);
    await context.route('**/v1/sites/shop/snapshot', (route) =>
      route.fulfill({
        status: 200,
        body: other.body,
        headers: {
          'content-type': 'application/json',
          'candor-signature': other.signature,
          'access-control-allow-origin': stack.pages,
          'access-control-expose-headers': 'Candor-Signature',
        },
      }),
    );
    const page = await open(context, stack.url('foreign', '?utm_campaign=spring-sale'));
    const record = await probe(page);
    expect(record.candorErrors).toContain('SNAPSHOT_FOREIGN_SITE');
    expect(await page.locator('[data-candor-slot="promo"]').textContent()).toBe('Default promo');
    expect(record.errors).toEqual([]);
    await context.close();
  });

  it('shows default content within the timeout when the server is down', async () => {
    stack.setPage('dead', { api: `http://127.0.0.1:${await deadPort()}` });
    const context = await newContext(browser);
    const started = Date.now();
    const page = await open(context, stack.url('dead', '?utm_campaign=spring-sale'));
    expect(Date.now() - started).toBeLessThan(3000);
    // Only the slots were hidden, and only until the 800 ms timeout; then default content shows.
    expect((await probe(page)).candorErrors).toEqual(expect.arrayContaining(['SNAPSHOT_FETCH_FAILED']));
    expect(await page.locator('[data-candor-slot="hero"]').textContent()).toBe('Default hero');
    expect(await page.locator('[data-candor-slot="promo"]').isVisible()).toBe(true);
    const record = await probe(page);
    expect(record.errors).toEqual([]);
    await page.screenshot({ path: artifact('server-down.png') });
    await context.close();
  });

  it('shows default content when even the SDK script cannot load', async () => {
    const context = await newContext(browser);
    await context.route('**/sdk/candor.js', (route) => route.abort('connectionrefused'));
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    await page.goto(stack.url('index'));
    expect(await page.locator('[data-candor-slot="hero"]').isVisible()).toBe(true);
    expect(await page.locator('[data-candor-slot="hero"]').textContent()).toBe('Default hero');
    await context.close();
  });

  it('survives corrupted localStorage and reports it', async () => {
    const context = await newContext(browser);
    await context.addInitScript(() => {
      localStorage.setItem('candor.shop.consent', '{"version":1,"purposes":');
      localStorage.setItem('candor.shop.profile', '"not a profile"');
      localStorage.setItem('candor.shop.snapshot', '{"body":"{}","signature":"x"}');
    });
    const page = await open(context, stack.url('index'));
    const record = await probe(page);
    expect(record.errors).toEqual([]);
    expect(record.candorErrors).toContain('STORAGE_CORRUPT');
    expect(await page.locator('[data-candor-slot="hero"]').textContent()).toBe('Default hero');
    // Corrupt consent counts as no choice: the prompt asks again.
    await page.locator('.candor-prompt').waitFor();
    await context.close();
  });

  it('works under a strict nonce CSP without a single violation', async () => {
    stack.setPage('strict', { lang: 'zh-Hant' });
    const context = await newContext(browser);
    const page = await open(context, stack.url('strict', '?utm_campaign=spring-sale'));
    await page.locator('.candor-prompt').waitFor();
    await page.locator('button.candor-choices').click();
    await page.locator('.candor-preferences').waitFor();
    const record = await probe(page);
    expect(record.violations).toEqual([]);
    // The slot holds the sanitised variant, then its "Why?" chip (which sits inside its slot).
    const promo = await page.locator('[data-candor-slot="promo"]').evaluate((slot) => {
      const copy = slot.cloneNode(true) as Element;
      copy.querySelector('.candor-why')?.remove();
      return copy.innerHTML;
    });
    expect(promo).toBe('<strong>春季</strong>優惠');
    await context.close();
  });

  it("shows a visitor's own HTML answer as text, in the preference center", async () => {
    const context = await newContext(browser);
    const page = await open(context, stack.url('index'));
    await page.locator('.candor-prompt [data-candor-action="accept_all"]').click();
    const hostile = '<img src=x onerror="window.__xss=5"><b>Acme</b>';
    const asked = page.evaluate(() =>
      (window as never as { candor: { ask(f: string): Promise<unknown> } }).candor.ask('company'),
    );
    await page.locator('[data-candor-question="company"] input').fill(hostile);
    await page.locator('[data-candor-question="company"] [data-candor-action="answer"]').click();
    expect(await asked).toEqual({ status: 'answered', value: hostile });
    await page.locator('button.candor-choices').click();
    const cell = page.locator('.candor-preferences [data-candor-value="company"] td').nth(1);
    expect(await cell.textContent()).toBe(hostile);
    expect(await cell.locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as never as { __xss?: number }).__xss)).toBeUndefined();
    await context.close();
  });

  it('skips a question as easily as answering it, and respects the cooling-off', async () => {
    const context = await newContext(browser);
    const page = await open(context, stack.url('index'));
    await page.locator('.candor-prompt [data-candor-action="accept_all"]').click();
    const ask = () =>
      page.evaluate(() => (window as never as { candor: { ask(f: string): Promise<unknown> } }).candor.ask('role'));
    const first = ask();
    const skip = page.locator('[data-candor-question="role"] [data-candor-action="skip"]');
    const answer = page.locator('[data-candor-question="role"] [data-candor-action="answer"]');
    expect(await skip.evaluate((el) => el.className)).toBe(await answer.evaluate((el) => el.className));
    await skip.click();
    expect(await first).toEqual({ status: 'skipped' });
    await page.reload();
    await page.waitForFunction(() =>
      document.querySelector('[data-candor-slot="hero"]')?.hasAttribute('data-candor-state'),
    );
    expect(await ask()).toEqual({ status: 'cooling_off' });
    await context.close();
  });
});
