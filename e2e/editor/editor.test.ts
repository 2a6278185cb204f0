// Issue 16 item 1, the visual editor end to end in Chromium: a marketer signs in to the dashboard,
// presses "Edit on page" for a variant, and the site's page — served from ANOTHER origin with a strict
// CSP, carrying only the ordinary Candor script tag — opens with the overlay. They select the
// headline, change its text (and see the lint finding for sensitive text), hide the promo, try an
// XSS payload as HTML, and save: the draft variant holds the changes, sanitised. A mangled or
// expired link and an ordinary visit never fetch candor-editor.js. A published variant's insert
// appears once under the editor: the editor shows the variant, the head leaves the page original. With CANDOR_SCREENSHOTS=1 the
// editor is saved to docs/screenshots/ for the README's Tour.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '@candor/server/testing';
import { artifact, browserAvailable, launch, SKIP_REASON } from '../support/browser.js';
import { EXPERIENCES } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';
import { buildDashboardInto } from '../support/dashboard.js';

const available = browserAvailable();
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SHOTS = process.env['CANDOR_SCREENSHOTS'] === '1' ? join(ROOT, 'docs', 'screenshots') : undefined;
const SENSITIVE = 'Struggling with depression? Talk to us';
const XSS = '<img src="x" onerror="window.__xss = 1">Safe <b>bold</b><script>window.__xss = 2</script>';
const dirs: string[] = [];
let stack: Stack;
let browser: Browser;
let admin: BrowserContext;

const LANDING = `<main>
<h1 id="headline">Welcome to the shop</h1>
<p data-promo>Spring sale: 20% off</p>
<section><p>Our story</p><p>Our team</p></section>
</main>`;

