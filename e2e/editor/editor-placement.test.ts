// Issue 16 item 4 from the visual editor: a marketer opens the editor on the site's page with a
// minted token link, selects the headline, chooses "Ask a question here" for the role field after
// it (on this page's path, the default) and saves. The placement is a draft; once published through
// the admin API, a visitor is asked nothing before a consent choice, and after granting
// personalization sees the role question right after the headline, within the site's limits.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

const available = browserAvailable();
const PAGE = `<main>
<h1 id="headline">Welcome to the shop</h1>
<p id="story">Our story</p>
</main>`;
let stack: Stack;
let browser: Browser;
let admin: BrowserContext;

beforeAll(async () => {
  if (!available) return;
  stack = await startStack();
  stack.setPage('ask', { body: PAGE });
  browser = await launch();
  admin = await newContext(browser, { viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  admin.setDefaultTimeout(60_000);
  // As in the editor suite: the overlay's closed shadow root is opened for this context only, so
  // Playwright's locators can reach what the marketer sees.
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
});

describe.skipIf(!available)(
  `question placed from the visual editor: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 120_000 },
  () => {
    it('a marketer places a question after an element; once published a visitor sees it there only after a choice', async () => {
      const base = `/v1/admin/sites/${stack.t.siteKey}`;
      const minted = await stack.t.app.inject({
        method: 'POST',
        url: `${base}/editor-tokens`,
        headers: stack.t.as.editor.headers,
        payload: { origin: stack.pages },
      });
      expect(minted.statusCode).toBe(200);
      const editorPage = await admin.newPage();
      await editorPage.goto(`${stack.url('ask')}#candor-editor=${minted.json<{ token: string }>().token}`);
      const panel = editorPage.locator('[data-candor-editor]');
      await panel.getByText('Candor visual editor').waitFor();
      await panel.getByText('Questions on this page (0)').waitFor();
      await editorPage.getByRole('button', { name: 'Reject all' }).click();

      await editorPage.locator('#headline').click();
      await expect.poll(() => panel.locator('[data-selector]').textContent()).toBe('#headline');
      await panel.locator('[data-action="ask"]').click();
      // Only fields with a question are offered: the campaign field (context, no question) is not.
      const options = await panel
        .getByLabel('Field to ask for')
        .locator('option')
        .evaluateAll((all) => all.map((option) => (option as HTMLOptionElement).value));
      expect(options.sort()).toEqual(['company', 'role']);
      await panel.getByLabel('Field to ask for').selectOption('role');
      await panel.getByLabel('Position').selectOption('after');
      expect(await panel.getByLabel('On pages matching (path pattern)').inputValue()).toBe('/ask.html');
      await panel.getByRole('button', { name: 'Save the question to the draft' }).click();
      await panel.getByText('Question saved to the draft').waitFor();
      await panel.getByText('Questions on this page (1)').waitFor();
      await panel.getByText('No findings.').waitFor();
      await editorPage.screenshot({ path: artifact('editor-placement.png') });

      // A second one, removed again from the panel's list: the draft keeps only the first.
      await editorPage.locator('#story').click();
      await panel.locator('[data-action="ask"]').click();
      await panel.getByLabel('Field to ask for').selectOption('company');
      await panel.getByLabel('Position').selectOption('before');
      await panel.getByRole('button', { name: 'Save the question to the draft' }).click();
      await panel.getByText('Questions on this page (2)').waitFor();
      await panel.locator('[data-placement]', { hasText: 'company' }).getByRole('button', { name: 'Remove' }).click();
      await panel.getByText('Questions on this page (1)').waitFor();
      await editorPage.close();

      const drafts = await stack.t.app.inject({
        method: 'GET',
        url: `${base}/drafts/placements`,
        headers: stack.t.as.viewer.headers,
      });
      const [placement, ...others] = drafts.json<{ id: string }[]>();
      expect(others).toEqual([]);
      expect(placement).toMatchObject({
        field: 'role',
        selector: '#headline',
        position: 'after',
        pages: [{ type: 'path', pattern: '/ask.html' }],
      });

      const lint = await stack.t.app.inject({
        method: 'POST',
        url: `${base}/lint`,
        headers: stack.t.as.editor.headers,
        payload: {},
      });
      const findings = lint.json<{ findings: { fingerprint: string; severity: string }[] }>().findings;
      const published = await stack.t.app.inject({
        method: 'POST',
        url: `${base}/publish`,
        headers: stack.t.as.editor.headers,
        payload: { acknowledge: findings.filter((f) => f.severity === 'warning').map((f) => f.fingerprint) },
      });
      expect(published.statusCode).toBe(201);

      const visitor = await newContext(browser, { viewport: { width: 1280, height: 860 } });
      const page = await visitor.newPage();
      await page.goto(stack.url('ask'));
      const prompt = page.locator('.candor-prompt');
      await prompt.waitFor();
      const placed = page.locator('[data-candor-placement]');
      // Before any choice nothing is asked.
      expect(await placed.count()).toBe(0);
      await prompt.locator('input[name="personalization"]').check();
      await prompt.locator('[data-candor-action="save"]').click();
      await prompt.waitFor({ state: 'detached' });
      const id = (placement as { id: string }).id;
      await expect
        .poll(() => page.locator(`#headline + [data-candor-placement="${id}"] [data-candor-question="role"]`).count())
        .toBe(1);
      expect(await placed.count()).toBe(1);
      await page.screenshot({ path: artifact('editor-placement-visitor.png') });
      await visitor.close();
    });
  },
);
