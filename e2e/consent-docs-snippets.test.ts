// Issue 15 "Done when": docs/consent.md shows a copy-paste set-up for each consent source. This
// suite copies each `html` snippet of its "Copy-paste set-ups" section as it is written, swaps only
// the placeholders the docs tell the reader to swap (SITE, KEY, the server URL, the vendor file
// paths), serves it as a page in Chromium against the real server with the real CMP library from
// npm, answers in the CMP, and checks the grants the docs promise. A snippet edited into something
// that no longer works fails here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from './support/browser.js';
import { startStack, type Stack } from './support/stack.js';

const available = browserAvailable();
const require = createRequire(import.meta.url);
const DOCS = readFileSync(join(import.meta.dirname, '..', 'docs', 'consent.md'), 'utf8');

/** The `html` code block under each `###` heading of the "Copy-paste set-ups" section, by heading. */
function snippets(): Map<string, string> {
  const start = DOCS.indexOf('## Copy-paste set-ups');
  const end = DOCS.indexOf('\n## ', start + 1);
  const section = DOCS.slice(start, end);
  const found = new Map<string, string>();
  for (const part of section.split('\n### ').slice(1)) {
    const heading = part.slice(0, part.indexOf('\n'));
    const code = /```html\n([\s\S]*?)```/.exec(part)?.[1];
    if (code !== undefined) found.set(heading, code);
  }
  return found;
}

const HEADINGS = {
  callback: 'Generic callback (OneTrust-style CMPs)',
  cookieconsent: 'vanilla-cookieconsent v3',
  consentMode: 'Consent Mode v2 `dataLayer` (consent set by any other tool)',
  klaro: 'Klaro',
  tcf: 'IAB TCF v2.2 / v2.3 (`__tcfapi`)',
  gpp: 'IAB GPP (`__gpp`)',
} as const;

/** A page CMP built from an npm package's own module (the IAB APIs ship no browser file). */
async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