/** Published for everyone on /inserted (no consent needed): one insert after the headline. */
const INSERT_EXPERIENCE = {
  id: 'insert-note',
  name: 'Inserted note',
  kind: 'personalization',
  audiences: [],
  variants: [
    {
      id: 'note',
      name: 'Note',
      content: {
        'page:insert-note': {
          type: 'changes',
          changes: [
            {
              op: 'insert',
              selector: '#headline',
              position: 'after',
              html: { en: '<em>Inserted note</em>', 'zh-Hant': '<em>Inserted note</em>' },
            },
          ],
        },
      },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'insert-note',
  goals: ['signup'],
  pages: [{ type: 'path', pattern: '/inserted.html' }],
};

/** How many inserted notes the page itself holds (the overlay's own text lives in its shadow root). */
const insertedNotes = (page: Page): Promise<number> =>
  page.evaluate(
    () => Array.from(document.querySelectorAll('main em')).filter((el) => el.textContent === 'Inserted note').length,
  );

async function shot(target: Page, name: string): Promise<void> {
  if (SHOTS === undefined) {
    await target.screenshot({ path: artifact(`editor-${name}.png`) });
    return;
  }
  mkdirSync(SHOTS, { recursive: true });
  await target.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Every URL a page requests, so a test can prove the editor bundle was never fetched. */
function requested(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

beforeAll(async () => {
  if (!available) return;
  const temp = mkdtempSync(join(tmpdir(), 'candor-editor-e2e-'));
  dirs.push(temp);
  await buildDashboardInto(temp);
  stack = await startStack({ experiences: [...EXPERIENCES, INSERT_EXPERIENCE] });
  stack.setPage('landing', { body: LANDING });
  stack.setPage('inserted', { body: LANDING });
  browser = await launch();
  admin = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  admin.setDefaultTimeout(30_000);
  // The overlay's shadow root is closed so the page's scripts cannot reach in; the test opens it
  // (for this context only) so Playwright's locators can, as a marketer's eyes and mouse do.
  await admin.addInitScript(() => {
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init: ShadowRootInit) {
      return attach.call(this, { ...init, mode: 'open' });
    };
  });
}, 180_000);

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  await stack?.close();
  delete process.env['CANDOR_DASHBOARD_DIR'];
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)(`visual editor: ${available ? 'Chromium' : SKIP_REASON}`, { timeout: 120_000 }, () => {
  it('a marketer opens the editor from the dashboard on another origin, edits, sees lint, and saves to the draft', async () => {
    const dashboard = await admin.newPage();
    await dashboard.goto(`${stack.api}/admin/`);
    await dashboard.getByLabel('Email').fill('editor@example.com');
    await dashboard.getByLabel('Password').fill(TEST_PASSWORD);
    await dashboard.getByRole('button', { name: 'Sign in' }).click();
    await dashboard.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
    await dashboard.goto(`${stack.api}/admin/sites/${stack.t.siteKey}/experiences/hero-dev`);
    await dashboard.getByLabel('Page to open').fill(`${stack.pages}/landing`);
    const [editorPage] = await Promise.all([
      admin.waitForEvent('page'),
      dashboard.getByRole('button', { name: 'Edit on page: Developer hero' }).click(),
    ]);
    await editorPage.waitForURL(`${stack.pages}/landing`);
    const panel = editorPage.locator('[data-candor-editor]');
    await panel.getByText('Candor visual editor').waitFor();
    // The token left the address bar as soon as the editor read it.
    expect(editorPage.url()).toBe(`${stack.pages}/landing`);

    // Candor's own consent prompt still works under the editor (its clicks are not selections).
    await editorPage.getByRole('button', { name: 'Reject all' }).click();
    await editorPage.locator('#headline').click();
    await expect.poll(() => panel.locator('[data-selector]').textContent()).toBe('#headline');
    await panel.locator('[data-action="text"]').click();
    await panel.getByLabel('Content (en)').fill(SENSITIVE);
    await panel.getByLabel('Content (zh-Hant)').fill('憂鬱症？和我們談談');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => editorPage.locator('#headline').textContent()).toBe(SENSITIVE);
    await panel.locator('[data-finding="variant_sensitive_content"]').waitFor();

    await editorPage.locator('[data-promo]').click();
    await panel.locator('[data-action="hide"]').click();
    await expect.poll(() => editorPage.locator('[data-promo]').isVisible()).toBe(false);

    // A structural pick is flagged as fragile.
    await editorPage.getByText('Our team').click();
    await panel.getByText(/depends on where the element sits/).waitFor();
    await panel.locator('[data-action="html"]').click();
    await panel.getByLabel('Content (en)').fill(XSS);
    await panel.getByLabel('Content (zh-Hant)').fill('安全');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => editorPage.getByText('bold').count()).toBe(1);
    await shot(editorPage, 'visual-editor');

    // Preview as a developer who allowed personalization: the exact "Why?" text that visitor would get.
    await panel.getByText('Preview as a visitor').click();
    await panel.getByLabel('role', { exact: true }).fill('developer');
    await panel.getByLabel('Allows “Personalization”').check();
    await panel.getByRole('button', { name: 'Show what this visitor sees' }).click();
    await panel.locator('[data-why]').getByText(/role/).first().waitFor();

    await panel.locator('[data-save]').click();
    await panel.getByText('Saved to the draft').waitFor();
    expect(await editorPage.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

    // The preview shows, line for line, the explanation core gives that visitor for the saved draft.
    const shown = await panel.locator('[data-why] p').allTextContents();
    const minted = await stack.t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${stack.t.siteKey}/editor-tokens`,
      headers: stack.t.as.editor.headers,
      payload: { origin: stack.pages },
    });
    const editorHeaders = { authorization: `Bearer ${minted.json<{ token: string }>().token}`, origin: stack.pages };
    const purposes = (
      await stack.t.app.inject({ method: 'GET', url: '/v1/editor/session', headers: editorHeaders })
    ).json<{ purposes: { id: string }[] }>().purposes;
    const preview = await stack.t.app.inject({
      method: 'POST',
      url: '/v1/editor/preview',
      headers: editorHeaders,
      payload: {
        visitor: {
          values: { role: 'developer' },
          // As the editor sends it: every purpose listed, only the one ticked granted.
          granted: Object.fromEntries(purposes.map(({ id }) => [id, id === 'personalization'])),
          gpc: false,
          language: 'en',
          visitorId: 'editor-preview',
        },
      },
    });
    const row = preview
      .json<{ slot: string; why: { text: Record<string, unknown> } }[]>()
      .find((entry) => entry.slot === 'page:hero-dev');
    const expected = Object.values(row?.why.text ?? {})
      .flat()
      .filter((line): line is string => typeof line === 'string');
    expect(expected.length).toBeGreaterThan(0);
    expect(shown).toEqual(expected);

    const draft = await stack.t.app.inject({
      method: 'GET',
      url: `/v1/admin/sites/${stack.t.siteKey}/drafts/experiences/hero-dev`,
      headers: stack.t.as.viewer.headers,
    });
    const variant = draft.json<{ variants: { id: string; content: Record<string, { changes?: unknown[] }> }[] }>()
      .variants[0];
    const changes = variant?.content['page:hero-dev']?.changes as Record<string, unknown>[];
    expect(changes.slice(0, 2)).toEqual([
      { op: 'text', selector: '#headline', text: { en: SENSITIVE, 'zh-Hant': '憂鬱症？和我們談談' } },
      { op: 'hide', selector: 'p[data-promo]' },
    ]);
    const stored = JSON.stringify(changes[2]);
    expect(changes[2]).toMatchObject({ op: 'html' });
    expect(stored).toContain('<b>bold</b>');
    expect(stored).not.toMatch(/onerror|<script/);

    // Opened again, the editor starts from what is saved (a save replaces the list), shown on the page.
    const again = await admin.newPage();
    await again.goto(`${stack.pages}/landing#candor-editor=${minted.json<{ token: string }>().token}`);
    const reopened = again.locator('[data-candor-editor]');
    await reopened.getByText('Pending changes (3)').waitFor();
    await expect.poll(() => again.locator('#headline').textContent()).toBe(SENSITIVE);
    await again.close();
    await editorPage.close();
    await dashboard.close();
  });

  it("opening the editor on a page with a published insert shows it once: the editor's copy, not the head's too", async () => {
    // An ordinary visit gets the published insert from the head.
    const visitor = await browser.newContext();
    const visit = await visitor.newPage();
    await visit.goto(stack.url('inserted'));
    await expect.poll(() => insertedNotes(visit)).toBe(1);
    await visitor.close();

    const minted = await stack.t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${stack.t.siteKey}/editor-tokens`,
      headers: stack.t.as.editor.headers,
      payload: { origin: stack.pages, experience: 'insert-note', variant: 'note' },
    });
    expect(minted.statusCode).toBe(200);
    const page = await admin.newPage();
    await page.goto(`${stack.url('inserted')}#candor-editor=${minted.json<{ token: string }>().token}`);
    const panel = page.locator('[data-candor-editor]');
    await panel.getByText('Pending changes (1)').waitFor();
    await expect.poll(() => insertedNotes(page)).toBe(1);
    // Once the head has decided and rendered, a second copy would be there: give it every chance.
    await page.evaluate(() => (window as unknown as { candor: { ready: Promise<void> } }).candor.ready);
    await page.waitForLoadState('networkidle');
    expect(await insertedNotes(page)).toBe(1);
    await page.close();
  });

  it('a mangled or expired editor link shows no editor and never fetches candor-editor.js', async () => {
    const claims = (exp: number): string =>
      Buffer.from(JSON.stringify({ site: 'shop', user: 'usr_x', origin: stack.pages, exp })).toString('base64url');
    for (const hash of ['#candor-editor=not-a-token', `#candor-editor=ce1.${claims(Date.now() - 60_000)}.c2ln`]) {
      const page = await admin.newPage();
      const urls = requested(page);
      await page.goto(`${stack.pages}/landing${hash}`);
      await page.waitForLoadState('networkidle');
      expect(
        urls.some((url) => url.includes('candor-editor.js')),
        hash,
      ).toBe(false);
      expect(await page.locator('[data-candor-editor]').count()).toBe(0);
      await page.close();
    }
  });

  it("an ordinary visitor's page never requests candor-editor.js", async () => {
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    const urls = requested(page);
    await page.goto(stack.url('landing'));
    await page.waitForLoadState('networkidle');
    expect(urls.some((url) => url.includes('/sdk/candor.js'))).toBe(true);
    expect(urls.some((url) => url.includes('candor-editor.js'))).toBe(false);
    await visitor.close();
  });
});
