// Issue 6, "the newcomer's first minute": the real server started the way `npm start` starts it, on a
// fresh SQLite directory, seeds the demo; Chromium opens /demo as a first-time visitor would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdk } from '../packages/sdk/build/build-sdk.js';
import { loadConfig } from '@candor/server';
import { startServer, type RunningServer } from '@candor/server';
import { artifact, browserAvailable, launch, newContext, SKIP_REASON } from './support/browser.js';

const available = browserAvailable();
const dirs: string[] = [];
let server: RunningServer;
let banner = '';
let demoUrl = '';
let browser: Browser;

const sink = (append: (text: string) => void): Writable =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      append(chunk.toString('utf8'));
      done();
    },
  });

beforeAll(async () => {
  if (!available) return;
  const sdkDir = mkdtempSync(join(tmpdir(), 'candor-sdk-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-demo-e2e-'));
  dirs.push(sdkDir, dataDir);
  await buildSdk(sdkDir);
  process.env['CANDOR_SDK_DIR'] = sdkDir;
  const config = loadConfig({
    PORT: '0',
    CANDOR_DATA_DIR: dataDir,
    CANDOR_SCRYPT_LOG_N: '14',
    CANDOR_RETENTION_MINUTES: '0',
    CANDOR_RATE_LIMIT: '10000',
    LOG_LEVEL: 'warn',
  });
  server = await startServer(
    config,
    sink((text) => (banner += text)),
    sink(() => undefined),
  );
  // The URL a newcomer reads in the start banner.
  demoUrl = /demo site:\s+(\S+)/.exec(banner)?.[1] ?? '';
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Opens a demo page and waits until Candor has decided its hero slot; records CSP violations and page errors. */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
  const problems: string[] = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.warn(`csp: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  page.on('console', (message) => {
    if (message.text().startsWith('csp:')) problems.push(message.text());
  });
  await page.goto(url);
  await page.waitForFunction(() =>
    document.querySelector('[data-candor-slot="hero"]')?.hasAttribute('data-candor-state'),
  );
  return { page, problems };
}

const heroHeading = (page: Page) => page.locator('[data-candor-slot="hero"] h1').textContent();

describe.skipIf(!available)(`demo: ${available ? 'Chromium' : SKIP_REASON}`, { timeout: 30_000 }, () => {
  it('a first visit: consent prompt, allow personalization, answer the role, the hero changes and explains itself', async () => {
    expect(demoUrl).toBe(`${server.url}/demo/`);
    const context = await newContext(browser);
    const { page, problems } = await open(context, demoUrl);
    expect(await heroHeading(page)).toBe('Projects that stay on track by themselves');

    const prompt = page.locator('.candor-prompt');
    await prompt.waitFor();
    expect(await prompt.locator('[data-candor-action="accept_all"]').isVisible()).toBe(true);
    expect(await prompt.locator('[data-candor-action="reject_all"]').isVisible()).toBe(true);
    expect(await prompt.textContent()).toContain('Trellis');
    await prompt.locator('input[name="personalization"]').check();
    await prompt.locator('[data-candor-action="save"]').click();
    await prompt.waitFor({ state: 'detached' });

    await page.locator('[data-demo-ask="role"]').click();
    const question = page.locator('#question-area [data-candor-question="role"]');
    await question.waitFor();
    expect(await question.textContent()).toContain('Trellis is used differently');
    await question.locator('input[value="developer"]').check();
    await question.locator('[data-candor-action="answer"]').click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-candor-slot="hero"] h1')?.textContent ===
        'Plans that update from your pull requests',
    );

    const why = page.locator('button[data-candor-why="hero"]');
    expect(await why.getAttribute('aria-label')).toBe('Why am I seeing this?');
    await why.click();
    const dialog = page.locator('[role="dialog"].candor-why');
    await dialog.waitFor();
    expect(await dialog.locator('[data-candor-part="reason"]').textContent()).toBe(
      "You're seeing this because you told us your role is Developer.",
    );
    expect(await dialog.locator('[data-candor-part="counterfactual"]').textContent()).toContain('standard version');
    await page.screenshot({ path: artifact('demo-personalized.png'), fullPage: true });

    // The trust badge and the page's own "Privacy choices" link are there, as a customer would place them.
    expect(await page.locator('[data-candor-badge] .candor-badge').count()).toBe(1);
    expect(await page.locator('a[data-candor-preferences]').count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a campaign link changes the banner with no consent at all', async () => {
    const context = await newContext(browser);
    const { page, problems } = await open(context, `${demoUrl}?utm_campaign=spring-launch`);
    await page.locator('.candor-prompt').waitFor();
    expect(await page.locator('[data-candor-slot="announcement"]').textContent()).toContain('Spring launch');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('zh-Hant renders: page, prompt and slots in Traditional Chinese', async () => {
    const context = await newContext(browser, { locale: 'zh-TW' });
    const { page, problems } = await open(context, `${demoUrl}zh-Hant/`);
    expect(await heroHeading(page)).toBe('專案自己就會保持在軌道上');
    const prompt = page.locator('.candor-prompt');
    await prompt.waitFor();
    expect(await prompt.getAttribute('lang')).toBe('zh-Hant');
    expect(await prompt.textContent()).toContain('個人化');
    // Polled: on a loaded machine the snapshot may outwait the anti-flicker timeout, and the slot
    // shows its standard text until the decision renders.
    await expect
      .poll(() => page.locator('[data-candor-slot="support-note"]').textContent())
      .toBe('台北團隊以中文提供支援，平日 9:00–18:00（GMT+8）。');
    // The chip's label is drawn by CSS from data-label, so the slot's own text stays the variant's.
    expect(await page.locator('button[data-candor-why="support-note"]').getAttribute('data-label')).toBe('為什麼？');
    await page.screenshot({ path: artifact('demo-zh-hant.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
