// Issue 7, "Hostile input", XSS: markup a compromised editor or a visitor could plant — in a site
// name, a field label, question and option label, a variant's text and HTML, and a visitor's own
// answer — is inert in the page, the consent prompt, the "Why am I seeing this?" popover, the
// preference center and the dashboard, in real Chromium. The SDK pages are served once with the
// strict nonce CSP and once with none, so only Candor's own rendering keeps the payloads inert.
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startStack as startDashboardStack,
  type Stack as DashboardStack,
} from '../../packages/dashboard/test/support/stack.js';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { EXPERIENCES, METRICS } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Script, an event-handler attribute, an SVG onload and a `javascript:` URL, each of which would set
 * `window.__pwned` or open a dialog if it ran; under 200 characters so it fits the SDK's answer box.
 */
export const payload = (where: string): string =>
  `${where}<script>alert('${where}')</script><img src=x onerror="__pwned='${where}'">` +
  `<svg onload="alert('${where}')"></svg><a href="javascript:__pwned='${where}'">go</a>`;

const SITE = payload('site');
const HOSTILE_FIELDS = [
  {
    key: 'role',
    type: 'string',
    source: 'declared',
    purpose: 'personalization',
    category: 'none',
    origin: 'first_party',
    retentionDays: 180,
    label: { en: payload('label'), 'zh-Hant': payload('label') },
    question: { en: payload('question'), 'zh-Hant': payload('question') },
    whyWeAsk: { en: payload('why'), 'zh-Hant': payload('why') },
    whatYouGet: { en: payload('get'), 'zh-Hant': payload('get') },
    options: [
      { value: 'developer', label: { en: payload('option'), 'zh-Hant': payload('option') } },
      { value: 'marketer', label: { en: 'Marketer', 'zh-Hant': '行銷人員' } },
    ],
  },
  {
    key: 'company',
    type: 'string',
    source: 'declared',
    purpose: 'personalization',
    category: 'none',
    origin: 'first_party',
    retentionDays: 90,
    label: { en: 'company', 'zh-Hant': '公司' },
    question: { en: 'Where do you work?', 'zh-Hant': '您在哪裡工作？' },
    whyWeAsk: { en: 'To greet you.', 'zh-Hant': '為了問候您。' },
    whatYouGet: { en: 'A friendlier page.', 'zh-Hant': '更親切的頁面。' },
  },
];
const HOSTILE_EXPERIENCE = {
  ...EXPERIENCES[0],
  variants: [
    {
      id: 'dev',
      name: payload('variant-name'),
      content: {
        hero: { type: 'text', text: { en: payload('text'), 'zh-Hant': payload('text') } },
        promo: { type: 'html', html: { en: payload('html'), 'zh-Hant': payload('html') } },
      },
    },
  ],
};
const ANSWER = payload('answer');

interface Watch {
  readonly dialogs: string[];
}
/** Records every dialog (and dismisses it, so a page cannot hang on one). */
function watch(page: Page): Watch {
  const dialogs: string[] = [];
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { dialogs };
}
const pwned = (page: Page) => page.evaluate(() => (window as never as { __pwned?: string }).__pwned);
/** Elements only injected markup would create inside a Candor-rendered region. */
const INJECTED = 'script, img[onerror], svg, [onload], [onerror], a[href^="javascript:"], iframe';
/** The same in the dashboard, whose HTML preview is an iframe sandboxed with no permission at all. */
const INJECTED_IN_DASHBOARD =
  'script, img[onerror], svg, [onload], [onerror], a[href^="javascript:"], iframe:not([sandbox=""])';

const available = browserAvailable();

