import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSdk } from '../../packages/sdk/build/build-sdk.js';
import { createTestApp, type TestApp } from '@candor/server/testing';
import { AUDIENCES, EXPERIENCES, FIELDS, METRICS } from './fixtures.js';

/** The real server (in process, listening on 127.0.0.1) plus a page server on another origin. */
export interface Stack {
  readonly t: TestApp;
  readonly api: string;
  readonly pages: string;
  readonly publicKeyAttr: string;
  /** A page URL; `page(...)` options shape the HTML. */
  url(name: string, query?: string): string;
  /** Publishes a second site and returns its snapshot bytes, signature and public key attribute. */
  otherSite(): Promise<{ body: string; signature: string; publicKeyAttr: string }>;
  setPage(name: string, options: PageOptions): void;
  close(): Promise<void>;
}

/** How a test page looks. */
export interface PageOptions {
  readonly lang?: string;
  /** Overrides the `data-api` of the script tag (a dead server, say). */
  readonly api?: string;
  /** Overrides `data-public-key` (a base64url JWK). */
  readonly publicKey?: string;
  readonly attributes?: string;
  readonly body?: string;
  readonly headScript?: string;
  /** false serves the page without a CSP, so only Candor's own rendering keeps injected markup inert. */
  readonly csp?: boolean;
  /** Served as it is instead of the page template (a server-rendered page, its script bundle). */
  readonly raw?: { readonly contentType: string; readonly body: string | Uint8Array };
}

export const NONCE = 'e2eNonce0123456789';

const DEFAULT_BODY =
  '<h1 data-candor-slot="hero">Default hero</h1>\n<p data-candor-slot="promo">Default promo</p>\n<div data-candor-badge></div>';

async function inject(t: TestApp, method: 'PUT' | 'POST', url: string, payload: object, role: 'editor' | 'owner') {
  const response = await t.app.inject({ method, url, payload, headers: t.as[role].headers });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as unknown;
}

/** What the e2e site publishes; the defaults are `fixtures.ts`, a suite may swap any part (hostile input, say). */
export interface StackFixtures {
  readonly siteName: string;
  readonly privacyPageUrl?: string;
  readonly fields: readonly object[];
  readonly audiences: readonly { readonly id: string }[];
  readonly metrics: readonly { readonly id: string }[];
  readonly experiences: readonly { readonly id: string }[];
  /** Origins allowed beside the page server's (an app the suite starts on its own port). */
  readonly allowedOrigins?: readonly string[];
}

/** Builds the SDK, starts the server with the SDK routes and publishes the e2e site. */
export async function startStack(overrides: Partial<StackFixtures> = {}): Promise<Stack> {
  const fixtures: StackFixtures = {
    siteName: 'Example Shop',
    fields: FIELDS,
    audiences: AUDIENCES,
    metrics: METRICS,
    experiences: EXPERIENCES,
    ...overrides,
  };
  const sdkDir = mkdtempSync(join(tmpdir(), 'candor-sdk-'));
  await buildSdk(sdkDir);
  process.env['CANDOR_SDK_DIR'] = sdkDir;
  const t = await createTestApp({ config: { publicRateLimit: 10_000 } as never });
  const pagesByName = new Map<string, PageOptions>();
  let api = '';
  let publicKeyAttr = '';
  const pageServer: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const name = url.pathname.replace(/^\//, '').replace(/\.html$/, '');
    const options = pagesByName.get(name) ?? (name === 'index' ? {} : undefined);
    if (!options) {
      response.writeHead(404).end('not found');
      return;
    }
    if (options.raw) {
      response.writeHead(200, { 'content-type': options.raw.contentType }).end(options.raw.body);
      return;
    }
    const target = options.api ?? api;
    const csp = [
      "default-src 'self'",
      `script-src 'nonce-${NONCE}'`,
      `style-src 'nonce-${NONCE}'`,
      `connect-src ${target} ${api}`,
      "img-src 'self'",
      "frame-src 'none'",
      "object-src 'none'",
      "base-uri 'none'",
    ].join('; ');
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(options.csp === false ? {} : { 'content-security-policy': csp }),
    });
    response.end(`<!doctype html>
<html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8"><title>Candor e2e</title>
${options.headScript ?? ''}
<script nonce="${NONCE}" src="${api}/sdk/candor.js" data-site="${t.siteKey}" data-api="${target}" data-public-key="${options.publicKey ?? publicKeyAttr}" ${options.attributes ?? ''}></script>
</head><body>
${options.body ?? DEFAULT_BODY}
<p>Page text after the slots.</p>
</body></html>`);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  const address = pageServer.address();
  const pages = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const base = `/v1/admin/sites/${t.siteKey}`;
  const site = (await inject(
    t,
    'PUT',
    base,
    {
      name: fixtures.siteName,
      ...(fixtures.privacyPageUrl === undefined ? {} : { privacyPageUrl: fixtures.privacyPageUrl }),
      defaultLanguage: 'en',
      policyVersion: '2026-01',
      explainDefaults: true,
      allowedOrigins: [pages, ...(fixtures.allowedOrigins ?? [])],
      ledgerRetentionDays: 365,
    },
    'owner',
  )) as object;
  void site;
  for (const field of fixtures.fields) {
    const key = (field as { key: string }).key;
    await inject(t, 'PUT', `${base}/drafts/fields/${key}`, field, 'editor');
  }
  for (const audience of fixtures.audiences)
    await inject(t, 'PUT', `${base}/drafts/audiences/${audience.id}`, audience, 'editor');
  for (const metric of fixtures.metrics)
    await inject(t, 'PUT', `${base}/drafts/metrics/${metric.id}`, metric, 'editor');
  for (const experience of fixtures.experiences)
    await inject(t, 'PUT', `${base}/drafts/experiences/${experience.id}`, experience, 'editor');
  const lint = (await inject(t, 'POST', `${base}/lint`, {}, 'editor')) as {
    findings: { fingerprint: string; severity: string }[];
  };
  const acknowledge = lint.findings.filter((f) => f.severity === 'warning').map((f) => f.fingerprint);
  await inject(t, 'POST', `${base}/publish`, { acknowledge }, 'editor');

  api = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const keys = (await (await fetch(`${api}/v1/sites/${t.siteKey}/keys`)).json()) as { keys: object[] };
  publicKeyAttr = Buffer.from(JSON.stringify(keys.keys[0])).toString('base64url');
  return {
    t,
    api,
    pages,
    publicKeyAttr,
    url: (name, query = '') => `${pages}/${name}.html${query}`,
    setPage: (name, options) => void pagesByName.set(name, options),
    otherSite: async () => {
      await inject(
        t,
        'POST',
        '/v1/admin/sites',
        {
          siteKey: 'other',
          name: 'Other Shop',
          defaultLanguage: 'en',
          policyVersion: '2026-01',
          explainDefaults: true,
          allowedOrigins: [pages],
          ledgerRetentionDays: 365,
        },
        'owner',
      );
      await inject(t, 'POST', '/v1/admin/sites/other/publish', { acknowledge: [] }, 'editor');
      const response = await fetch(`${api}/v1/sites/other/snapshot`);
      const keys = (await (await fetch(`${api}/v1/sites/other/keys`)).json()) as { keys: object[] };
      return {
        body: await response.text(),
        signature: response.headers.get('candor-signature') ?? '',
        publicKeyAttr: Buffer.from(JSON.stringify(keys.keys[0])).toString('base64url'),
      };
    },
    close: async () => {
      await new Promise<void>((resolve) => pageServer.close(() => resolve()));
      await t.close();
    },
  };
}
