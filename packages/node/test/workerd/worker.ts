// A Cloudflare Worker (module syntax) that personalizes a page with @candor/node. The workerd test
// bundles this file with esbuild and runs it in workerd without `nodejs_compat`; docs/integrations.md
// shows it as the edge start. Bindings: CANDOR_URL, SITE_KEY, PUBLIC_KEY (the site's JWK, as JSON).
import { createCandorClient, type CandorClient, type PublicJwk } from '@candor/node';

interface Env {
  readonly CANDOR_URL: string;
  readonly SITE_KEY: string;
  readonly PUBLIC_KEY: string;
}

// One client per isolate: the verified snapshot is kept between requests. It is created inside a
// request that awaits its first load: workerd drops a promise whose creating request has ended.
let candor: CandorClient | undefined;
let lastRefresh = 0;
const REFRESH_EVERY_MS = 30_000;
const clientFor = (env: Env): CandorClient =>
  (candor ??= createCandorClient({
    serverUrl: env.CANDOR_URL,
    siteKey: env.SITE_KEY,
    publicKey: JSON.parse(env.PUBLIC_KEY) as PublicJwk,
    // A Worker has no background work between requests: no live-update stream.
    liveUpdates: false,
    cookie: { secure: false },
  }));

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

async function page(request: Request, client: CandorClient): Promise<Response> {
  const { decisions, visitor, snapshotVersion } = await client.decide(request, { slots: ['hero'] });
  const hero = decisions[0];
  const content = hero?.variant?.content;
  const language = visitor.languages[0]?.startsWith('zh') === true ? 'zh-Hant' : 'en';
  const heroText = content?.type === 'text' ? content.text[language] : 'Welcome';
  const why = await client.explain(request, 'hero');
  const body = `<!doctype html><html lang="${language}"><body>
<h1 data-variant="${escapeHtml(hero?.variant?.id ?? 'default')}" data-reason="${escapeHtml(hero?.reason ?? 'ERROR')}">${escapeHtml(heroText)}</h1>
<p class="why">${escapeHtml(why?.text.mainReason ?? '')}</p>
<footer data-snapshot="${snapshotVersion ?? 'none'}"></footer>
</body></html>`;
  return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private' } });
}

/** The visitor's choice, posted by the page's consent form: the only route that writes a cookie. */
async function choice(request: Request, client: CandorClient): Promise<Response> {
  const form = await request.formData();
  const purposes = Object.fromEntries(
    form.getAll('grant').map((purpose) => [String(purpose), { status: 'granted' as const, at: Date.now() }]),
  );
  const role = form.get('role');
  const now = Date.now();
  const cookie = client.setCookie({
    consent: { purposes, signals: {} },
    profile: {
      version: 1,
      values:
        typeof role === 'string' && role.length > 0 && role.length <= 64
          ? { role: { value: role, source: 'declared', collectedAt: now, expiresAt: now + 30 * 86_400_000 } }
          : {},
    },
  });
  if (!cookie.ok) return new Response(cookie.message, { status: 400 });
  return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': cookie.header } });
}

// eslint-disable-next-line no-restricted-syntax -- the Workers module format is a default export
export default {
  async fetch(request: Request, env: Env, context: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== '/' && url.pathname !== '/choice') return new Response('not found', { status: 404 });
    const client = clientFor(env);
    await client.ready();
    // No live updates at the edge: an ETag check (a 304 when nothing was published) at most every
    // 30 s, kept alive past the response by waitUntil.
    if (Date.now() - lastRefresh > REFRESH_EVERY_MS) {
      lastRefresh = Date.now();
      context.waitUntil(client.refresh());
    }
    if (url.pathname === '/choice')
      return request.method === 'POST' ? choice(request, client) : new Response(null, { status: 405 });
    return page(request, client);
  },
};