describe.skipIf(!available)(`XSS in Chromium: ${available ? 'SDK pages' : SKIP_REASON}`, { timeout: 30_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({
      siteName: SITE,
      fields: HOSTILE_FIELDS,
      audiences: [{ id: 'developers', name: payload('audience'), condition: { role: 'developer' } } as never],
      metrics: METRICS,
      experiences: [HOSTILE_EXPERIENCE],
    });
    stack.setPage('strict', {
      attributes: 'data-max-questions="2"',
      body: '<h1 data-candor-slot="hero">Default hero</h1><p data-candor-slot="promo">Default promo</p>',
    });
    stack.setPage('no-csp', {
      csp: false,
      attributes: 'data-max-questions="2"',
      body: '<h1 data-candor-slot="hero">Default hero</h1><p data-candor-slot="promo">Default promo</p>',
    });
    browser = await launch();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it.each(['strict', 'no-csp'])(
    'page, prompt, question, popover and preference center show the payloads as text (%s page)',
    async (name) => {
      const context: BrowserContext = await newContext(browser);
      context.setDefaultTimeout(8_000);
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(stack.url(name));
      // The consent prompt names the site.
      const prompt = page.locator('.candor-prompt');
      await prompt.waitFor();
      expect(await prompt.textContent()).toContain(SITE);
      await prompt.locator('[data-candor-action="accept_all"]').click();

      // The question, its explanation and its option labels.
      const askRole = page.evaluate(() =>
        (window as never as { candor: { ask(f: string): Promise<unknown> } }).candor.ask('role'),
      );
      const question = page.locator('[data-candor-question="role"]');
      await question.waitFor();
      const questionText = (await question.textContent()) ?? '';
      expect(questionText).toContain(payload('question'));
      expect(questionText).toContain(payload('option'));
      expect(await question.locator(INJECTED).count()).toBe(0);
      await question.locator('input[value="developer"]').check();
      await question.locator('[data-candor-action="answer"]').click();
      expect(await askRole).toEqual({ status: 'answered', value: 'developer' });

      // A free-text answer carrying markup is stored and shown as the visitor typed it.
      const askCompany = page.evaluate(() =>
        (window as never as { candor: { ask(f: string): Promise<unknown> } }).candor.ask('company'),
      );
      const company = page.locator('[data-candor-question="company"]');
      await company.locator('input[type="text"]').fill(ANSWER);
      await company.locator('[data-candor-action="answer"]').click();
      expect(await askCompany).toEqual({ status: 'answered', value: ANSWER });

      // The variant's text is text; its HTML is sanitised.
      const hero = page.locator('[data-candor-slot="hero"]');
      await page.waitForFunction(
        (expected) => document.querySelector('[data-candor-slot="hero"]')?.textContent === expected,
        payload('text'),
      );
      expect(await hero.locator(INJECTED).count()).toBe(0);
      const promo = page.locator('[data-candor-slot="promo"]');
      expect(await promo.textContent()).toContain('html');
      expect(await promo.locator(INJECTED).count()).toBe(0);
      if ((await promo.locator('a').count()) > 0) await promo.locator('a').first().click();

      // The popover explains with the option label, as text.
      await page.locator('button[data-candor-why="hero"]').click();
      const why = page.locator('[role="dialog"].candor-why');
      await why.waitFor();
      const whyText = (await why.textContent()) ?? '';
      expect(whyText).toContain(payload('option'));
      expect(whyText).toContain(payload('label'));
      expect(await why.locator(INJECTED).count()).toBe(0);
      await page.keyboard.press('Escape');

      // The preference center lists the label and both answers, as text.
      await page.waitForFunction(
        () => JSON.parse(localStorage.getItem('candor.shop.consent') ?? '{}').recordId !== undefined,
      );
      await page.locator('button.candor-choices').click();
      const prefs = page.locator('[role="dialog"].candor-preferences');
      await prefs.waitFor();
      await prefs.locator('[data-candor-part="server"] table').waitFor();
      const prefsText = (await prefs.textContent()) ?? '';
      expect(prefsText).toContain(payload('label'));
      expect(prefsText).toContain(ANSWER);
      expect(await prefs.locator(INJECTED).count()).toBe(0);

      expect(seen.dialogs).toEqual([]);
      expect(await pwned(page)).toBeUndefined();
      await context.close();
    },
  );

  it('refuses a javascript: privacy page URL, which the prompt and badge would render as a link', async () => {
    const response = await stack.t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${stack.t.siteKey}`,
      headers: stack.t.as.owner.headers,
      payload: {
        name: 'Example Shop',
        privacyPageUrl: "javascript:alert('privacy')",
        defaultLanguage: 'en',
        policyVersion: '2026-01',
        explainDefaults: true,
        allowedOrigins: [stack.pages],
        ledgerRetentionDays: 365,
      },
    });
    expect(response.statusCode).toBe(400);
  });
});

describe.skipIf(!available)(`XSS in Chromium: ${available ? 'dashboard' : SKIP_REASON}`, { timeout: 30_000 }, () => {
  let stack: DashboardStack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startDashboardStack();
    const t = stack.server;
    const put = async (url: string, body: object) => {
      const response = await t.app.inject({ method: 'PUT', url, payload: body, headers: t.as.owner.headers });
      if (response.statusCode >= 300) throw new Error(`PUT ${url}: ${response.statusCode} ${response.body}`);
    };
    const base = `/v1/admin/sites/${t.siteKey}`;
    await put(base, {
      name: SITE,
      defaultLanguage: 'en',
      policyVersion: '2026-01',
      explainDefaults: true,
      allowedOrigins: ['https://shop.example'],
      ledgerRetentionDays: 365,
    });
    for (const field of HOSTILE_FIELDS) await put(`${base}/drafts/fields/${field.key}`, field);
    await put(`${base}/drafts/audiences/developers`, {
      id: 'developers',
      name: payload('audience'),
      condition: { role: 'developer' },
    });
    for (const metric of METRICS) await put(`${base}/drafts/metrics/${metric.id}`, metric);
    await put(`${base}/drafts/experiences/hero-dev`, HOSTILE_EXPERIENCE);
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sites, fields, audiences, experiences and preview show the payloads as text', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${stack.url}/admin/`);
    await page.getByLabel('Email').fill(stack.email);
    await page.getByLabel('Password').fill(stack.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
    await page.getByText(SITE, { exact: true }).first().waitFor();

    const main = page.locator('main');
    for (const [path, expected] of [
      ['fields/role', payload('question')],
      ['audiences/developers', payload('audience')],
      ['experiences/hero-dev', payload('variant-name')],
      ['settings', SITE],
    ] as const) {
      await page.goto(`${stack.url}/admin/sites/${stack.server.siteKey}/${path}`);
      await main.getByRole('heading', { level: 1 }).waitFor();
      // Text shows in text nodes or form values; either way it is never parsed as markup.
      await page.waitForFunction(
        (text) =>
          document.body.innerText.includes(text) ||
          Array.from(document.querySelectorAll('input, textarea')).some(
            (element) => (element as HTMLInputElement).value === text,
          ),
        expected,
      );
      const injected = await main
        .locator(INJECTED_IN_DASHBOARD)
        .evaluateAll((elements) => elements.map((e) => e.outerHTML));
      expect(injected, path).toEqual([]);
    }
    expect(seen.dialogs).toEqual([]);
    expect(await pwned(page)).toBeUndefined();
    await context.close();
  });
});
