// Issue 6, the marketer's whole workflow against the seeded demo: through the dashboard in Chromium,
// create a field → an audience → an experience for the demo page's "customer-story" slot → preview it
// as a visitor (and read the explanation the preview promises) → publish; then open /demo/ as a
// visitor who grants personalization and answers the new question: the slot shows the new variant and
// "Why am I seeing this?" says what the preview promised. With CANDOR_SCREENSHOTS=1 (npm run
// screenshots) every main screen is also saved to docs/screenshots/ for the README's Tour.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdk } from '../packages/sdk/build/build-sdk.js';
import { loadConfig } from '@candor/server';
import { createAdmin } from '@candor/server/testing';
import { startServer, type RunningServer } from '@candor/server';
import { artifact, browserAvailable, launch, newContext, SKIP_REASON } from './support/browser.js';
import { buildDashboardInto } from './support/dashboard.js';

const available = browserAvailable();
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SHOTS = process.env['CANDOR_SCREENSHOTS'] === '1' ? join(ROOT, 'docs', 'screenshots') : undefined;
const EMAIL = 'marketer@example.com';
const PASSWORD = 'a long passphrase for the admin flow';
const dirs: string[] = [];
let server: RunningServer;
let browser: Browser;
let admin: BrowserContext;
let page: Page;

const silent = (): Writable =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

