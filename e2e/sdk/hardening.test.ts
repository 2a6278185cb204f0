// Issue 11 items 6, 13 and 14 and issue 10's installation defects, in Debian Chromium against the
// real server: a forged cached snapshot is never trusted, variant HTML cannot clobber the SDK, a
// refused origin and a missing public key say what to fix, the UI chunk works under Trusted Types,
// and `data-candor-ask` asks a field where the page puts it.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { AUDIENCES, EXPERIENCES } from '../support/fixtures.js';
import { openProbed, paintedTexts, PROBE, type ProbeRecord } from '../support/probe.js';
import { NONCE, startStack, type Stack } from '../support/stack.js';

const available = browserAvailable();
const PATIENT = 'data-timeout="15000"';
let stack: Stack;
let browser: Browser;

/** Variant HTML that tries to shadow what the SDK (and the page) read from window and document. */
const CLOBBER_HTML =
  '<a id="__candorUi" name="candor" href="#">Deal</a> <img name="candorConfig" id="candor" alt="x" src="/x.png">' +
  '<form name="candor"><input name="ui"></form><span id="trustedTypes">today</span>';

const CLOBBER_AUDIENCE = { id: 'clobber', name: 'Clobber campaign', condition: { utmCampaign: 'clobber' } };
const CLOBBER_EXPERIENCE = {
  id: 'promo-clobber',
  name: 'Clobbering promo',
  kind: 'personalization',
  audiences: ['clobber'],
  variants: [
    {
      id: 'clobber',
      name: 'Clobber',
      content: { promo: { type: 'html', html: { en: CLOBBER_HTML, 'zh-Hant': CLOBBER_HTML } } },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'promo-clobber',
  goals: ['signup'],
};

beforeAll(async () => {
  if (!available) return;
  stack = await startStack({
    audiences: [...AUDIENCES, CLOBBER_AUDIENCE],
    experiences: [...EXPERIENCES, CLOBBER_EXPERIENCE],
  });
  // A busy machine must not turn these into late-snapshot tests (default content after 800 ms).
  stack.setPage('index', { attributes: PATIENT });
  browser = await launch();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

type CandorWindow = {
  candor: { ready: Promise<void>; ask(field: string, into?: Element | null): Promise<unknown> };
  __probe: ProbeRecord;
};

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await openProbed(context, url);
  await page.evaluate(() => (window as never as CandorWindow).candor.ready);
  return page;
}

const probe = (page: Page): Promise<ProbeRecord> => page.evaluate(() => (window as never as CandorWindow).__probe);
const prompt = (page: Page) => page.locator('.candor-prompt');
const heroText = (page: Page) => page.locator('[data-candor-slot="hero"]').textContent();

async function becomeDeveloper(page: Page): Promise<void> {
  await prompt(page).locator('[data-candor-action="accept_all"]').click();
  const answered = page.evaluate(() => (window as never as CandorWindow).candor.ask('role'));
  await page.locator('[data-candor-question="role"] input[value="developer"]').check();
  await page.locator('[data-candor-question="role"] [data-candor-action="answer"]').click();
  expect(await answered).toEqual({ status: 'answered', value: 'developer' });
}

describe.skipIf(!available)(`browser, hardening: ${available ? 'Chromium' : SKIP_REASON}`, { timeout: 40_000 }, () => {
  it('never trusts a forged cached snapshot: not painted, not revalidated by its ETag, refetched and replaced', async () => {
    const context = await newContext(browser);
    const page = await open(context, stack.url('index'));
    await becomeDeveloper(page);
    expect(await heroText(page)).toBe('Build faster');
    const cached = await page.evaluate(() => localStorage.getItem('candor.shop.snapshot'));
    expect(cached).toContain('Build faster');

    // A genuine copy is verified and refreshed with its ETag.
    // Routing turns Chromium's HTTP cache off, so each header seen here is one the SDK sent.
    await context.route('**/v1/sites/shop/snapshot', (route) => route.continue());
    const snapshotRequests: Request[] = [];
    context.on('request', (request) => {
      if (request.url().endsWith('/v1/sites/shop/snapshot') && request.method() === 'GET')
        snapshotRequests.push(request);
    });
    await page.reload();
    await page.waitForFunction(() => (window as never as CandorWindow).__probe.frames.length > 10);
    await expect.poll(() => snapshotRequests.length).toBe(1);
    expect(await snapshotRequests[0]?.headerValue('if-none-match')).toBeTruthy();
    expect(await heroText(page)).toBe('Build faster');

    // Another script (or an extension) rewrites the cached body; signature and ETag are kept.
    await page.evaluate(() => {
      const key = 'candor.shop.snapshot';
      const entry = JSON.parse(localStorage.getItem(key) ?? '{}') as { body: string };
      entry.body = entry.body.replaceAll('Build faster', 'Pay the attacker');
      localStorage.setItem(key, JSON.stringify(entry));
    });
    snapshotRequests.length = 0;
    await page.reload();
    await page.waitForFunction(() => (window as never as CandorWindow).__probe.frames.length > 20);
    await page.evaluate(() => (window as never as CandorWindow).candor.ready);
    const record = await probe(page);
    expect(paintedTexts(record, 'hero').some((text) => text.includes('attacker'))).toBe(false);
    expect(await heroText(page)).toBe('Build faster');
    expect(record.candorErrors).toContain('SNAPSHOT_SIGNATURE_INVALID');
    // Refetched in full: the forged copy's ETag is never sent, so no 304 can keep it alive.
    expect(snapshotRequests.length).toBeGreaterThan(0);
    for (const request of snapshotRequests) expect(await request.headerValue('if-none-match')).toBeNull();
    const replaced = await page.evaluate(() => localStorage.getItem('candor.shop.snapshot'));
    expect(replaced).toContain('Build faster');
    expect(replaced).not.toContain('attacker');
    await context.close();
  });

  it('variant HTML cannot clobber the SDK: no id/name survives, and the prompt and preference center still work', async () => {
    const context = await newContext(browser);
    const page = await open(context, stack.url('index', '?utm_campaign=clobber'));
    const promo = page.locator('[data-candor-slot="promo"]');
    expect(await promo.textContent()).toContain('Deal');
    expect(await promo.locator('[id], [name], form, input').count()).toBe(0);
    expect(
      await page.evaluate(() => ({
        ui: typeof (window as never as Record<string, unknown>)['__candorUi'],
        formCandor: typeof (document as never as Record<string, unknown>)['candor'],
      })),
    ).toEqual({ ui: 'undefined', formCandor: 'undefined' });
    await prompt(page).waitFor();
    await prompt(page).locator('[data-candor-action="reject_all"]').click();
    await page.locator('button.candor-choices').click();
    await page.locator('[role="dialog"].candor-preferences').waitFor();
    expect((await probe(page)).candorErrors).not.toContain('UI_LOAD_FAILED');
    await context.close();
  });

  it('on an origin the site does not allow, says which origin and where to add it (onError and console)', async () => {
    const context = await newContext(browser);
    const warnings: string[] = [];
    const foreign = stack.url('index').replace('127.0.0.1', 'localhost');
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await context.addInitScript(PROBE);
    await page.goto(foreign);
    await expect.poll(async () => (await probe(page)).candorErrors).toContain('ORIGIN_NOT_ALLOWED');
    const origin = new URL(foreign).origin;
    const warning = warnings.find((text) => text.includes('allowed origins')) ?? '';
    expect(warning).toContain(origin);
    expect(warning).toContain(`${stack.api}/admin/sites/shop/settings`);
    expect((await probe(page)).candorErrors).not.toContain('SNAPSHOT_FETCH_FAILED');
    // Default content, unbroken page.
    expect(await heroText(page)).toBe('Default hero');
    await context.close();
  });

  it('without data-public-key, warns loudly that the signature proves nothing against a man in the middle', async () => {
    stack.setPage('no-key', { publicKey: '', attributes: PATIENT });
    const context = await newContext(browser);
    const warnings: string[] = [];
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(stack.url('no-key'));
    await page.evaluate(() => (window as never as CandorWindow).candor.ready);
    expect((await probe(page)).candorErrors).toContain('KEY_NOT_PINNED');
    expect(warnings.join('\n')).toMatch(/data-public-key.*man in the middle/);
    // With the key (every other page here), no such warning.
    const keyed = await open(context, stack.url('index'));
    expect((await probe(keyed)).candorErrors).not.toContain('KEY_NOT_PINNED');
    await context.close();
  });

  it("works under require-trusted-types-for 'script' with the 'candor' policy: HTML variants, prompt, Why?", async () => {
    // A second policy (in a meta element, enforced beside the page's header CSP): any plain string
    // at a script-URL or HTML sink is refused, and only a policy named 'candor' may be created.
    stack.setPage('tt', {
      attributes: PATIENT,
      headScript: `<meta http-equiv="Content-Security-Policy" content="require-trusted-types-for 'script'; trusted-types candor">`,
    });
    const context = await newContext(browser);
    const page = await open(context, stack.url('tt', '?utm_campaign=spring-sale'));
    expect(await page.evaluate(() => 'trustedTypes' in window)).toBe(true);
    // The HTML variant went through the sanitiser's template.
    expect(
      await page.locator('[data-candor-slot="promo"]').getAttribute('data-candor-state'),
      String((await probe(page)).candorErrors),
    ).toBe('variant');
    expect(await page.locator('[data-candor-slot="promo"] strong').textContent()).toBe('Spring');
    // The UI chunk loaded: the prompt, then the "Why?" popover.
    await becomeDeveloper(page);
    expect(await heroText(page)).toBe('Build faster');
    await page.locator('button[data-candor-why="hero"]').click();
    await page.locator('[role="dialog"].candor-why [data-candor-part="reason"]').waitFor();
    const record = await probe(page);
    expect(
      record.violations.filter((v) => v.startsWith('require-trusted-types-for') || v.startsWith('trusted-types')),
    ).toEqual([]);
    expect(record.candorErrors).not.toContain('UI_LOAD_FAILED');
    expect(record.candorErrors).not.toContain('SLOT_RENDER_FAILED');
    await context.close();
  });

  it('data-candor-ask asks a field where the page puts it, once its purpose is allowed, and not again once answered', async () => {
    stack.setPage('ask', {
      attributes: PATIENT,
      body: `<h1 data-candor-slot="hero">Default hero</h1><section id="ask-here" data-candor-ask="role"></section>`,
    });
    const context = await newContext(browser);
    const page = await open(context, stack.url('ask'));
    const here = page.locator('#ask-here');
    // Before a choice the purpose is not allowed: nothing is asked.
    expect(await here.locator('form').count()).toBe(0);
    expect(await here.getAttribute('data-candor-asked')).toBe('not_allowed');
    await prompt(page).locator('[data-candor-action="accept_all"]').click();
    const question = here.locator('form[data-candor-question="role"]');
    await question.waitFor();
    await question.locator('input[value="developer"]').check();
    await question.locator('[data-candor-action="answer"]').click();
    await expect.poll(() => here.getAttribute('data-candor-asked')).toBe('answered');
    expect(await heroText(page)).toBe('Build faster');
    await page.reload();
    await page.evaluate(() => (window as never as CandorWindow).candor.ready);
    expect(await page.locator('#ask-here form').count()).toBe(0);
    await context.close();
  });
});

void NONCE;
