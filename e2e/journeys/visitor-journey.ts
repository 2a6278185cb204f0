import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { expect } from 'vitest';
import { armFigures, reportToday, type AdminApi, type ReportDay } from '../support/admin-api.js';
import type { Banner } from '../support/candor-process.js';
import { newContext } from '../support/browser.js';
import {
  SEED,
  untrueClaims,
  variantHeading,
  type Lang,
  type SeenDecision,
  type SeenExplanation,
} from './demo-oracle.js';

/** The ways a visitor answers the consent prompt (and what they do with it later). */
export type ConsentPath =
  | 'accept_all'
  | 'reject_all'
  | 'personalization_only'
  | 'measurement_only'
  | 'gpc'
  | 'dnt'
  | 'withdraw_later'
  | 'erase';

/** Which purposes each path ends up granting while the visitor browses. */
const GRANTS: Record<ConsentPath, { readonly personalization: boolean; readonly measurement: boolean }> = {
  accept_all: { personalization: true, measurement: true },
  reject_all: { personalization: false, measurement: false },
  personalization_only: { personalization: true, measurement: false },
  measurement_only: { personalization: false, measurement: true },
  // Under GPC or DNT the visitor accepts what the prompt offers; profiling stays off (docs/privacy.md §5 B12).
  gpc: { personalization: false, measurement: true },
  dnt: { personalization: false, measurement: true },
  withdraw_later: { personalization: true, measurement: true },
  erase: { personalization: true, measurement: true },
};

// The demo page's own status lines (examples/demo/demo.js), by language.
/**
 * Clicks the demo's "Start a free trial" and, when the visitor granted measurement, waits for the
 * report that carries the conversion to be answered. The SDK sends a conversion (with whatever is
 * queued) on the click itself, while the page is alive; a journey that left or closed its browser
 * while that upload was still running could lose it (Chromium ends a closing context's requests,
 * and a request still uploading as the page goes was seen, rarely, to arrive without its body:
 * docs/reliability.md, "Reports sent as a page leaves"). What a journey proves is that the visit is
 * counted, so it waits for the answer.
 */
export async function convertOnDemo(page: Page, measured: boolean): Promise<void> {
  const converted = measured
    ? page.waitForResponse(
        (response) =>
          response.request().method() === 'POST' &&
          /\/v1\/sites\/demo\/reports$/.test(response.url()) &&
          (response.request().postData() ?? '').includes('"metric":"signup"'),
      )
    : undefined;
  await page.locator('[data-demo-convert="signup"]').click();
  if (converted !== undefined) expect((await converted).status(), 'the conversion report was accepted').toBe(200);
}

const PAGE_TEXT = {
  en: {
    notAllowed: 'Turn on Personalization in Privacy choices first',
    answered: 'Thanks! The page now fits your answer',
    signup: 'This is a demo site: no account was created.',
  },
  'zh-Hant': {
    notAllowed: '請先在「隱私選擇」中開啟「個人化」',
    answered: '謝謝！頁面已依您的回答調整',
    signup: '這是示範網站：沒有建立任何帳號。',
  },
} as const;

const STANDARD_HERO = {
  en: 'Projects that stay on track by themselves',
  'zh-Hant': '專案自己就會保持在軌道上',
} as const;

/** What a journey needs from its suite: a browser, the running server's banner and an admin session. */
export interface JourneyEnv {
  readonly browser: Browser;
  readonly banner: Banner;
  readonly admin: () => Promise<AdminApi>;
}

interface Figures {
  readonly arms: Map<string, Map<string, { n: number; conversions: number }>>;
  readonly today: ReportDay;
}

const EXPERIENCES = SEED.experiences.map((experience) => experience.id);

async function figures(api: AdminApi): Promise<Figures> {
  const arms = new Map<string, Map<string, { n: number; conversions: number }>>();
  for (const experience of EXPERIENCES)
    arms.set(experience, (await armFigures(api, 'demo', experience, 'signup')).arms);
  return { arms, today: await reportToday(api, 'demo') };
}

async function decisionOf(page: Page, slot: string): Promise<SeenDecision | undefined> {
  return page.evaluate((name) => {
    const candor = (window as unknown as { candor?: { decide(slot: string): unknown } }).candor;
    const decision = candor?.decide(name) as SeenDecision | undefined;
    if (decision === undefined) return undefined;
    return {
      slot: decision.slot,
      reason: decision.reason,
      kind: decision.kind,
      variant: decision.variant === null ? null : { id: decision.variant.id },
      experienceId: decision.experienceId,
      enrolled: decision.enrolled,
      segment: decision.segment ?? null,
      signals: decision.signals.map((signal) => ({ key: signal.key, value: signal.value })),
    };
  }, slot);
}

