// Issue 16 items 2 and 6, in Debian Chromium against the real server: visual-editor page changes
// (every op) are in place before the first paint of a cached visit, XSS in them never runs, they
// are undone when consent is withdrawn, and a split-URL test redirects before paint with the query
// carried over, no loop, and a landing page whose "Why?" says why the visitor is there.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from '../support/browser.js';
import { AUDIENCES, EXPERIENCES } from '../support/fixtures.js';
import { NONCE, startStack, type Stack } from '../support/stack.js';

const available = browserAvailable();
const PATIENT = 'data-timeout="15000"';
const both = (text: string) => ({ en: text, 'zh-Hant': text });
const XSS_HTML = '<strong>Bold</strong> lead<img src="/x.png" onerror="window.__xss=1"><script>window.__xss=2</script>';

const CHANGES_BODY = `<h1 id="headline">Original headline</h1>
<p id="lead">Original lead</p>
<a id="link" href="/old">Link</a>
<div class="promo">Original promo</div>
<ul><li id="first">First</li><li id="second">Second</li></ul>
<img id="pic" src="/changes.html?old" alt="Old picture">`;

/** An experiment (so measurement consent decides whether it runs) with one arm of page changes. */
const CHANGES_EXPERIENCE = {
  id: 'editor-changes',
  name: 'Editor changes',
  kind: 'experiment',
  audiences: [],
  variants: [
    {
      id: 'changed',
      name: 'Changed page',
      content: {
        'page:editor-changes': {
          type: 'changes',
          changes: [
            // First, so the "Why?" must skip it: a chip cannot sit beside <body>.
            { op: 'attribute', selector: 'body', name: 'data-theme', value: 'changed' },
            { op: 'text', selector: '#headline', text: both('New headline') },
            { op: 'html', selector: '#lead', html: both(XSS_HTML) },
            { op: 'attribute', selector: '#link', name: 'href', value: '/new' },
            { op: 'hide', selector: '.promo' },
            {
              op: 'insert',
              selector: '#headline',
              position: 'after',
              html: both('<em>Inserted</em><script>window.__xss=4</script>'),
            },
            { op: 'move', selector: '#second', target: '#first', position: 'before' },
            { op: 'image', selector: '#pic', src: '/changes.html?new', alt: both('New picture') },
          ],
        },
      },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'editor-changes',
  goals: ['signup'],
  pages: [
    { type: 'path', pattern: '/changes.html' },
    { type: 'path', pattern: '/changes-zh.html' },
  ],
};

/** Everyone, no consent needed: a text change on the element the React ticker replaces every 16 ms. */
const TICKER_EXPERIENCE = {
  id: 'ticker-change',
  name: 'Ticker change',
  kind: 'personalization',
  audiences: [],
  variants: [
    {
      id: 'changed',
      name: 'Changed ticker',
      content: {
        'page:ticker-change': {
          type: 'changes',
          changes: [{ op: 'text', selector: '#ticker', text: both('Changed ticker') }],
        },
      },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'ticker-change',
  goals: ['signup'],
  pages: [{ type: 'path', pattern: '/ticker.html' }],
};

const SPLIT_EXPERIENCE = {
  id: 'split',
  name: 'New landing page',
  kind: 'personalization',
  audiences: [],
  variants: [
    {
      id: 'landing',
      name: 'New landing page',
      content: { 'page:split': { type: 'redirect', to: '/landing.html', carryQuery: true } },
    },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'split',
  goals: ['signup'],
  pages: [{ type: 'path', pattern: '/split.html' }],
};

/** Before any page script: every animation frame (a paint opportunity) records what is visible. */
const PAINT_RECORDER = `(() => {
  const frames = JSON.parse(sessionStorage.getItem('painted') || '[]');
  const frame = () => {
    const body = document.body;
    if (body) {
      const headline = document.getElementById('headline');
      frames.push({
        path: location.pathname,
        bodyVisible: getComputedStyle(body).visibility === 'visible',
        headline: headline && getComputedStyle(headline).visibility === 'visible' ? headline.textContent : null,
        text: body.innerText.slice(0, 200),
      });
      sessionStorage.setItem('painted', JSON.stringify(frames));
    }
    if (frames.length < 400) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

interface Painted {
  readonly path: string;
  readonly bodyVisible: boolean;
  readonly headline: string | null;
  readonly text: string;
}

type CandorWindow = {
  candor: {
    ready: Promise<void>;
    decide(slot: string): { variant: { id: string } | null } | undefined;
    explain(slot: string): Promise<{ text: { title: string; mainReason: string } } | undefined>;
    consent: { set(choices: Record<string, boolean>): Promise<void> };
  };
  __xss?: number;
};

let stack: Stack;
let browser: Browser;

/** Two questions placed on /placed.html without code; the site's default limits allow one per page view, two per visit. */
async function publishPlacements(): Promise<void> {
  const base = `/v1/admin/sites/${stack.t.siteKey}`;
  const send = async (method: 'PUT' | 'POST', url: string, payload: object) => {
    const response = await stack.t.app.inject({ method, url, payload, headers: stack.t.as.editor.headers });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.body}`);
    return response.json() as unknown;
  };
  const pages = [{ type: 'path', pattern: '/placed.html' }];
  await send('PUT', `${base}/drafts/placements/ask-role`, {
    id: 'ask-role',
    field: 'role',
    selector: '#plans',
    position: 'after',
    pages,
  });
  await send('PUT', `${base}/drafts/placements/ask-company`, {
    id: 'ask-company',
    field: 'company',
    selector: '#faq',
    position: 'before',
    pages,
  });
  const lint = (await send('POST', `${base}/lint`, {})) as { findings: { fingerprint: string; severity: string }[] };
  const acknowledge = lint.findings.filter((f) => f.severity === 'warning').map((f) => f.fingerprint);
  await send('POST', `${base}/publish`, { acknowledge });
}

beforeAll(async () => {
  if (!available) return;
  stack = await startStack({
    audiences: AUDIENCES,
    experiences: [...EXPERIENCES, CHANGES_EXPERIENCE, TICKER_EXPERIENCE, SPLIT_EXPERIENCE],
  });
  stack.setPage('index', { attributes: PATIENT });
  stack.setPage('changes', { attributes: PATIENT, body: CHANGES_BODY });
  stack.setPage('changes-zh', { lang: 'zh-Hant', attributes: PATIENT, body: CHANGES_BODY });
  stack.setPage('split', { attributes: PATIENT, body: '<h1>Original split page</h1>' });
  stack.setPage('landing', { attributes: PATIENT, body: '<h1>Landing page</h1>' });
  const outdir = mkdtempSync(join(tmpdir(), 'candor-ticker-'));
  await build({
    entryPoints: { ticker: join(dirname(fileURLToPath(import.meta.url)), 'react-ticker.ts') },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outdir,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  stack.setPage('ticker-app', {
    raw: { contentType: 'text/javascript; charset=utf-8', body: readFileSync(join(outdir, 'ticker.js')) },
  });
  await publishPlacements();
  stack.setPage('placed', { attributes: PATIENT, body: '<div id="plans">Plans</div><div id="faq">FAQ</div>' });
  stack.setPage('ticker', {
    attributes: PATIENT,
    body: `<div id="root"></div><script type="module" nonce="${NONCE}" src="/ticker-app.html"></script>`,
  });
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const ready = (page: Page) => page.evaluate(() => (window as never as CandorWindow).candor.ready);
const painted = async (page: Page): Promise<Painted[]> =>
  JSON.parse((await page.evaluate(() => sessionStorage.getItem('painted'))) ?? '[]') as Painted[];

/** A visitor who accepted everything on a first visit: the snapshot is cached on the device. */
async function returningVisitor(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(stack.url('index'));
  await ready(page);
  await page.locator('.candor-prompt [data-candor-action="accept_all"]').click();
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('candor.shop.snapshot')), { timeout: 30_000 })
    .toContain('editor-changes');
  // The server issues the visitor's id with the choice: experiments enrol from then on.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('candor.shop.visitor'))).toBeTruthy();
  await context.addInitScript(PAINT_RECORDER);
  return { context, page };
}

describe.skipIf(!available)(
  `browser, page changes: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 120_000 },
  () => {
    it('applies every op before the first paint of a cached visit, runs no XSS, and undoes it all on withdrawal', async () => {
      const { context, page } = await returningVisitor();
      await page.goto(stack.url('changes'));
      await ready(page);
      await expect.poll(() => page.locator('#headline').textContent()).toBe('New headline');
      const frames = (await painted(page)).filter((frame) => frame.path === '/changes.html');
      expect(frames.length).toBeGreaterThan(0);
      // No painted frame ever showed the page's original headline.
      expect(frames.filter((frame) => frame.headline !== null).map((frame) => frame.headline)).not.toContain(
        'Original headline',
      );

      expect(await page.locator('#lead').innerHTML()).toBe('<strong>Bold</strong> lead<img src="/x.png">');
      expect(await page.locator('#link').getAttribute('href')).toBe('/new');
      expect(await page.locator('body').getAttribute('data-theme')).toBe('changed');
      expect(await page.locator('.promo').isVisible()).toBe(false);
      expect(await page.locator('[data-candor-inserted]').innerHTML()).toBe('<em>Inserted</em>');
      expect(await page.locator('li').allTextContents()).toEqual(['Second', 'First']);
      expect(await page.locator('#pic').getAttribute('src')).toBe('/changes.html?new');
      expect(await page.locator('#pic').getAttribute('alt')).toBe('New picture');
      await page.locator('#link').click({ trial: true });
      expect(await page.evaluate(() => (window as never as CandorWindow).__xss)).toBeUndefined();

      const why = await page.evaluate(() => (window as never as CandorWindow).candor.explain('page:editor-changes'));
      // One arm, no holdout: everyone in the experiment sees it, and the sentence says so.
      expect(why?.text.mainReason).toMatch(/^Everyone sees this version\./);

      // Withdrawing measurement leaves the experiment: the page is exactly as it was served.
      await page.evaluate(() => (window as never as CandorWindow).candor.consent.set({}));
      await expect.poll(() => page.locator('#headline').textContent()).toBe('Original headline');
      expect(await page.locator('#lead').textContent()).toBe('Original lead');
      expect(await page.locator('#link').getAttribute('href')).toBe('/old');
      expect(await page.locator('body').getAttribute('data-theme')).toBeNull();
      expect(await page.locator('.promo').isVisible()).toBe(true);
      expect(await page.locator('[data-candor-inserted]').count()).toBe(0);
      expect(await page.locator('li').allTextContents()).toEqual(['First', 'Second']);
      expect(await page.locator('#pic').getAttribute('src')).toBe('/changes.html?old');
      expect(await page.locator('#pic').getAttribute('alt')).toBe('Old picture');
      await context.close();
    });

    it('gives up within budget on an element a React app replaces every 16 ms, and the page stays responsive', async () => {
      const context = await newContext(browser);
      await context.addInitScript(
        'window.__candorErrors = []; window.candorConfig = { onError: (error) => window.__candorErrors.push(error.code) };',
      );
      const page = await context.newPage();
      await page.goto(stack.url('ticker'));
      await ready(page);
      await expect
        .poll(() => page.evaluate(() => (window as never as { __candorErrors: string[] }).__candorErrors), {
          timeout: 30_000,
        })
        .toContain('PAGE_CHANGE_GAVE_UP');
      // The page is the framework's again: its timer keeps firing and typing works.
      const ticks = () => page.evaluate(() => (window as never as { __ticks: number }).__ticks);
      const before = await ticks();
      await page.locator('#typing').fill('still responsive');
      expect(await page.locator('#typing').inputValue()).toBe('still responsive');
      await expect.poll(ticks).toBeGreaterThan(before + 10);
      expect(await page.locator('#ticker').textContent()).toMatch(/^Tick \d+$/);
      const gaveUp = await page.evaluate(() => (window as never as { __candorErrors: string[] }).__candorErrors);
      expect(gaveUp.filter((code) => code === 'PAGE_CHANGE_GAVE_UP')).toHaveLength(1);
      await context.close();
    });

    it('shows a placed question next to its element only after a choice, within the limits per page and per visit', async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      await page.goto(stack.url('placed'));
      await ready(page);
      // Before any choice: nothing asked, nothing stored.
      expect(await page.locator('[data-candor-placement]').count()).toBe(0);
      expect(await page.evaluate(() => sessionStorage.getItem('candor.shop.placed'))).toBeNull();
      await page.locator('.candor-prompt [data-candor-action="accept_all"]').click();
      const placed = page.locator('[data-candor-placement]');
      await expect.poll(() => placed.count()).toBe(1);
      // The first placement in the snapshot (drafts are published in id order), right before its element,
      // holds the field's question UI; the second waits for another page view.
      await expect
        .poll(() =>
          page.locator('[data-candor-placement="ask-company"]:has(+ #faq) [data-candor-question="company"]').count(),
        )
        .toBe(1);
      expect(await page.evaluate(() => sessionStorage.getItem('candor.shop.placed'))).toBe('1');
      // A second page view in the visit may ask once more; a third asks nothing.
      await page.reload();
      await ready(page);
      await expect.poll(() => placed.count()).toBe(1);
      await page.reload();
      await ready(page);
      await page.waitForTimeout(500);
      expect(await placed.count()).toBe(0);
      expect(await page.evaluate(() => sessionStorage.getItem('candor.shop.placed'))).toBe('2');
      await context.close();
    });

    it('redirects a split-URL test before paint, carries the query, never loops, and the landing "Why?" says why', async () => {
      const { context, page } = await returningVisitor();
      await page.goto(stack.url('split', '?plan=pro'));
      await page.waitForURL(/landing\.html/);
      await ready(page);
      expect(new URL(page.url()).search).toBe('?plan=pro&candor_redirected=split');
      // Give a loop the time to show itself: the landing page stays.
      await page.waitForTimeout(500);
      expect(new URL(page.url()).pathname).toBe('/landing.html');
      const frames = await painted(page);
      expect(
        frames.some((frame) => frame.path === '/split.html' && frame.bodyVisible && frame.text.includes('Original')),
      ).toBe(false);
      const why = await page.evaluate(() => (window as never as CandorWindow).candor.explain('page:split'));
      expect(why?.text.mainReason).toMatch(/^You were sent to this page from the one you opened, as part of a test\./);
      await context.close();
    });

    for (const lang of ['en', 'zh-Hant'] as const) {
      it(`(${lang}) offers a keyboard-reachable "Why?" for a page change with no site code, removed with the changes on withdrawal`, async () => {
        const context = await newContext(browser);
        const page = await context.newPage();
        await page.goto(stack.url(lang === 'en' ? 'changes' : 'changes-zh'));
        await ready(page);
        const chip = page.locator('button.candor-why[data-candor-why="page:editor-changes"]');
        // Before a choice the experiment does not run: nothing changed, nothing to explain.
        expect(await page.locator('#headline').textContent()).toBe('Original headline');
        expect(await chip.count()).toBe(0);
        await page.locator('.candor-prompt [data-candor-action="accept_all"]').click();
        await expect.poll(() => page.locator('#headline').textContent(), { timeout: 30_000 }).toBe('New headline');
        // Right after the first change (the headline and what was inserted after it), in Candor's own wrapper.
        await expect
          .poll(() => page.locator('#headline + [data-candor-inserted] + [data-candor-page-why] > button').count())
          .toBe(1);
        expect(await chip.isVisible()).toBe(true);
        expect(await chip.getAttribute('aria-label')).toBe(
          lang === 'en' ? 'Why am I seeing this?' : '為什麼我會看到這個？',
        );
        expect(await chip.evaluate((b) => getComputedStyle(b, '::after').content)).toBe(
          lang === 'en' ? '"Why?"' : '"為什麼？"',
        );
        // The chip is no change's target: the page's other changes still hold beside it.
        expect(await page.locator('li').allTextContents()).toEqual(['Second', 'First']);
        expect(await page.locator('#lead').innerHTML()).toBe('<strong>Bold</strong> lead<img src="/x.png">');

        // Keyboard: focus and Enter open the same explanation candor.explain gives.
        await chip.focus();
        await page.keyboard.press('Enter');
        const dialog = page.locator('[role="dialog"].candor-why');
        await dialog.waitFor({ timeout: 30_000 });
        const expected = await page.evaluate(() =>
          (window as never as CandorWindow).candor.explain('page:editor-changes'),
        );
        expect(expected?.text.mainReason).toBeTruthy();
        expect(await dialog.locator('[data-candor-part="reason"]').textContent()).toBe(expected?.text.mainReason);
        expect(await dialog.textContent()).toContain(expected?.text.title);
        await page.keyboard.press('Escape');
        await expect.poll(() => dialog.count()).toBe(0);
        // A page that re-renders without the chip gets it back, still after the first change.
        await page.evaluate(() => document.querySelector('[data-candor-page-why]')?.remove());
        await expect
          .poll(() => page.locator('#headline + [data-candor-inserted] + [data-candor-page-why]').count())
          .toBe(1);

        // Withdrawing consent undoes the changes and takes their "Why?" with them.
        await page.evaluate(() => (window as never as CandorWindow).candor.consent.set({}));
        await expect.poll(() => page.locator('#headline').textContent()).toBe('Original headline');
        expect(await chip.count()).toBe(0);
        expect(await page.locator('[data-candor-inserted], [data-candor-page-why]').count()).toBe(0);
        await context.close();
      });
    }

    it('puts a "Why?" on a split-URL landing page, after its heading, explaining the redirect', async () => {
      const { context, page } = await returningVisitor();
      await page.goto(stack.url('split'));
      await page.waitForURL(/landing\.html/);
      await ready(page);
      const chip = page.locator('h1 + [data-candor-page-why] > button.candor-why[data-candor-why="page:split"]');
      await expect.poll(() => chip.count(), { timeout: 30_000 }).toBe(1);
      expect(await chip.getAttribute('aria-label')).toBe('Why am I seeing this?');
      await chip.focus();
      await page.keyboard.press('Enter');
      const dialog = page.locator('[role="dialog"].candor-why');
      await dialog.waitFor({ timeout: 30_000 });
      const expected = await page.evaluate(() => (window as never as CandorWindow).candor.explain('page:split'));
      expect(expected?.text.mainReason).toMatch(
        /^You were sent to this page from the one you opened, as part of a test\./,
      );
      expect(await dialog.locator('[data-candor-part="reason"]').textContent()).toBe(expected?.text.mainReason);
      // Opening the landing page directly claims nothing: no marker, no chip.
      await page.goto(stack.url('landing'));
      await ready(page);
      await page.waitForTimeout(500);
      expect(await page.locator('button.candor-why[data-candor-why="page:split"]').count()).toBe(0);
      await context.close();
    });
  },
);