// The page's own registered CMPs, as `https://cmp.example/stub.js` would be: each defines its API
// and exposes `pageCmp.choose` so the test can answer as a visitor would.
const TCF_CMP = `
import { CmpApi } from '@iabtcf/cmpapi';
import { GVL, Segment, TCModel, TCString } from '@iabtcf/core';
const named = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i + 1), { id: i + 1, name: 'P' + (i + 1), description: '' }]));
const gvl = new GVL({ gvlSpecificationVersion: 3, vendorListVersion: 1, tcfPolicyVersion: 4, lastUpdated: '2026-01-01T00:00:00Z',
  purposes: named(11), specialPurposes: named(3), features: named(3), specialFeatures: named(2), vendors: {}, stacks: {} });
const cmp = new CmpApi(10, 1, false);
cmp.update('', true);
window.pageCmp = { choose(purposes) {
  const model = new TCModel(gvl);
  model.cmpId = 10;
  model.cmpVersion = 1;
  model.purposeConsents.set(purposes);
  model.vendorsDisclosed.set([1]);
  cmp.update(TCString.encode(model, { segments: [Segment.CORE, Segment.VENDORS_DISCLOSED] }), false);
} };`;
const GPP_CMP = `
import { CmpApi } from '@iabgpp/cmpapi';
const cmp = new CmpApi(10, 1);
cmp.setSupportedAPIs(['2:tcfeuv2', '7:usnat']);
cmp.setSignalStatus('not ready');
window.pageCmp = { chooseEu(purposes) {
  cmp.setFieldValue('tcfeuv2', 'PurposeConsents', Array.from({ length: 24 }, (_, i) => purposes.includes(i + 1)));
  cmp.setApplicableSections([2]);
  cmp.setSignalStatus('ready');
  cmp.fireSectionChange('tcfeuv2');
}, choose(optOut) {
  cmp.setFieldValue('usnat', 'SaleOptOutNotice', 1);
  cmp.setFieldValue('usnat', 'SharingOptOutNotice', 1);
  cmp.setFieldValue('usnat', 'SaleOptOut', optOut);
  cmp.setFieldValue('usnat', 'SharingOptOut', optOut);
  cmp.setFieldValue('usnat', 'TargetedAdvertisingOptOut', optOut);
  cmp.setApplicableSections([7]);
  cmp.setSignalStatus('ready');
  cmp.fireSectionChange('usnat');
} };`;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  stack = await startStack();
  const script = (body: string) => ({ raw: { contentType: 'text/javascript; charset=utf-8', body } });
  stack.setPage(
    'vendor/cookieconsent.umd.js',
    script(readFileSync(require.resolve('vanilla-cookieconsent/dist/cookieconsent.umd.js'), 'utf8')),
  );
  stack.setPage('cookieconsent-en.json', {
    raw: {
      contentType: 'application/json',
      body: JSON.stringify({
        consentModal: { title: 'Cookies', description: 'We use cookies.', acceptAllBtn: 'Accept all' },
        preferencesModal: { title: 'Preferences', sections: [] },
      }),
    },
  });
  stack.setPage('vendor/klaro.js', script(readFileSync(require.resolve('klaro/dist/klaro.js'), 'utf8')));
  stack.setPage('cmp/stub.js', script(await bundle(TCF_CMP)));
  stack.setPage('cmp/gpp-stub.js', script(await bundle(GPP_CMP)));
  for (const [key, heading] of Object.entries(HEADINGS)) {
    const snippet = snippets().get(heading);
    if (snippet === undefined) throw new Error(`docs/consent.md has no html snippet under "### ${heading}"`);
    // Only the placeholders the docs name are swapped; everything else is served as written.
    const html = snippet
      .replaceAll('https://candor.example', stack.api)
      .replaceAll('https://cmp.example/', '/cmp/')
      .replaceAll('"SITE"', `"${stack.t.siteKey}"`)
      .replaceAll('"KEY"', `"${stack.publicKeyAttr}"`);
    stack.setPage(`snippet-${key}`, {
      raw: {
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>snippet</title>\n${html}</head><body><p>Page text.</p></body></html>`,
      },
    });
  }
  // The same Consent Mode page with Candor's own mirroring asked for: it must stay silent (docs).
  const consentMode = snippets().get(HEADINGS.consentMode) ?? '';
  stack.setPage('snippet-consentMode-mirror', {
    raw: {
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>snippet</title>\n${consentMode
        .replaceAll('https://candor.example', stack.api)
        .replaceAll('"SITE"', `"${stack.t.siteKey}"`)
        .replaceAll('"KEY"', `"${stack.publicKeyAttr}"`)
        .replace(
          'data-consent-source="consent-mode"',
          'data-consent-source="consent-mode" data-consent-mode="on"',
        )}</head><body></body></html>`,
    },
  });
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface ConsentView {
  phase: string;
  granted: Record<string, boolean>;
  history: { source: string; recordId?: string }[];
}
interface CandorWindow {
  candor: { ready: Promise<void>; consent: { get(): ConsentView } };
  __errors: string[];
}

/** Opens a snippet page as a visitor's browser would (not flagged as automated, so CMPs show themselves). */
async function open(key: string): Promise<Page> {
  const context = await newContext(browser);
  await context.addInitScript(() => {
    // vanilla-cookieconsent hides itself from navigator.webdriver browsers; a visitor's is not one.
    Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false });
    const errors: string[] = [];
    (window as never as { __errors: string[] }).__errors = errors;
    addEventListener('error', (event) => errors.push(String(event.message)));
    // Notes when a snippet starts listening for OneTrust's event, so the test answers only after.
    const add = window.addEventListener.bind(window);
    window.addEventListener = ((type: string, ...rest: [EventListener]) => {
      if (type === 'OneTrustGroupsUpdated') (window as never as { __otListening: boolean }).__otListening = true;
      add(type, ...rest);
    }) as typeof window.addEventListener;
  });
  const page = await context.newPage();
  await page.goto(stack.url(`snippet-${key}`));
  await page.waitForFunction(() => (window as never as Partial<CandorWindow>).candor !== undefined);
  await page.evaluate(() => (window as never as CandorWindow).candor.ready);
  return page;
}

/** Waits until the server's ledger acknowledged the CMP's answer; returns the optional grants. */
async function answered(page: Page, source: string) {
  await page.waitForFunction(
    (name) =>
      (window as never as CandorWindow).candor.consent
        .get()
        .history.some((entry) => entry.source === name && entry.recordId !== undefined),
    source,
  );
  const view = await page.evaluate(() => (window as never as CandorWindow).candor.consent.get());
  expect(await page.evaluate(() => (window as never as CandorWindow).__errors)).toEqual([]);
  expect(await page.locator('.candor-prompt').count()).toBe(0);
  const { personalization, measurement, sync } = view.granted;
  return { personalization, measurement, sync };
}

