// The Candor OpenFeature web provider, driven only through OpenFeature's own API in Debian Chromium
// against the real server: evaluation details, hooks, events, context changes and track(), and an
// experiment measured from evaluations alone (an app rendering from the value has no slot element).
import { build } from 'esbuild';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { REPO_ROOT } from '../support/candor-process.js';
import { EXPERIENCES } from '../support/fixtures.js';
import { NONCE, startStack, type Stack } from '../support/stack.js';

const available = browserAvailable();

// An A/B test whose slot is on no page: the app renders it from the flag's value. It enrols only a
// visitor who allowed measurement (bucketing needs the server-issued visitor id).
const BANNER_TEST = {
  id: 'banner-test',
  name: 'Banner test',
  kind: 'experiment',
  audiences: [],
  variants: [
    {
      id: 'a',
      name: 'Shipping',
      content: { banner: { type: 'text', text: { en: 'Free shipping', 'zh-Hant': '免運' } } },
    },
    {
      id: 'b',
      name: 'Arrivals',
      content: { banner: { type: 'text', text: { en: 'New arrivals', 'zh-Hant': '新品' } } },
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
  stack = await startStack({ experiences: [...EXPERIENCES, BANNER_TEST] });
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
async function openWithProvider(page: Page, query: string, options: object = {}): Promise<void> {
  await page.goto(stack.url('index', query));
  await page.evaluate(async (providerOptions) => {
    const w = window as never as { __of: any; candor: unknown }; // eslint-disable-line @typescript-eslint/no-explicit-any
    await w.__of.OpenFeature.setProviderAndWait(new w.__of.CandorWebProvider(w.candor, providerOptions));
  }, options);
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

type Arm = 'a' | 'b';
type OfWindow = { __of: any; candor: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The A/B test's counts on the server: exposures (`n`) and signups (`sum`) per arm. */
const bannerCounts = async (): Promise<Record<Arm, { n: number; sum: number }>> => {
  const site = await stack.t.storage.getSiteByKey(stack.t.siteKey);
  const counts: Record<Arm, { n: number; sum: number }> = { a: { n: 0, sum: 0 }, b: { n: 0, sum: 0 } };
  for (const cell of await stack.t.storage.listAggregates(site!.id, 'banner-test'))
    if (cell.metricId === 'signup' && (cell.variantId === 'a' || cell.variantId === 'b'))
      counts[cell.variantId] = { n: cell.n, sum: cell.sum };
  return counts;
};

/** What a page sends: the A/B test's exposures and the conversions in its reports, and console complaints. */
function watch(page: Page): { exposures: unknown[]; conversions: unknown[]; reports: number; complaints: string[] } {
  const seen = { exposures: [] as unknown[], conversions: [] as unknown[], reports: 0, complaints: [] as string[] };
  page.on('request', (request) => {
    if (!request.url().endsWith('/reports')) return;
    seen.reports += 1;
    const body = request.postDataJSON() as { exposures?: { experience: string }[]; conversions?: unknown[] };
    seen.exposures.push(...(body.exposures ?? []).filter((event) => event.experience === 'banner-test'));
    seen.conversions.push(...(body.conversions ?? []));
  });
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') seen.complaints.push(message.text());
  });
  return seen;
}

/**
 * Evaluates the A/B test's flag as an app renders it, again and again, until the visitor is enrolled
 * (bucketing waits for the visitor id the server issues after the choice); answers the arm.
 */
async function evaluateUntilEnrolled(page: Page): Promise<Arm> {
  await page.waitForFunction(
    () =>
      (window as never as OfWindow).__of.OpenFeature.getClient().getStringDetails('banner', 'fallback').flagMetadata
        .enrolled === true,
    undefined,
    { timeout: 60_000 },
  );
  const arm = (await details(page, 'banner')).value;
  expect(['a', 'b']).toContain(arm);
  return arm as Arm;
}

/** OpenFeature's track(), then the page going away, so whatever is queued is sent. */
const trackSignupAndLeave = (page: Page) =>
  page.evaluate(() => {
    (window as never as OfWindow).__of.OpenFeature.getClient().track('signup', { value: 1 });
    window.dispatchEvent(new Event('pagehide'));
  });

const settled = async <T>(read: () => Promise<T>, expected: T): Promise<void> =>
  expect.poll(read, { timeout: 30_000, interval: 250 }).toEqual(expected);

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

    it(
      'an evaluated A/B flag is an exposure: after "Accept all", track() counts one exposure and one conversion for the arm',
      { timeout: 120_000 },
      async () => {
        const context = await newContext(browser);
        const page = await context.newPage();
        const sent = watch(page);
        const before = await bannerCounts();
        await openWithProvider(page, '');
        await page.locator('.candor-prompt [data-candor-action="accept_all"]').click();
        const arm = await evaluateUntilEnrolled(page);
        // An app evaluates again on every render: the device still counts the experience once.
        for (let i = 0; i < 3; i += 1) expect((await details(page, 'banner')).value).toBe(arm);
        await trackSignupAndLeave(page);
        const other: Arm = arm === 'a' ? 'b' : 'a';
        await settled(bannerCounts, {
          [arm]: { n: before[arm].n + 1, sum: before[arm].sum + 1 },
          [other]: before[other],
        } as Record<Arm, { n: number; sum: number }>);
        expect(sent.exposures).toEqual([{ experience: 'banner-test', variant: arm }]);
        expect(sent.complaints).toEqual([]);
        await context.close();
      },
    );

    it(
      'with measurement denied an evaluation reports nothing; granted later, exactly one exposure and conversion count',
      { timeout: 120_000 },
      async () => {
        const context = await newContext(browser);
        const page = await context.newPage();
        const sent = watch(page);
        const before = await bannerCounts();
        await openWithProvider(page, '');
        await page.locator('.candor-prompt [data-candor-action="reject_all"]').click();
        const denied = await details(page, 'banner');
        expect(denied.value).toBe('fallback');
        expect(denied.flagMetadata['enrolled']).toBe(false);
        // The SDK's own rule too: asking Candor directly to count the slot as seen counts nothing.
        expect(
          await page.evaluate(() => {
            const undo = (window as never as OfWindow).candor.expose('banner') as () => void;
            undo();
            return typeof undo;
          }),
        ).toBe('function');
        await trackSignupAndLeave(page);
        await page.waitForTimeout(1_000);
        expect(sent.reports).toBe(0);
        expect(await bannerCounts()).toEqual(before);
        // Nothing was kept for later either: granting measurement counts only what happens after it.
        await page.evaluate(() =>
          (window as never as OfWindow).candor.consent.set({ personalization: true, measurement: true }),
        );
        const arm = await evaluateUntilEnrolled(page);
        await trackSignupAndLeave(page);
        await settled(async () => (await bannerCounts())[arm], { n: before[arm].n + 1, sum: before[arm].sum + 1 });
        expect(sent.exposures).toEqual([{ experience: 'banner-test', variant: arm }]);
        expect(sent.complaints).toEqual([]);
        await context.close();
      },
    );

    it(
      'with exposeOnEvaluation off, an evaluation is no exposure until the app registers the element that shows it',
      { timeout: 120_000 },
      async () => {
        const context = await newContext(browser);
        const page = await context.newPage();
        const sent = watch(page);
        const before = await bannerCounts();
        await openWithProvider(page, '', { exposeOnEvaluation: false });
        await page.locator('.candor-prompt [data-candor-action="accept_all"]').click();
        const arm = await evaluateUntilEnrolled(page);
        // The consent choice's own reports may leave; none may carry the A/B test's exposure.
        await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
        await page.waitForTimeout(1_000);
        expect(sent.exposures).toEqual([]);
        expect(await bannerCounts()).toEqual(before);
        // The app shows the value in an element of its own and hands it to Candor.
        await page.evaluate((value) => {
          const w = window as never as OfWindow;
          const element = document.createElement('p');
          element.textContent = value;
          document.body.prepend(element);
          w.candor.expose('banner', element);
        }, arm);
        await settled(() => Promise.resolve(sent.exposures), [{ experience: 'banner-test', variant: arm }]);
        await trackSignupAndLeave(page);
        await settled(async () => (await bannerCounts())[arm], { n: before[arm].n + 1, sum: before[arm].sum + 1 });
        expect(sent.complaints).toEqual([]);
        await context.close();
      },
    );
  },
);
