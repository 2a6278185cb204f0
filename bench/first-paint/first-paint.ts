// First paint as a visitor on a phone sees it: Chromium with a throttled network and CPU loads the
// demo page (a) with no tool, (b) with Candor's snippet, (c) with GrowthBook's script tag and its
// recommended anti-flicker setting doing the same personalization, and records first contentful
// paint and the time the personalized announcement is on screen, for a first and a repeat visit.
//
// The personalization is the demo's campaign banner: a visitor arriving from the spring launch link
// (`?utm_campaign=spring-launch`) sees the launch offer in the announcement slot. Candor decides it
// from the visit's context, so it needs no consent and no identifier; GrowthBook runs it as a visual
// experiment targeted on the same attribute with all of its traffic on the offer.
//
// All three pages come from one local origin that forwards Candor's paths to a compiled Candor
// server, so each pays the same network costs. Rounds rotate the order of the pages, so a busy
// machine slows all of them alike; the figures are medians over the rounds.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/build.js';
import { launch } from '../../test-support/chromium.js';

const ROUNDS = Number(process.env['BENCH_RUNS'] ?? 7);
const CANDOR_PORT = 8941;
const PAGE_PORT = 8942;
const LANDING = '?utm_campaign=spring-launch';
const OFFER = 'Spring launch: Timeline view is here, and new workspaces get three months of Business features free.';

/** A mid-range phone on a 4G connection (the throttling Lighthouse calls "slow 4G" on mobile). */
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;

type Tool = 'none' | 'candor' | 'growthbook';
type Visit = 'first' | 'repeat';
interface Timing {
  readonly fcp: number;
  readonly personalized: number | null;
}