async function readWhy(page: Page, slot: string): Promise<SeenExplanation> {
  await page.locator(`button[data-candor-why="${slot}"]`).click();
  const dialog = page.locator('[role="dialog"].candor-why');
  await dialog.waitFor();
  const part = (name: string) => dialog.locator(`[data-candor-part="${name}"]`);
  const seen: SeenExplanation = {
    reason: (await part('reason').textContent()) ?? '',
    signals: await part('signals').locator('li').allTextContents(),
    counterfactual: (await part('counterfactual').textContent()) ?? '',
    all: (await dialog.textContent()) ?? '',
  };
  // Escape closes the topmost dialog only, and records nothing.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  return seen;
}

async function openDemo(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() =>
    document.querySelector('[data-candor-slot="hero"]')?.hasAttribute('data-candor-state'),
  );
  return page;
}

/**
 * What Candor told the page's `onError`, except a late snapshot: on a loaded machine the first visit
 * may outwait the anti-flicker timeout, which Candor reports correctly and then recovers from.
 */
async function candorErrors(page: Page): Promise<string[]> {
  const errors = await page.evaluate(() => (window as unknown as { __candorErrors?: string[] }).__candorErrors ?? []);
  return errors.filter((error) => !error.startsWith('SNAPSHOT_TIMEOUT'));
}

/**
 * One visitor, start to finish, as a person does it: open the demo, answer the consent prompt, answer
 * the role question, watch the page change, open "Why?" on every chip and hold each explanation to its
 * decision, start the free trial, leave; then read, as the admin, the results and the privacy report.
 */
