// Issue 16 item 4 through the dashboard: a marketer places the demo's "role", "team size" and
// "industry" questions after three sections of the demo page without code, sets the site's
// question limits to one a page view and three a visit, and publishes. A visitor on /demo/ is asked
// nothing before a consent choice; after granting personalization the placed question appears right
// after its element, never more than one on a page view and never more than three in the visit.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdk } from '../packages/sdk/build/build-sdk.js';
import { loadConfig, startServer, type RunningServer } from '@candor/server';
import { createAdmin } from '@candor/server/testing';
import { artifact, browserAvailable, launch, newContext, SKIP_REASON } from './support/browser.js';
import { buildDashboardInto } from './support/dashboard.js';

const available = browserAvailable();
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
// `npm run screenshots` saves the placement editor to docs/screenshots/ for docs/page-changes.md.
const SHOTS = process.env['CANDOR_SCREENSHOTS'] === '1' ? join(ROOT, 'docs', 'screenshots') : undefined;
const EMAIL = 'placer@example.com';
const PASSWORD = 'a long passphrase for placing questions';
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

beforeAll(async () => {
  if (!available) return;
  const temp = mkdtempSync(join(tmpdir(), 'candor-placements-ui-'));
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
  await createAdmin(server.context, EMAIL, 'owner', PASSWORD);
  browser = await launch();
  admin = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  admin.setDefaultTimeout(20_000);
  page = await admin.newPage();
}, 180_000);

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  await server?.stop();
  delete process.env['CANDOR_DASHBOARD_DIR'];
  delete process.env['CANDOR_SDK_DIR'];
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const screen = (path: string) => page.goto(`${server.url}/admin${path}`);

async function signIn(): Promise<void> {
  await screen('/');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
}

/** Creates one placement through the editor and waits until it is saved at its own URL. */
async function place(id: string, field: string, selector: string): Promise<void> {
  await screen('/sites/demo/placements/new');
  await page.getByLabel('Id', { exact: true }).fill(id);
  await page.getByLabel('Field to ask for', { exact: true }).selectOption(field);
  await page.getByLabel('Element (CSS selector)', { exact: true }).fill(selector);
  await page.getByLabel('Position', { exact: true }).selectOption('after');
  await page.getByRole('button', { name: 'Add a page pattern' }).click();
  await page.getByLabel('Pattern 1', { exact: true }).fill('/demo/**');
  await page.getByText('No findings').first().waitFor();
  if (SHOTS !== undefined && id === 'a-role') {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'placement-editor.png') });
  }
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(new RegExp(`/placements/${id}$`));
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

describe.skipIf(!available)(`questions placed from the dashboard: ${available ? 'Chromium' : SKIP_REASON}`, () => {
  it(
    'a marketer places questions and sets limits; a visitor sees them at their position only after a choice, within the limits',
    { timeout: 180_000 },
    async () => {
      await signIn();

      // A page pattern the server would refuse is shown beside its input, and nothing is saved.
      await screen('/sites/demo/placements/new');
      await page.getByLabel('Id', { exact: true }).fill('bad');
      await page.getByLabel('Field to ask for', { exact: true }).selectOption('role');
      await page.getByLabel('Element (CSS selector)', { exact: true }).fill('#features');
      await page.getByRole('button', { name: 'Add a page pattern' }).click();
      await page.getByLabel('Pattern 1', { exact: true }).fill('demo');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('.field-error', { hasText: 'a path pattern starts with /' }).waitFor();
      expect(page.url()).toMatch(/\/placements\/new$/);

      // Drafts are published in id order: "a-role" is the first the SDK considers.
      await place('a-role', 'role', '#features');
      await place('b-team', 'teamSize', '#customers');
      await place('c-industry', 'industry', '#plans');

      // Limits: out of bounds is refused beside the input; then one a page view and three a visit
      // (not the default two, so the visitor's count proves the setting reached the snapshot).
      await screen('/sites/demo/settings');
      const perPage = page.getByLabel('Questions per page view (0–3)');
      const perVisit = page.getByLabel('Questions per visit (0–10)');
      expect(await perPage.inputValue()).toBe('1');
      expect(await perVisit.inputValue()).toBe('2');
      await perPage.fill('4');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('.field-error').first().waitFor();
      await perPage.fill('1');
      await perVisit.fill('3');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.locator('.field-error').count()).toBe(0);
      await page.reload();
      await expect.poll(() => perVisit.inputValue()).toBe('3');

      await screen('/sites/demo/publish');
      await page.getByTestId('diff').getByText('a-role').first().waitFor();
      for (const box of await page.getByRole('checkbox', { name: /I have read this and accept it/ }).all())
        await box.check();
      const publish = page.getByRole('button', { name: 'Publish', exact: true });
      await expect.poll(() => publish.isEnabled()).toBe(true);
      await publish.click();
      await page.getByText(/Published version \d+\./).waitFor();
      await page.screenshot({ path: artifact('placements-ui-publish.png'), fullPage: true });

      const visitor = await newContext(browser, { viewport: { width: 1280, height: 860 } });
      const demo = await visitor.newPage();
      await demo.goto(`${server.url}/demo/`);
      const prompt = demo.locator('.candor-prompt');
      await prompt.waitFor();
      const placed = demo.locator('[data-candor-placement]');
      // Before any choice: nothing asked, nothing counted.
      expect(await placed.count()).toBe(0);
      expect(await demo.evaluate(() => sessionStorage.getItem('candor.demo.placed'))).toBeNull();
      await prompt.locator('input[name="personalization"]').check();
      await prompt.locator('[data-candor-action="save"]').click();
      await prompt.waitFor({ state: 'detached' });

      // Right after #features, holding the role question; the team-size one waits (one a page view).
      await expect
        .poll(() => demo.locator('#features + [data-candor-placement="a-role"] [data-candor-question="role"]').count())
        .toBe(1);
      expect(await placed.count()).toBe(1);
      await demo.screenshot({ path: artifact('placements-ui-visitor.png'), fullPage: true });

      // Every further page view in the visit shows at most one, and the visit three in all.
      let shown = 1;
      for (let view = 0; view < 4; view += 1) {
        await demo.reload();
        await demo.locator('[data-candor-slot="hero"]').waitFor();
        await demo.waitForTimeout(1_000);
        const here = await placed.count();
        expect(here).toBeLessThanOrEqual(1);
        shown += here;
      }
      expect(shown).toBe(3);
      expect(await demo.evaluate(() => sessionStorage.getItem('candor.demo.placed'))).toBe('3');
      await visitor.close();
    },
  );
});