async function startCandor(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['packages/server/dist/cli.js', 'start'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: String(CANDOR_PORT),
      CANDOR_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Visitors reach Candor through the page's origin, which the demo site then allows.
      CANDOR_PUBLIC_URL: `http://127.0.0.1:${PAGE_PORT}`,
    },
    stdio: 'ignore',
  });
  const started = Date.now();
  for (;;) {
    if (Date.now() - started > 60_000)
      throw new Error('Candor did not answer /readyz within 60 s; run `npm run build` first');
    const ready = await fetch(`http://127.0.0.1:${CANDOR_PORT}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return child;
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The demo page as each tool's customer would ship it (the demo's own interactivity script removed from all three). */
function pages(demoHtml: string): Record<Tool, string> {
  const withoutDemoScript = demoHtml.replace(/<script[^>]*src="\/demo\/demo\.js"[^>]*><\/script>/, '');
  const candorSnippet = /<script[^>]*src="\/sdk\/candor\.js"[\s\S]*?<\/script>/;
  if (!candorSnippet.test(withoutDemoScript)) throw new Error('the demo page no longer carries the Candor snippet');
  const none = withoutDemoScript.replace(candorSnippet, '');
  const growthbook = withoutDemoScript.replace(
    candorSnippet,
    `<script async data-client-key="sdk-bench" data-api-host="http://127.0.0.1:${PAGE_PORT}" data-anti-flicker="true" data-tracking="none" data-no-streaming="true" src="/growthbook/auto.min.js"></script>`,
  );
  return { none, candor: withoutDemoScript, growthbook };
}

/** GrowthBook's payload for the same personalization: a visual experiment, all traffic on the offer. */
const GROWTHBOOK_PAYLOAD = JSON.stringify({
  features: {},
  experiments: [
    {
      key: 'spring-launch-banner',
      changeId: 'spring-launch-banner',
      status: 'running',
      hashAttribute: 'id',
      condition: { utmCampaign: 'spring-launch' },
      coverage: 1,
      weights: [0, 1],
      variations: [
        {},
        {
          domMutations: [
            { selector: '[data-candor-slot="announcement"]', action: 'set', attribute: 'html', value: OFFER },
          ],
        },
      ],
    },
  ],
});

function servePages(html: Record<Tool, string>, growthbookScript: string): Server {
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(
      { host: '127.0.0.1', port: CANDOR_PORT, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const tool = /^\/(none|candor|growthbook)\/$/.exec(path)?.[1] as Tool | undefined;
    if (tool !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(html[tool]);
    } else if (path === '/growthbook/auto.min.js') {
      // Served like a CDN serves it: cacheable, so a repeat visit reads it from the browser's cache.
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=3600' });
      res.end(growthbookScript);
    } else if (path === '/api/features/sdk-bench') {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(GROWTHBOOK_PAYLOAD);
    } else {
      forward(req, res);
    }
  }).listen(PAGE_PORT, '127.0.0.1');
}

/** Marks the first frame on which the offer is in the announcement and nothing hides it. */
const WATCH_PERSONALIZED = `(() => {
  const check = () => {
    const slot = document.querySelector('[data-candor-slot="announcement"]');
    if (slot && slot.textContent.includes(${JSON.stringify(OFFER.slice(0, 30))})) {
      let node = slot;
      let shown = true;
      for (; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.opacity === '0' || style.visibility === 'hidden') shown = false;
      }
      if (shown) { window.__personalizedAt = performance.now(); return; }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function throttle(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return cdp;
}

// How long after the load event a late personalization still counts. GrowthBook's anti-flicker
// gives up after 3.5 s; Candor shows the standard content in an undecided slot after 800 ms and
// never swaps it later in the same view.
const SETTLE_MS = 4_000;

async function load(page: Page, tool: Tool): Promise<Timing> {
  await page.goto(`http://127.0.0.1:${PAGE_PORT}/${tool}/${LANDING}`, { waitUntil: 'load' });
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  if (tool !== 'none')
    await page.waitForFunction(() => '__personalizedAt' in window, null, { timeout: SETTLE_MS }).catch(() => undefined);
  return page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]!.startTime,
    personalized: (window as unknown as { __personalizedAt?: number }).__personalizedAt ?? null,
  }));
}

/** A first visit in a fresh profile, then a repeat visit to the same page in it. */
async function visitTwice(browser: Browser, tool: Tool): Promise<Record<Visit, Timing>> {
  const context = await browser.newContext();
  try {
    await context.addInitScript(WATCH_PERSONALIZED);
    const page = await context.newPage();
    await throttle(page);
    const first = await load(page, tool);
    const repeat = await load(page, tool);
    return { first, repeat };
  } finally {
    await context.close();
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-first-paint-'));
  const candor = await startCandor(dataDir);
  const demoHtml = await (await fetch(`http://127.0.0.1:${CANDOR_PORT}/demo/`)).text();
  // The bundle GrowthBook publishes for its script tag (its package exports do not list it).
  const growthbookMain = createRequire(import.meta.url).resolve('@growthbook/growthbook');
  const growthbookScript = readFileSync(join(dirname(growthbookMain), '..', 'bundles', 'auto.min.js'), 'utf8');
  const server = servePages(pages(demoHtml), growthbookScript);
  // Each visitor is a fresh browser context (an empty profile); the launch uses the machine's flags.
  const browser = await launch();
  const tools: Tool[] = ['none', 'candor', 'growthbook'];
  const samples = new Map<string, number[]>();
  const missed = new Map<string, number>();
  const add = (key: string, value: number | null) => {
    if (value !== null) samples.set(key, [...(samples.get(key) ?? []), value]);
    else missed.set(key, (missed.get(key) ?? 0) + 1);
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = tools.map((_, index) => tools[(index + round) % tools.length] as Tool);
      for (const tool of order) {
        const timings = await visitTwice(browser, tool);
        for (const visit of ['first', 'repeat'] as const) {
          add(`${tool}/${visit}/fcp`, timings[visit].fcp);
          add(`${tool}/${visit}/personalized`, timings[visit].personalized);
        }
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
    }
  } finally {
    await browser.close();
    server.close();
    candor.kill('SIGTERM');
  }
  rmSync(dataDir, { recursive: true, force: true });

  const ms = (key: string) => median(samples.get(key) ?? [Number.NaN]);
  console.log(
    `# First paint, ${ROUNDS} rounds, network ${NETWORK.latency} ms RTT / 1.6 Mbps, CPU ${CPU_SLOWDOWN}x slower`,
  );
  console.log(
    '| page | visit | FCP (median ms) | FCP ÷ no tool | personalized paint (median ms) | visits personalized |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const visit of ['first', 'repeat'] as const) {
    for (const tool of tools) {
      const fcp = ms(`${tool}/${visit}/fcp`);
      const ratio = fcp / ms(`none/${visit}/fcp`);
      const key = `${tool}/${visit}/personalized`;
      const shown = samples.get(key)?.length ?? 0;
      const personalized = tool === 'none' || shown === 0 ? '—' : ms(key).toFixed(0);
      const share = tool === 'none' ? '—' : `${shown}/${shown + (missed.get(key) ?? 0)}`;
      console.log(`| ${tool} | ${visit} | ${fcp.toFixed(0)} | ${ratio.toFixed(2)} | ${personalized} | ${share} |`);
    }
  }
}

await main();