describe.skipIf(!available)(
  `browser, docs/consent.md snippets as written: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 90_000 },
  () => {
    it('the docs hold an html snippet for every source', () => {
      expect([...snippets().keys()].sort()).toEqual(Object.values(HEADINGS).sort());
    });

    it('generic callback (OneTrust globals): defaults before the banner is answered decide nothing; the answer grants', async () => {
      const page = await open('callback');
      // OneTrust has not loaded: read() is undefined, so nothing is decided.
      expect((await page.evaluate(() => (window as never as CandorWindow).candor.consent.get())).phase).toBe('pending');
      await page.waitForFunction(() => (window as never as { __otListening?: boolean }).__otListening === true);
      // OneTrust loads (opt-in model): only the necessary group is active and the banner is open.
      await page.evaluate(() => {
        (window as never as { OnetrustActiveGroups: string }).OnetrustActiveGroups = ',C0001,';
        dispatchEvent(new CustomEvent('OneTrustGroupsUpdated', { detail: ['C0001'] }));
      });
      // The visitor answers the banner: OneTrust sets its cookie and the groups, then fires the event.
      await page.evaluate(() => {
        document.cookie = 'OptanonAlertBoxClosed=2026-12-06T00:00:00.000Z; path=/';
        (window as never as { OnetrustActiveGroups: string }).OnetrustActiveGroups = ',C0001,C0002,C0004,';
        dispatchEvent(new CustomEvent('OneTrustGroupsUpdated', { detail: ['C0001', 'C0002', 'C0004'] }));
      });
      expect(await answered(page, 'cmp:callback')).toEqual({ personalization: true, measurement: true, sync: true });
      // The defaults before the answer were never recorded as the visitor's choice.
      const history = (await page.evaluate(() => (window as never as CandorWindow).candor.consent.get())).history;
      expect(history.filter((entry) => entry.source === 'cmp:callback')).toHaveLength(1);
      await page.context().close();
    });

    it('vanilla-cookieconsent v3: its own banner answers; accepting analytics grants measurement only', async () => {
      const page = await open('cookieconsent');
      await page.locator('#cc-main').waitFor({ state: 'attached' });
      await page.evaluate(() =>
        (window as never as { CookieConsent: { acceptCategory(c: string[]): void } }).CookieConsent.acceptCategory([
          'analytics',
        ]),
      );
      expect(await answered(page, 'cmp:cookieconsent')).toEqual({
        personalization: false,
        measurement: true,
        sync: false,
      });
      await page.context().close();
    });

    it('Consent Mode v2: the default is not an answer; an update is', async () => {
      const page = await open('consentMode');
      // Read-only: on a page without an IAB CMP, Candor defines no __tcfapi or __gpp of its own.
      expect(
        await page.evaluate(() => [
          typeof (window as never as { __tcfapi?: unknown }).__tcfapi,
          typeof (window as never as { __gpp?: unknown }).__gpp,
        ]),
      ).toEqual(['undefined', 'undefined']);
      expect((await page.evaluate(() => (window as never as CandorWindow).candor.consent.get())).phase).toBe('pending');
      await page.evaluate(() =>
        (window as never as { gtag: (...args: unknown[]) => void }).gtag('consent', 'update', {
          analytics_storage: 'granted',
        }),
      );
      expect(await answered(page, 'cmp:consent-mode')).toEqual({
        personalization: false,
        measurement: true,
        sync: false,
      });
      await page.context().close();
    });

    it('Consent Mode as the source is never written back, even with data-consent-mode="on"', async () => {
      const page = await open('consentMode-mirror');
      await page.evaluate(() =>
        (window as never as { gtag: (...args: unknown[]) => void }).gtag('consent', 'update', {
          analytics_storage: 'granted',
        }),
      );
      expect((await answered(page, 'cmp:consent-mode')).measurement).toBe(true);
      // Only the page's own two commands: Candor echoed neither a default nor an update.
      const commands = await page.evaluate(
        () =>
          (window as never as { dataLayer: unknown[] }).dataLayer.filter(
            (entry) => (entry as ArrayLike<unknown>)[0] === 'consent',
          ).length,
      );
      expect(commands).toBe(2);
      await page.context().close();
    });

    it('Klaro: a saved consent for the mapped service grants its purpose', async () => {
      const page = await open('klaro');
      await page.waitForFunction(() => (window as never as { klaro?: unknown }).klaro !== undefined);
      await page.evaluate(() => {
        const manager = (
          window as never as {
            klaro: { getManager(): { updateConsent(s: string, v: boolean): void; saveAndApplyConsents(): void } };
          }
        ).klaro.getManager();
        manager.updateConsent('matomo', true);
        manager.saveAndApplyConsents();
      });
      expect(await answered(page, 'cmp:klaro')).toEqual({ personalization: false, measurement: true, sync: false });
      await page.context().close();
    });

    it('TCF: the page CMP’s consent to P1, P5, P6 and P8 grants the three consent purposes', async () => {
      const page = await open('tcf');
      await page.evaluate(() =>
        (window as never as { pageCmp: { choose(p: number[]): void } }).pageCmp.choose([1, 5, 6, 8]),
      );
      expect(await answered(page, 'cmp:tcf')).toEqual({ personalization: true, measurement: true, sync: true });
      await page.context().close();
    });

    it('GPP (US national section): no opt-out allows profiling; measurement stays denied', async () => {
      const page = await open('gpp');
      await page.evaluate(() => (window as never as { pageCmp: { choose(o: number): void } }).pageCmp.choose(2));
      expect(await answered(page, 'cmp:gpp')).toEqual({ personalization: true, measurement: false, sync: true });
      await page.context().close();
    });

    it('GPP with the EU TCF section: the TCF table applies to its purpose consents', async () => {
      const page = await open('gpp');
      await page.evaluate(() =>
        (window as never as { pageCmp: { chooseEu(p: number[]): void } }).pageCmp.chooseEu([5, 6, 8]),
      );
      // P5 + P6 personalization and P8 measurement; sync also needs P1, which was not given.
      expect(await answered(page, 'cmp:gpp')).toEqual({ personalization: true, measurement: true, sync: false });
      await page.context().close();
    });
  },
);
