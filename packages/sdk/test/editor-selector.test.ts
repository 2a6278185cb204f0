// The visual editor's selector proposal, in real Chromium (selectors are only meaningful against a
// real selector engine): on random pages, a proposal that is not flagged fragile selects exactly the
// element it was made for; ids and data-* attributes win over structure; and every fragile proposal
// says so. Plus the head's `#candor-editor=` check, which decides whether the bundle loads at all.
import { build } from 'esbuild';
import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, SKIP_REASON } from '../../../test-support/chromium.js';
import { editorToken } from '../src/editor/editor-hash.js';
import { SDK_DIR } from '../build/build-sdk.js';

const available = browserAvailable();
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!available) return;
  const bundled = await build({
    stdin: {
      contents:
        "import { proposeSelector } from './src/editor/selector.ts'; Object.assign(window, { proposeSelector });",
      resolveDir: SDK_DIR,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  browser = await launch();
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ content: bundled.outputFiles[0]?.text ?? '' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Proposal {
  selector: string;
  matches: number;
  fragile: boolean;
  /** Whether the selector's only match is the element itself. */
  exact: boolean;
}

/** Renders `html` into the body and proposes a selector for every element in it. */
async function proposeAll(html: string): Promise<Proposal[]> {
  return page.evaluate((markup) => {
    document.body.innerHTML = markup;
    const propose = (window as unknown as { proposeSelector: (element: Element) => Omit<Proposal, 'exact'> })
      .proposeSelector;
    return Array.from(document.body.querySelectorAll('*')).map((element) => {
      const proposal = propose(element);
      const found = document.querySelectorAll(proposal.selector);
      return { ...proposal, exact: found.length === 1 && found[0] === element };
    });
  }, html);
}

// Random pages: nested elements with, now and then, an id, a data-* attribute or a class, often
// repeating (duplicate ids and data values are what real pages get wrong).
const tag = fc.constantFrom('div', 'p', 'span', 'section', 'a', 'li');
const attribute = fc.oneof(
  fc.constant(''),
  fc.constantFrom('a', 'b', 'hero', 'x-1').map((id) => ` id="${id}"`),
  fc.constantFrom('promo', 'cta', '').map((value) => ` data-test="${value}"`),
  fc.constantFrom('btn', 'card').map((name) => ` class="${name}"`),
);
const element = (children: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(tag, attribute, children).map(([name, attrs, inner]) => `<${name}${attrs}>${inner || 'text'}</${name}>`);
const leaf = element(fc.constant(''));
const branch = element(fc.array(leaf, { maxLength: 3 }).map((items) => items.join('')));
const tree = element(fc.array(fc.oneof(leaf, branch), { maxLength: 3 }).map((items) => items.join('')));

describe.skipIf(!available)(
  `editor selector proposal: ${available ? 'Chromium' : SKIP_REASON}`,
  { timeout: 120_000 },
  () => {
    it('a proposal not flagged fragile selects exactly its element; a fragile one says why', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(tree, { minLength: 1, maxLength: 4 }), async (trees) => {
          for (const proposal of await proposeAll(trees.join(''))) {
            if (!proposal.fragile) expect(proposal.exact, proposal.selector).toBe(true);
            expect(proposal.fragile).toBe(proposal.matches !== 1 || proposal.selector.includes(':nth-'));
            // Structure alone never picks the wrong element: a unique match is the element itself.
            if (proposal.matches === 1) expect(proposal.exact, proposal.selector).toBe(true);
          }
        }),
        { numRuns: 60 },
      );
    });

    it('prefers a unique id, then a data-* attribute, then an anchored path', async () => {
      const [byId, byData, byPath] = await proposeAll(
        '<h1 id="headline">A</h1><p data-promo="spring">B</p><p>C</p>',
      ).then((all) => all);
      expect(byId).toMatchObject({ selector: '#headline', fragile: false });
      expect(byData).toMatchObject({ selector: 'p[data-promo="spring"]', fragile: false });
      expect(byPath).toMatchObject({ selector: 'body > p:nth-of-type(2)', fragile: true, matches: 1 });
    });

    it('skips generated ids and anchors a path at the nearest named ancestor', async () => {
      const proposals = await proposeAll('<div id="main"><ul><li>a</li><li id="r1234567">b</li></ul></div>');
      expect(proposals[3]).toMatchObject({ selector: '#main > ul > li:nth-of-type(2)', matches: 1 });
    });
  },
);

describe('the head’s #candor-editor check', () => {
  const token = (claims: object, signature = 'c2ln'): string =>
    `ce1.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  it('accepts a well-formed token whose claimed expiry is ahead, and nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 0, max: 2e12 }), (exp, now) => {
        const value = token({ exp });
        expect(editorToken(`#candor-editor=${value}`, now)).toBe(exp > now ? value : undefined);
      }),
    );
    for (const hash of [
      '',
      '#candor-editor=',
      '#candor-editor=ce1.x',
      '#candor-editor=ce1.!!.sig',
      `#other=${token({ exp: 9e12 })}`,
    ])
      expect(editorToken(hash, 0), hash).toBeUndefined();
  });
});
