// The Candor OpenFeature web provider, driven only through OpenFeature's own API in Debian Chromium
// against the real server: evaluation details, hooks, events, context changes and track().
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { REPO_ROOT } from '../support/candor-process.js';
import { NONCE, startStack, type Stack } from '../support/stack.js';

const available = browserAvailable();
let stack: Stack;
let browser: Browser;

// What the page's bundle exposes: OpenFeature's web SDK and the provider, as a site would bundle them.
const ENTRY = `
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { CandorWebProvider } from '@candor/openfeature';
Object.assign(window, { __of: { OpenFeature, ProviderEvents, CandorWebProvider } });
`;

beforeAll(async () => {
  if (!available) return;
  const bundled = await build({
    stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    conditions: ['@candor/source'],
    write: false,
    logLevel: 'silent',
  });
  const code = bundled.outputFiles[0]?.text ?? '';
  stack = await startStack();
  stack.setPage('index', {
    attributes: 'data-timeout="15000"',
    body: `<h1 data-candor-slot="hero">Default hero</h1>
<p data-candor-slot="promo">Default promo</p>
<script nonce="${NONCE}">${code}</script>`,
  });
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

// Runs in the page: sets the provider on the script tag's Candor and waits until it is ready.
async function openWithProvider(page: Page, query: string): Promise<void> {
  await page.goto(stack.url('index', query));
  await page.evaluate(async () => {
    const w = window as never as { __of: any; candor: unknown }; // eslint-disable-line @typescript-eslint/no-explicit-any
    await w.__of.OpenFeature.setProviderAndWait(new w.__of.CandorWebProvider(w.candor));
  });
}

interface Details {
  value: unknown;
  variant?: string;
  reason?: string;
  errorCode?: string;
  flagMetadata: Record<string, unknown>;
}

const details = (page: Page, flag: string, type: 'String' | 'Boolean' = 'String') =>
  page.evaluate(
    ([key, kind]) => {
      const client = (window as never as { __of: any }).__of.OpenFeature.getClient(); // eslint-disable-line @typescript-eslint/no-explicit-any
      return JSON.parse(
        JSON.stringify(
          kind === 'String' ? client.getStringDetails(key, 'fallback') : client.getBooleanDetails(key, false),
        ),
      ) as Details;
    },
    [flag, type] as const,
  );

describe.skipIf(!available)(
  `OpenFeature web provider: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 30_000 },
  () => {
    it('a slot is a flag: the variant key is the value, with the reason mapped and the decision in the metadata', async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      await openWithProvider(page, '?utm_campaign=spring-sale');
      expect(await details(page, 'promo')).toMatchObject({
        value: 'spring',
        variant: 'spring',
        reason: 'TARGETING_MATCH',
        flagMetadata: { candorReason: 'TARGETING_MATCH', experienceId: 'promo-spring', kind: 'contextual' },
      });
      // The developer hero needs personalization, which this visitor has not granted.
      const hero = await details(page, 'hero');
      expect(hero.value).toBe('fallback');
      expect(hero.variant).toBeUndefined();
      expect(hero.flagMetadata['candorReason']).toBe('PERSONALIZATION_OFF');
      expect(hero.reason).toBe('DISABLED');
      expect(await details(page, 'no-such-slot')).toMatchObject({ value: 'fallback', errorCode: 'FLAG_NOT_FOUND' });
      expect(await details(page, 'promo', 'Boolean')).toMatchObject({ value: false, errorCode: 'TYPE_MISMATCH' });
      await context.close();
    });

    it('the explanation arrives in the metadata, announced by a configuration change', async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      await openWithProvider(page, '?utm_campaign=spring-sale');
      const explanation = await page.evaluate(async () => {
        const { OpenFeature, ProviderEvents } = (window as never as { __of: any }).__of; // eslint-disable-line @typescript-eslint/no-explicit-any
        const client = OpenFeature.getClient();
        // Other changes (a decision re-rendered) may be announced too: wait for the one naming the slot.
        const changed = new Promise<string[]>((resolve) =>
          client.addHandler(ProviderEvents.ConfigurationChanged, (event: { flagsChanged?: string[] }) => {
            if (client.getStringDetails('promo', 'fallback').flagMetadata.explanation !== undefined)
              resolve(event.flagsChanged ?? []);
          }),
        );
        const first = client.getStringDetails('promo', 'fallback').flagMetadata.explanation as unknown;
        const flags = await changed;
        return { first, flags, text: client.getStringDetails('promo', 'fallback').flagMetadata.explanation as unknown };
      });
      expect(explanation.first).toBeUndefined();
      expect(explanation.flags).toEqual(['promo']);
      expect(typeof explanation.text).toBe('string');
      expect(String(explanation.text)).toMatch(/campaign|spring/i);
      await context.close();
    });

    it('hooks see each evaluation; a context change keeps the answers, which come from the device', async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      await openWithProvider(page, '?utm_campaign=spring-sale');
      const seen = await page.evaluate(async () => {
        const { OpenFeature } = (window as never as { __of: any }).__of; // eslint-disable-line @typescript-eslint/no-explicit-any
        const after: string[] = [];
        OpenFeature.addHooks({
          after: (hook: { flagKey: string }, result: { value: string; reason: string }) =>
            void after.push(`${hook.flagKey}=${result.value}/${result.reason}`),
        });
        const before = OpenFeature.getClient().getStringValue('promo', 'fallback') as string;
        await OpenFeature.setContext({ targetingKey: 'someone-else', language: 'zh-Hant' });
        const afterContext = OpenFeature.getClient().getStringValue('promo', 'fallback') as string;
        OpenFeature.clearHooks();
        return { after, before, afterContext, status: OpenFeature.getClient().providerStatus as string };
      });
      expect(seen).toEqual({
        after: ['promo=spring/TARGETING_MATCH', 'promo=spring/TARGETING_MATCH'],
        before: 'spring',
        afterContext: 'spring',
        status: 'READY',
      });
      await context.close();
    });

    it('a consent change is a configuration change, and track() is counted as a Candor conversion', async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      await openWithProvider(page, '?utm_campaign=spring-sale');
      const site = await stack.t.storage.getSiteByKey(stack.t.siteKey);
      const signup = async () =>
        (await stack.t.storage.listAggregates(site!.id, 'promo-spring')).find(
          (cell) => cell.variantId === 'spring' && cell.metricId === 'signup',
        );
      const before = await signup();
      const exposure = page.waitForResponse((response) => response.url().endsWith('/v1/sites/shop/reports'));
      const changed = await page.evaluate(async () => {
        const w = window as never as { __of: any; candor: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
        const event = new Promise<boolean>((resolve) =>
          w.__of.OpenFeature.addHandler(w.__of.ProviderEvents.ConfigurationChanged, () => resolve(true)),
        );
        await w.candor.consent.set({ personalization: true, measurement: true });
        return event;
      });
      expect(changed).toBe(true);
      expect((await exposure).status()).toBe(200);
      const conversion = page.waitForResponse((response) => response.url().endsWith('/v1/sites/shop/reports'));
      await page.evaluate(() => {
        const { OpenFeature } = (window as never as { __of: any }).__of; // eslint-disable-line @typescript-eslint/no-explicit-any
        OpenFeature.getClient().track('signup', { value: 1 });
        window.dispatchEvent(new Event('pagehide'));
      });
      expect((await conversion).status()).toBe(200);
      const after = await signup();
      expect((after?.sum ?? 0) - (before?.sum ?? 0)).toBe(1);
      await context.close();
    });
  },
);