/** A screenshot for the Tour (docs/screenshots/) when asked for, else an artifact (gitignored). */
async function shot(target: Page, name: string, fullPage = false): Promise<void> {
  await target.waitForLoadState('networkidle');
  if (SHOTS === undefined) {
    await target.screenshot({ path: artifact(`admin-flow-${name}.png`), fullPage: true });
    return;
  }
  mkdirSync(SHOTS, { recursive: true });
  await target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

beforeAll(async () => {
  if (!available) return;
  const temp = mkdtempSync(join(tmpdir(), 'candor-admin-flow-'));
  dirs.push(temp);
  await buildDashboardInto(temp);
  await buildSdk(join(temp, 'sdk'));
  process.env['CANDOR_SDK_DIR'] = join(temp, 'sdk');
  const config = loadConfig({
    PORT: '0',
    CANDOR_DATA_DIR: join(temp, 'data'),
    CANDOR_SCRYPT_LOG_N: '14',
    CANDOR_RETENTION_MINUTES: '0',
    CANDOR_RATE_LIMIT: '10000',
    LOG_LEVEL: 'warn',
  });
  server = await startServer(config, silent(), silent());
  // A marketer with a password of their own (the start banner's one-time password must be changed first).
  await createAdmin(server.context, EMAIL, 'owner', PASSWORD);
  browser = await launch();
  admin = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  admin.setDefaultTimeout(15_000);
  page = await admin.newPage();
}, 120_000);

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  await server?.stop();
  delete process.env['CANDOR_DASHBOARD_DIR'];
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const screen = (path: string) => page.goto(`${server.url}/admin${path}`);

/** Signs the marketer in unless this context already is, so each test can run alone. */
async function signedIn(): Promise<void> {
  await screen('/');
  const email = page.getByLabel('Email');
  const sites = page.getByRole('heading', { name: 'Sites', level: 1 });
  await Promise.race([email.waitFor(), sites.waitFor()]);
  if (await sites.isVisible()) return;
  await email.fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await sites.waitFor();
}

describe.skipIf(!available)(
  `admin flow on the demo: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 60_000 },
  () => {
    it('signs in and finds the seeded demo site', async () => {
      await signedIn();
      await page.getByRole('heading', { name: 'Trellis' }).first().waitFor();
      await shot(page, 'sites');
    });

    // One test, because each step builds on the one before (the field, its audience, the experience,
    // its preview, the publish, the visitor's page): as separate tests they only passed in order.
    it(
      'a marketer creates a field, an audience and an experience, previews, publishes, and a visitor sees it with the promised explanation',
      { timeout: 150_000 },
      async () => {
        await signedIn();
        // Creates a declared field with a reason and a benefit.
        await screen('/sites/demo/fields/new');
        await page.getByLabel('Key', { exact: true }).fill('goal');
        await page.getByLabel('Label — English', { exact: true }).fill('reason for visiting');
        await page.getByLabel('Label — Traditional Chinese', { exact: true }).fill('您來這裡的目的');
        await page.getByLabel('Question — English', { exact: true }).fill('What brings you to Trellis?');
        await page.getByLabel('Question — Traditional Chinese', { exact: true }).fill('您為什麼來看 Trellis？');
        await page.getByLabel('Why we ask — English', { exact: true }).fill('To show the story closest to your move.');
        await page.getByLabel('Why we ask — Traditional Chinese', { exact: true }).fill('為了顯示最接近您情況的故事。');
        await page.getByLabel('What you get — English', { exact: true }).fill('A customer story that fits.');
        await page.getByLabel('What you get — Traditional Chinese', { exact: true }).fill('一個符合您需求的客戶故事。');
        for (const [index, [value, en, zh]] of [
          ['evaluate', 'Comparing tools', '比較工具'],
          ['migrate', 'Moving off spreadsheets', '從試算表搬過來'],
        ].entries()) {
          await page.getByRole('button', { name: 'Add an option' }).click();
          await page.getByLabel(`Value ${index + 1}`, { exact: true }).fill(value ?? '');
          await page.getByLabel(`English ${index + 1}`, { exact: true }).fill(en ?? '');
          await page.getByLabel(`Traditional Chinese ${index + 1}`, { exact: true }).fill(zh ?? '');
        }
        await page.getByRole('button', { name: 'Save' }).click();
        await page.waitForURL(/\/fields\/goal$/);
        await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

        // Builds an audience on it.
        await screen('/sites/demo/audiences/new');
        await page.getByLabel('Id', { exact: true }).fill('spreadsheet-movers');
        await page.getByLabel('Name', { exact: true }).fill('Moving off spreadsheets');
        await page.getByRole('button', { name: 'Add a condition' }).click();
        await page.getByLabel('Field 1', { exact: true }).selectOption('goal');
        await page.getByLabel('Operator 1', { exact: true }).selectOption('$eq');
        await page.getByLabel('Value 1', { exact: true }).selectOption('migrate');
        await page.getByText('No findings: this audience is fine to publish.').waitFor();
        await expect.poll(() => page.getByTestId('main-reason').textContent()).toContain('Moving off spreadsheets');
        await shot(page, 'audience-builder');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.waitForURL(/\/audiences\/spreadsheet-movers$/);

        // Creates an experience for the demo page's customer-story slot.
        await screen('/sites/demo/experiences/new');
        await page.getByLabel('Id', { exact: true }).fill('spreadsheet-story');
        await page.getByLabel('Name', { exact: true }).fill('Story for teams leaving spreadsheets');
        await page.getByLabel('Moving off spreadsheets (spreadsheet-movers)').check();
        await page.getByLabel('Name (Variant 1)', { exact: true }).fill('Spreadsheet story');
        await page.getByRole('button', { name: 'Add slot content' }).click();
        await page.getByLabel('Slot (Variant 1, 1)', { exact: true }).fill('customer-story');
        await page
          .getByLabel('English (Variant 1, 1)', { exact: true })
          .fill('"We moved 40 spreadsheets into Trellis in an afternoon." — Lena, operations lead');
        await page
          .getByLabel('Traditional Chinese (Variant 1, 1)', { exact: true })
          .fill('「我們一個下午就把 40 份試算表搬進了 Trellis。」— Lena，營運主管');
        await page.getByLabel('Started a free trial (signup)').first().check();
        await shot(page, 'experience-editor');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.waitForURL(/\/experiences\/spreadsheet-story$/);

        // Previews it as a visitor who answered, and reads the explanation it promises.
        await screen('/sites/demo/preview');
        await page.getByLabel('reason for visiting (goal)').selectOption('migrate');
        await page.getByLabel('Personalization (personalization)').check();
        const slot = page.getByRole('region', { name: 'Slot "customer-story"' });
        await expect.poll(() => slot.getByTestId('slot-customer-story').textContent()).toContain('Spreadsheet story');
        await expect.poll(() => slot.getByTestId('main-reason').textContent()).toContain('Moving off spreadsheets');
        // What the preview promises the visitor will read.
        const promised = (await slot.getByTestId('main-reason').textContent()) ?? '';
        await slot.scrollIntoViewIfNeeded();
        await shot(page, 'preview');

        // Publishes through the lint report.
        await screen('/sites/demo/publish');
        await page.getByTestId('diff').getByText('spreadsheet-story').first().waitFor();
        for (const box of await page.getByRole('checkbox', { name: /I have read this and accept it/ }).all())
          await box.check();
        const publish = page.getByRole('button', { name: 'Publish', exact: true });
        await expect.poll(() => publish.isEnabled()).toBe(true);
        await shot(page, 'publish');
        await publish.click();
        await page.getByText(/Published version \d+\./).waitFor();

        // The demo page shows the new variant to a visitor who grants personalization and answers, with the promised explanation.
        const visitor = await newContext(browser, { viewport: { width: 1280, height: 860 } });
        const demo = await visitor.newPage();
        await demo.goto(`${server.url}/demo/`);
        const prompt = demo.locator('.candor-prompt');
        await prompt.waitFor();
        await shot(demo, 'demo-consent-prompt');
        await prompt.locator('input[name="personalization"]').check();
        await prompt.locator('[data-candor-action="save"]').click();
        await prompt.waitFor({ state: 'detached' });
        // The site asks the new question where it wants (as the demo's own buttons do, through candor.ask).
        await demo.evaluate(() => {
          const area = document.querySelector('#question-area');
          void (
            window as unknown as { candor: { ask(field: string, into: Element | null): Promise<unknown> } }
          ).candor.ask('goal', area);
        });
        const question = demo.locator('[data-candor-question="goal"]');
        await question.waitFor();
        expect(await question.textContent()).toContain('To show the story closest to your move.');
        await question.locator('input[value="migrate"]').check();
        await question.locator('[data-candor-action="answer"]').click();
        const story = demo.locator('[data-candor-slot="customer-story"]');
        await expect.poll(() => story.textContent()).toContain('We moved 40 spreadsheets into Trellis');
        await demo.locator('button[data-candor-why="customer-story"]').click();
        const dialog = demo.locator('[role="dialog"].candor-why');
        await dialog.waitFor();
        expect(await dialog.locator('[data-candor-part="reason"]').textContent()).toBe(promised);
        await shot(demo, 'demo-why-popover');
        await demo.keyboard.press('Escape');
        await demo.locator('a[data-candor-preferences]').first().click();
        await demo.locator('[role="dialog"]').first().waitFor();
        await shot(demo, 'demo-preference-center');
        await visitor.close();
      },
    );

    it('site settings declare the site’s CMP as consent source; the snippet carries it, a bad map is refused', async () => {
      await signedIn();
      await screen('/sites/demo/settings');
      const source = page.getByLabel('Where visitors make their privacy choices');
      const map = page.getByLabel("The consent tool's categories and the purposes they count for");
      const save = page.getByRole('button', { name: 'Save', exact: true });
      await source.selectOption('klaro');
      await map.fill('{nope');
      await save.click();
      await page.locator('.field-error').first().waitFor();
      expect(await page.getByTestId('snippet').textContent()).not.toContain('data-consent-source');
      await map.fill('{"matomo":"measurement"}');
      await save.click();
      await expect
        .poll(() => page.getByTestId('snippet').textContent())
        .toContain(`data-consent-source="klaro" data-consent-map='{"matomo":["measurement"]}'`);
      await page.reload();
      expect(await source.inputValue()).toBe('klaro');
      expect(await map.inputValue()).toBe('{"matomo":"measurement"}');
      // Back to Candor's own prompt, so the demo's visitor flows keep theirs.
      await source.selectOption('');
      await map.fill('');
      await save.click();
      await expect.poll(() => page.getByTestId('snippet').textContent()).not.toContain('data-consent-source');
    });

    it('results and the privacy report show real visitors by default and the demo figures on request, marked', async () => {
      await signedIn();
      await screen('/sites/demo/results');
      await page.getByLabel('Experience', { exact: true }).selectOption('hero-developers');
      await page.getByLabel('Figures', { exact: true }).waitFor();
      expect(await page.getByTestId('demo-data').count()).toBe(0);
      await page.getByLabel('Figures', { exact: true }).selectOption('demo');
      await page.getByTestId('demo-data').waitFor();
      await expect.poll(() => page.getByTestId('verdict').textContent()).toMatch(/\w/);
      await shot(page, 'results', true);
      await screen('/sites/demo/privacy');
      await page.getByLabel('Figures', { exact: true }).selectOption('demo');
      await page.getByTestId('demo-data').waitFor();
      await expect.poll(() => page.getByTestId('trust-score').textContent()).toMatch(/\d+ \/ 100/);
      await page.getByRole('img', { name: /choices made in the last 30 days/ }).waitFor();
      await shot(page, 'privacy-report', true);
    });
  },
);
