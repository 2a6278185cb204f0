// Issue 15 items 1–3 in Debian Chromium against the real server: each consent source is driven by
// its real library from npm on a real page (the IAB ones act as the page's CMP), Candor never
// shows a second prompt, the CMP's answer becomes Candor grants recorded in the ledger as
// `cmp:<name>`, and a CMP that never loads leaves the page working.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from './support/browser.js';
import { openProbed, type ProbeRecord } from './support/probe.js';
import { NONCE, startStack, type Stack } from './support/stack.js';

const available = browserAvailable();
const PATIENT = 'data-timeout="15000"';
const SPRING = '?utm_campaign=spring-sale';
const require = createRequire(import.meta.url);
let stack: Stack;
let browser: Browser;

/** A library's shipped browser file from node_modules, as an inline script the page's CSP allows. */
function vendorScript(file: string): string {
  return `<script nonce="${NONCE}">${readFileSync(require.resolve(file), 'utf8')}</script>`;
}
/** A page CMP built from an npm package's own module (the IAB APIs ship no browser file). */
async function bundledScript(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return `<script nonce="${NONCE}">${result.outputFiles[0]?.text ?? ''}</script>`;
}
const inline = (code: string): string => `<script nonce="${NONCE}">${code}</script>`;
const declare = (name: string, map?: object): string =>
  `${PATIENT} data-consent-source="${name}"${map ? ` data-consent-map='${JSON.stringify(map)}'` : ''}`;

const TCF_CMP = `
import { CmpApi } from '@iabtcf/cmpapi';
import { GVL, Segment, TCModel, TCString } from '@iabtcf/core';
const named = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i + 1), { id: i + 1, name: 'P' + (i + 1), description: '' }]));
const gvl = new GVL({ gvlSpecificationVersion: 3, vendorListVersion: 1, tcfPolicyVersion: 4, lastUpdated: '2026-01-01T00:00:00Z',
  purposes: named(11), specialPurposes: named(3), features: named(3), specialFeatures: named(2), vendors: {}, stacks: {} });
const cmp = new CmpApi(10, 1, false);
cmp.update('', true);
window.pageCmp = {
  choose(purposes, withDisclosedVendors) {
    const model = new TCModel(gvl);
    model.cmpId = 10;
    model.cmpVersion = 1;
    model.purposeConsents.set(purposes);
    model.purposeLegitimateInterests.set([11]);
    model.vendorsDisclosed.set([1]);
    const segments = withDisclosedVendors ? [Segment.CORE, Segment.VENDORS_DISCLOSED] : [Segment.CORE];
    cmp.update(TCString.encode(model, { segments }), false);
  },
};`;

const GPP_CMP = `
import { CmpApi } from '@iabgpp/cmpapi';
const cmp = new CmpApi(10, 1);
cmp.setSupportedAPIs(['7:usnat']);
cmp.setSignalStatus('not ready');
window.pageCmp = {
  choose(saleOptOut, sharingOptOut) {
    cmp.setFieldValue('usnat', 'SaleOptOutNotice', 1);
    cmp.setFieldValue('usnat', 'SharingOptOutNotice', 1);
    cmp.setFieldValue('usnat', 'SaleOptOut', saleOptOut);
    cmp.setFieldValue('usnat', 'SharingOptOut', sharingOptOut);
    cmp.setFieldValue('usnat', 'TargetedAdvertisingOptOut', sharingOptOut);
    cmp.setApplicableSections([7]);
    cmp.setSignalStatus('ready');
    cmp.fireSectionChange('usnat');
  },
};`;