export async function visitorJourney(env: JourneyEnv, path: ConsentPath, lang: Lang): Promise<void> {
  const grants = GRANTS[path];
  const api = await env.admin();
  const before = await figures(api);
  const signal = path === 'gpc' ? { 'Sec-GPC': '1' } : path === 'dnt' ? { DNT: '1' } : {};
  const context = await newContext(env.browser, {
    locale: lang === 'en' ? 'en-US' : 'zh-TW',
    extraHTTPHeaders: signal,
  });
  await context.addInitScript(
    ([gpc, dnt]) => {
      if (gpc) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
      if (dnt) Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });
      const errors: string[] = [];
      (window as unknown as { __candorErrors: string[] }).__candorErrors = errors;
      (window as unknown as { candorConfig: object }).candorConfig = {
        onError: (error: { code: string; message: string }) => errors.push(`${error.code}: ${error.message}`),
      };
    },
    [path === 'gpc', path === 'dnt'] as const,
  );
  const reports: Request[] = [];
  const opened: SeenDecision[] = [];
  const seen = new Map<string, SeenDecision>();
  // Slots above the fold: their exposure is counted as soon as the page shows them.
  const visible = ['hero', 'cta', 'social-proof'];
  let chips: string[] = [];
  try {
    context.on('request', (request) => {
      if (request.method() === 'POST' && /\/v1\/sites\/demo\/reports$/.test(request.url())) reports.push(request);
    });
    const demoUrl = lang === 'en' ? env.banner.demoUrl : `${env.banner.demoUrl}zh-Hant/`;
    const page = await openDemo(context, demoUrl);
    expect(await page.locator('[data-candor-slot="hero"] h1').textContent()).toBe(STANDARD_HERO[lang]);

    // The consent prompt, in the page's language.
    const prompt = page.locator('.candor-prompt');
    await prompt.waitFor();
    expect(await prompt.getAttribute('lang')).toBe(lang);
    const accept = prompt.locator('[data-candor-action="accept_all"]');
    if (path === 'gpc' || path === 'dnt') {
      expect(await prompt.locator(`[data-candor-signal="${path}"]`).count()).toBe(1);
      // The button says what a click grants: exactly the purposes it names are granted (issue 10, item 5).
      const label = (await accept.textContent()) ?? '';
      await accept.click();
      await prompt.waitFor({ state: 'detached' });
      const granted = await page.evaluate(
        () =>
          (
            window as unknown as { candor: { consent: { get(): { granted: Record<string, boolean> } } } }
          ).candor.consent.get().granted,
      );
      const names = await purposeNames(env.banner, lang);
      const generic = label === (lang === 'en' ? 'Accept all' : '全部接受');
      for (const [purpose, on] of Object.entries(granted)) {
        const name = names.get(purpose);
        if (name === undefined || purpose === 'essential' || purpose === 'contextual') continue;
        const promised = generic || label.includes(name);
        expect(promised, `"${label}" and the grant of ${purpose} (${String(on)}) disagree`).toBe(on);
      }
    } else if (path === 'reject_all') {
      await prompt.locator('[data-candor-action="reject_all"]').click();
    } else if (path === 'personalization_only' || path === 'measurement_only') {
      await prompt
        .locator(`input[name="${path === 'personalization_only' ? 'personalization' : 'measurement'}"]`)
        .check();
      await prompt.locator('[data-candor-action="save"]').click();
    } else {
      await accept.click();
    }
    await prompt.waitFor({ state: 'detached' });
    const granted = await page.evaluate(
      () =>
        (
          window as unknown as { candor: { consent: { get(): { granted: Record<string, boolean> } } } }
        ).candor.consent.get().granted,
    );
    expect({
      personalization: granted['personalization'] === true,
      measurement: granted['measurement'] === true,
    }).toEqual(grants);
    // The first choice asks the server for the visitor's id; until it answers, the device is enrolled
    // in nothing. A person reads the page for longer than that takes; the journey waits for it, so
    // each "Why?" below is held to the decision the SDK itself used (a conversion in that very moment
    // is e2e/measurement.test.ts's case).
    if (grants.measurement) await expect.poll(async () => (await decisionOf(page, 'cta'))?.enrolled).toBe(true);

    // Answer the role question: the page changes (or says why it cannot use the answer).
    await page.locator('[data-demo-ask="role"]').click();
    const status = page.locator('#question-status');
    if (grants.personalization) {
      const question = page.locator('#question-area [data-candor-question="role"]');
      await question.waitFor();
      await question.locator('input[value="developer"]').check();
      await question.locator('[data-candor-action="answer"]').click();
      await expect.poll(() => status.textContent()).toContain(PAGE_TEXT[lang].answered);
      const hero = await decisionOf(page, 'hero');
      expect(hero?.experienceId).toBe('hero-developers');
      expect(hero?.signals.map((s) => s.key)).toEqual(['role']);
      // Shown the developer headline, or held out (a 10% holdout: a share of eligible visitors see the standard).
      const expected =
        hero?.variant === null
          ? STANDARD_HERO[lang]
          : variantHeading('hero-developers', 'developer-hero', 'hero', lang);
      await expect.poll(() => page.locator('[data-candor-slot="hero"] h1').textContent()).toBe(expected);
    } else {
      await expect.poll(() => status.textContent()).toContain(PAGE_TEXT[lang].notAllowed);
      expect((await decisionOf(page, 'hero'))?.variant).toBeNull();
      expect(await page.locator('[data-candor-slot="hero"] h1').textContent()).toBe(STANDARD_HERO[lang]);
    }

    // "Why?" on every chip, each explanation held to its decision.
    chips = await page
      .locator('button[data-candor-why]')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-candor-why') ?? ''));
    if (grants.personalization) expect(chips).toContain('hero');
    for (const slot of chips) {
      const decision = await decisionOf(page, slot);
      expect(decision, `a "Why?" chip on ${slot} without a decision`).toBeDefined();
      if (decision === undefined) continue;
      const explanation = await readWhy(page, slot);
      expect(untrueClaims(decision, explanation, lang), `"Why?" on ${slot}`).toEqual([]);
      opened.push(decision);
    }
    expect(await page.locator('.candor-prompt').count(), 'Escape on "Why?" reopened or answered the prompt').toBe(0);

    // Convert: the demo's goal is the free trial.
    for (const slot of [...visible, ...chips]) {
      const decision = await decisionOf(page, slot);
      if (decision !== undefined) seen.set(slot, decision);
    }
    await convertOnDemo(page, grants.measurement);
    await expect.poll(() => page.locator('#conversion-status').textContent()).toContain(PAGE_TEXT[lang].signup);

    expect((await candorErrors(page)).join('\n'), 'Candor reported problems to onError').toBe('');
    // Leave the site: what is queued is sent as the page goes.
    await page.goto('about:blank');
    // A report sent while the page unloads may end without a response Playwright can read; every
    // answer it can read must be an acceptance.
    const answers = await Promise.all(reports.map((request) => request.response()));
    const statuses = answers.flatMap((answer) => (answer === null ? [] : [answer.status()]));
    expect(statuses, 'every report the visitor sent was accepted').toEqual(statuses.map(() => 200));

    if (path === 'withdraw_later') {
      // Come back later and withdraw from the page's own "Privacy choices" link: the page returns to
      // the standard version, and a second trial start is counted nowhere.
      const back = await openDemo(context, demoUrl);
      await back.locator('a[data-candor-preferences]').first().click();
      await back.locator('[data-candor-action="withdraw"]').click();
      await expect.poll(async () => (await decisionOf(back, 'hero'))?.variant ?? null).toBeNull();
      await expect.poll(() => back.locator('[data-candor-slot="hero"] h1').textContent()).toBe(STANDARD_HERO[lang]);
      await back.keyboard.press('Escape');
      const sentBefore = reports.length;
      await back.locator('[data-demo-convert="signup"]').click();
      await back.goto('about:blank');
      expect(reports.length, 'a report was sent after the visitor withdrew consent').toBe(sentBefore);
    }
    if (path === 'erase') {
      // Come back and delete everything from "Privacy choices": nothing about the visitor is left.
      // The choice is on the privacy report before the erasure (which may take the record with it).
      await expect
        .poll(
          async () =>
            ((await reportToday(api, 'demo')).actions['accept_all'] ?? 0) - (before.today.actions['accept_all'] ?? 0),
        )
        .toBe(1);
      const back = await openDemo(context, demoUrl);
      await back.locator('a[data-candor-preferences]').first().click();
      await back.locator('[data-candor-action="delete-all"]').click();
      await expect.poll(async () => (await decisionOf(back, 'hero'))?.signals.length ?? 0).toBe(0);
      const stored = await back.evaluate(() => JSON.stringify({ ...localStorage }));
      expect(stored, 'the role answer is still on the device after "Delete everything"').not.toContain('developer');
    }
  } finally {
    // Closing the browser context also ends any retry a failed journey left behind, so no late report
    // lands in the next journey's figures.
    await context.close();
  }

  // What this visitor must have added: one exposure and one trial start in the arm each seen,
  // enrolled experience showed them; one "Why?" open per measured experience they asked about.
  const counted = new Map<string, string>();
  for (const [slot, decision] of seen) {
    if (!grants.measurement || !decision.enrolled || decision.experienceId === null) continue;
    if (counted.has(decision.experienceId) || (!visible.includes(slot) && !chips.includes(slot))) continue;
    counted.set(decision.experienceId, decision.variant?.id ?? '$holdout');
  }
  const opens = new Set(opened.filter((d) => d.enrolled && d.experienceId !== null).map((d) => d.experienceId)).size;
  const change = (after: Figures) => ({
    cells: Object.fromEntries(
      [...counted].map(([experience, arm]) => {
        const was = before.arms.get(experience)?.get(arm) ?? { n: 0, conversions: 0 };
        const now = after.arms.get(experience)?.get(arm) ?? { n: 0, conversions: 0 };
        return [`${experience}/${arm}`, { n: now.n - was.n, conversions: now.conversions - was.conversions }];
      }),
    ),
    explanationOpens: after.today.explanationOpens - before.today.explanationOpens,
  });
  let after: Figures;
  if (grants.measurement) {
    expect(counted.size, 'the visitor was enrolled in no experience they saw').toBeGreaterThan(0);
    // Reports sent as the page went may still be in flight: wait until the figures show them.
    await expect
      .poll(async () => change(await figures(api)), {
        timeout: 20_000,
        message:
          'the results count this visitor\'s exposure and trial start once per experience, and their "Why?" opens',
      })
      .toEqual({
        cells: Object.fromEntries(
          [...counted].map(([experience, arm]) => [`${experience}/${arm}`, { n: 1, conversions: 1 }]),
        ),
        explanationOpens: opens,
      });
    after = await figures(api);
  } else {
    // Without measurement nothing left the device, and no result moved.
    expect(reports.map((request) => request.url())).toEqual([]);
    after = await figures(api);
    for (const experience of EXPERIENCES)
      expect(Object.fromEntries(after.arms.get(experience) ?? []), `results of ${experience}`).toEqual(
        Object.fromEntries(before.arms.get(experience) ?? []),
      );
    expect(change(after).explanationOpens, '"Why?" opens of a visitor who refused measurement').toBe(0);
  }

  // The privacy report reflects the choices the visitor made.
  const delta = (key: keyof ReportDay): number => (after.today[key] as number) - (before.today[key] as number);
  const action = (name: string): number => (after.today.actions[name] ?? 0) - (before.today.actions[name] ?? 0);
  const expectedAction =
    path === 'reject_all'
      ? 'reject_all'
      : path === 'personalization_only' || path === 'measurement_only'
        ? 'custom'
        : 'accept_all';
  if (path !== 'erase')
    expect(action(expectedAction), `the privacy report counts the visitor's ${expectedAction}`).toBe(1);
  if (path === 'withdraw_later') expect(action('withdraw'), 'the privacy report counts the withdrawal').toBe(1);
  if (path === 'gpc') expect(delta('gpc'), 'every choice made under GPC is counted with GPC').toBe(delta('choices'));
}

async function purposeNames(banner: Banner, lang: Lang): Promise<Map<string, string>> {
  const response = await fetch(`${banner.url}/v1/sites/demo/snapshot`);
  const snapshot = (await response.json()) as { purposes: { id: string; name: Record<Lang, string> }[] };
  return new Map(snapshot.purposes.map((purpose) => [purpose.id, purpose.name[lang]]));
}