beforeAll(async () => {
  if (!available) return;
  stack = await startStack();
  // A CMP that never loads: declared, but no CMP script on the page at all.
  stack.setPage('never-loads', { attributes: declare('cookieconsent', { analytics: 'measurement' }) });
  stack.setPage('callback', {
    attributes: declare('callback', { C0002: 'measurement', C0004: ['personalization', 'sync'] }),
    // OneTrust-style: active groups as a list, and a wrapper the CMP calls on every change.
    headScript: inline(
      'window.candorConfig.consentSource = { read: () => window.activeGroups && Object.fromEntries(window.activeGroups.map((g) => [g, true])), subscribe: (notify) => { window.cmpChanged = notify; } };',
    ),
  });
  // A CMP that has answered before this page view (its groups are set before Candor runs).
  stack.setPage('callback-kept', {
    attributes: declare('callback', { C0002: 'measurement', C0004: ['personalization', 'sync'] }),
    headScript: inline(
      "window.activeGroups = ['C0001', 'C0002']; window.candorConfig.consentSource = { read: () => Object.fromEntries(window.activeGroups.map((g) => [g, true])), subscribe: (notify) => { window.cmpChanged = notify; } };",
    ),
  });
  stack.setPage('cookieconsent', {
    attributes: declare('cookieconsent', { analytics: 'measurement', personal: ['personalization', 'sync'] }),
    csp: false,
    headScript:
      vendorScript('vanilla-cookieconsent/dist/cookieconsent.umd.js') +
      inline(`addEventListener('DOMContentLoaded', () => CookieConsent.run({
        // Its bot check would hide the banner from an automated browser.
        hideFromBots: false,
        categories: { necessary: { enabled: true, readOnly: true }, analytics: {}, personal: {} },
        language: { default: 'en', translations: { en: {
          consentModal: { title: 'Cookies', description: 'We use cookies.', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all' },
          preferencesModal: { title: 'Preferences', sections: [] } } } } }));`),
  });
  stack.setPage('consent-mode', {
    attributes: declare('consent-mode'),
    headScript: inline(
      "window.dataLayer = window.dataLayer || []; window.gtag = function () { dataLayer.push(arguments); }; gtag('consent', 'default', { analytics_storage: 'denied', personalization_storage: 'denied', functionality_storage: 'granted' });",
    ),
  });
  stack.setPage('klaro', {
    attributes: declare('klaro', { matomo: 'measurement' }),
    csp: false,
    headScript:
      inline(
        "window.klaroConfig = { storageMethod: 'localStorage', mustConsent: false, services: [{ name: 'matomo', purposes: ['analytics'] }] };",
      ) + vendorScript('klaro/dist/klaro-no-css.js'),
  });
  // No data-consent-source: the site settings' source (set by the last test) applies.
  stack.setPage('site-declared', {
    attributes: PATIENT,
    headScript: inline(
      "window.dataLayer = window.dataLayer || []; window.gtag = function () { dataLayer.push(arguments); }; gtag('consent', 'default', { analytics_storage: 'denied' });",
    ),
  });
  stack.setPage('tcf', { attributes: declare('tcf'), headScript: await bundledScript(TCF_CMP) });
  stack.setPage('gpp', { attributes: declare('gpp'), headScript: await bundledScript(GPP_CMP) });
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface CandorWindow {
  candor: {
    ready: Promise<void>;
    consent: {
      get(): {
        phase: string;
        granted: Record<string, boolean>;
        history: { source: string; recordId?: string; purposes: Record<string, string> }[];
      };
    };
  };
  __probe: ProbeRecord;
}

async function open(context: BrowserContext, name: string, query = ''): Promise<Page> {
  const page = await openProbed(context, stack.url(name, query));
  await page.evaluate(() => (window as never as CandorWindow).candor.ready);
  return page;
}

/** Waits until the server's ledger acknowledged the CMP's latest choice, then returns the consent view. */
async function recorded(page: Page, count: number) {
  await page.waitForFunction((n) => {
    const history = (window as never as CandorWindow).candor.consent.get().history;
    return history.length === n && history[n - 1]?.recordId !== undefined;
  }, count);
  return page.evaluate(() => (window as never as CandorWindow).candor.consent.get());
}

const candorErrors = (page: Page) => page.evaluate(() => (window as never as CandorWindow).__probe.candorErrors);
const promptCount = (page: Page) => page.locator('.candor-prompt').count();
const grantedOptional = (granted: Record<string, boolean>) => ({
  personalization: granted['personalization'],
  measurement: granted['measurement'],
  sync: granted['sync'],
});

describe.skipIf(!available)(
  `browser, consent sources: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 60_000 },
  () => {
    it('a CMP that never loads leaves the page working: contextual content renders, nothing waits, no prompt', async () => {
      const context = await newContext(browser);
      const page = await open(context, 'never-loads', SPRING);
      // The decision was made without the CMP: the contextual spring promo shows, the hero is standard.
      expect(await page.locator('[data-candor-slot="promo"]').textContent()).toContain('Spring');
      expect(await page.locator('[data-candor-slot="hero"]').textContent()).toBe('Default hero');
      await page.waitForFunction(() =>
        (window as never as CandorWindow).__probe.candorErrors.includes('CONSENT_SOURCE_SILENT'),
      );
      const view = await page.evaluate(() => (window as never as CandorWindow).candor.consent.get());
      expect(view.phase).toBe('pending');
      expect(grantedOptional(view.granted)).toEqual({ personalization: false, measurement: false, sync: false });
      expect(await promptCount(page)).toBe(0);
      await context.close();
    });

    it('generic callback (OneTrust-style): silent until the CMP answers, then its groups become grants', async () => {
      const context = await newContext(browser);
      const page = await open(context, 'callback', SPRING);
      await page.waitForFunction(() =>
        (window as never as CandorWindow).__probe.candorErrors.includes('CONSENT_SOURCE_SILENT'),
      );
      expect(await page.locator('[data-candor-slot="promo"]').textContent()).toContain('Spring');
      await page.evaluate(() => {
        const page = window as never as { activeGroups: string[]; cmpChanged: () => void };
        page.activeGroups = ['C0001', 'C0002'];
        page.cmpChanged();
      });
      const view = await recorded(page, 1);
      expect(grantedOptional(view.granted)).toEqual({ personalization: false, measurement: true, sync: false });
      expect(view.history[0]?.source).toBe('cmp:callback');
      expect(await promptCount(page)).toBe(0);
      await context.close();
    });

    it('the latest choice wins: a withdrawal in Candor stands until the CMP’s answer changes', async () => {
      const context = await newContext(browser);
      const page = await open(context, 'callback-kept');
      expect(grantedOptional((await recorded(page, 1)).granted)).toMatchObject({ measurement: true });
      await page.evaluate(() =>
        (
          window as never as { candor: { consent: { set(c: Record<string, boolean>): Promise<void> } } }
        ).candor.consent.set({ measurement: false }),
      );
      expect((await recorded(page, 2)).history[1]?.source).toBe('api');
      // The CMP says the same as before on the next page view: the visitor's later withdrawal stands.
      await page.reload();
      await page.evaluate(() => (window as never as CandorWindow).candor.ready);
      await page.evaluate(() => {
        const cmp = window as never as { activeGroups: string[]; cmpChanged: () => void };
        cmp.activeGroups = ['C0001', 'C0002', 'C0004'];
        cmp.cmpChanged();
      });
      const changed = await recorded(page, 3);
      expect(changed.history[2]?.source).toBe('cmp:callback');
      expect(changed.history[2]?.purposes['personalization']).toBe('granted');
      expect(grantedOptional(changed.granted)).toEqual({ personalization: true, measurement: true, sync: true });
      await context.close();
    });

    it('vanilla-cookieconsent v3: its banner is the only prompt; each choice maps, and is recorded once', async () => {
      const context = await newContext(browser);
      const page = await open(context, 'cookieconsent');
      expect(await promptCount(page)).toBe(0);
      await page.locator('#cc-main [data-role="necessary"]').click();
      const refused = await recorded(page, 1);
      expect(grantedOptional(refused.granted)).toEqual({ personalization: false, measurement: false, sync: false });
      expect(refused.history[0]?.source).toBe('cmp:cookieconsent');
      // The next page view hears the same answer from the CMP and records nothing new (the ledger
      // holds exactly two entries after the change below, not three).
      await page.reload();
      await page.evaluate(() => (window as never as CandorWindow).candor.ready);
      await page.evaluate(() =>
        (window as never as { CookieConsent: { acceptCategory(c: string[]): void } }).CookieConsent.acceptCategory([
          'analytics',
        ]),
      );
      const changed = await recorded(page, 2);
      expect(grantedOptional(changed.granted)).toEqual({ personalization: false, measurement: true, sync: false });
      expect(await promptCount(page)).toBe(0);
      expect(await candorErrors(page)).not.toContain('CONSENT_SOURCE_SILENT');
      await context.close();
    });

    it('Consent Mode v2: an update set by another tool maps through each purpose’s declared signals', async () => {
      const context = await newContext(browser);
      const page = await open(context, 'consent-mode');
      // A default is the site's assumption, not the visitor's answer: still pending, and no prompt.
      expect((await page.evaluate(() => (window as never as CandorWindow).candor.consent.get())).phase).toBe('pending');
      expect(await promptCount(page)).toBe(0);
      await page.evaluate(() =>
        (window as never as { gtag: (...args: unknown[]) => void }).gtag('consent', 'update', {
          analytics_storage: 'granted',
        }),
      );
      const view = await recorded(page, 1);
      expect(grantedOptional(view.granted)).toEqual({ personalization: false, measurement: true, sync: false });
      expect(view.history[0]?.source).toBe('cmp:consent-mode');
      await context.close();
    });

    it('Klaro: a saved service consent maps to its purpose', async () => {
      const context = await newContext(browser);
      const page = await open(context, 'klaro');
      expect(await promptCount(page)).toBe(0);
      await page.evaluate(() => {
        const manager = (
          window as never as {
            klaro: { getManager(): { updateConsent(s: string, v: boolean): void; saveAndApplyConsents(): void } };
          }
        ).klaro.getManager();
        manager.updateConsent('matomo', true);
        manager.saveAndApplyConsents();
      });
      const view = await recorded(page, 1);
      expect(grantedOptional(view.granted)).toEqual({ personalization: false, measurement: true, sync: false });
      expect(view.history[0]?.source).toBe('cmp:klaro');
      await context.close();
    });

    it('TCF v2.2/v2.3 via __tcfapi (@iabtcf/cmpapi as the page CMP): the TCF table of docs/consent.md, and no disclosedVendors grants nothing', async () => {
      const context = await newContext(browser);
      const page = await open(context, 'tcf', SPRING);
      expect(await promptCount(page)).toBe(0);
      await page.evaluate(() =>
        (window as never as { pageCmp: { choose(p: number[], d: boolean): void } }).pageCmp.choose([1, 5, 6, 8], true),
      );
      const view = await recorded(page, 1);
      expect(grantedOptional(view.granted)).toEqual({ personalization: true, measurement: true, sync: true });
      expect(view.history[0]?.source).toBe('cmp:tcf');
      // Each purpose needs ALL its TCF purposes: P5 without P6 is no personalization, P5 without P1 no sync.
      await page.evaluate(() =>
        (window as never as { pageCmp: { choose(p: number[], d: boolean): void } }).pageCmp.choose([5, 8], true),
      );
      const partial = await recorded(page, 2);
      expect(grantedOptional(partial.granted)).toEqual({ personalization: false, measurement: true, sync: false });
      // A string made today without the disclosedVendors segment breaks TCF v2.3: nothing is granted.
      await page.evaluate(() =>
        (window as never as { pageCmp: { choose(p: number[], d: boolean): void } }).pageCmp.choose([1, 5, 6, 8], false),
      );
      const refused = await recorded(page, 3);
      expect(grantedOptional(refused.granted)).toEqual({ personalization: false, measurement: false, sync: false });
      expect(await candorErrors(page)).toContain('CONSENT_SOURCE_INVALID');
      // Denying everything never stops the contextual promo.
      expect(await page.locator('[data-candor-slot="promo"]').textContent()).toContain('Spring');
      await context.close();
    });

    it('GPP via __gpp (@iabgpp/cmpapi as the page CMP): a US sale/sharing opt-out denies profiling', async () => {
      const context = await newContext(browser);
      const page = await open(context, 'gpp');
      expect(await promptCount(page)).toBe(0);
      await page.evaluate(() =>
        (window as never as { pageCmp: { choose(s: number, h: number): void } }).pageCmp.choose(2, 2),
      );
      const view = await recorded(page, 1);
      // No opt-out after notice: profiling follows the US opt-out model; measurement cannot be mapped.
      expect(grantedOptional(view.granted)).toEqual({ personalization: true, measurement: false, sync: true });
      expect(view.history[0]?.source).toBe('cmp:gpp');
      await page.evaluate(() =>
        (window as never as { pageCmp: { choose(s: number, h: number): void } }).pageCmp.choose(2, 1),
      );
      const optedOut = await recorded(page, 2);
      expect(grantedOptional(optedOut.granted)).toEqual({ personalization: false, measurement: false, sync: false });
      await context.close();
    });

    it('a source declared in site settings applies without any attribute on the page', async () => {
      const base = `/v1/admin/sites/${stack.t.siteKey}`;
      const admin = async (method: 'PUT' | 'POST', url: string, payload: object) => {
        const response = await stack.t.app.inject({ method, url, payload, headers: stack.t.as.owner.headers });
        expect(response.statusCode, response.body).toBeLessThan(300);
        return response.json() as { findings?: { fingerprint: string; severity: string }[] };
      };
      await admin('PUT', base, {
        name: 'Example Shop',
        defaultLanguage: 'en',
        policyVersion: '2026-01',
        explainDefaults: true,
        allowedOrigins: [stack.pages],
        ledgerRetentionDays: 365,
        consentSource: { name: 'consent-mode', map: {} },
      });
      const lint = await admin('POST', `${base}/lint`, {});
      const acknowledge = (lint.findings ?? []).filter((f) => f.severity === 'warning').map((f) => f.fingerprint);
      await admin('POST', `${base}/publish`, { acknowledge });

      const context = await newContext(browser);
      const page = await open(context, 'site-declared');
      expect(await promptCount(page)).toBe(0);
      await page.evaluate(() =>
        (window as never as { gtag: (...args: unknown[]) => void }).gtag('consent', 'update', {
          analytics_storage: 'granted',
        }),
      );
      const view = await recorded(page, 1);
      expect(grantedOptional(view.granted)).toEqual({ personalization: false, measurement: true, sync: false });
      expect(view.history[0]?.source).toBe('cmp:consent-mode');
      await context.close();
    });
  },
);
