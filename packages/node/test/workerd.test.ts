// The edge proof: @candor/node bundled into a Worker and run in workerd (Cloudflare's open-source
// Workers runtime) without `nodejs_compat`, against a real Candor server on 127.0.0.1. It fetches
// the signed snapshot, verifies it with WebCrypto inside workerd, decides from the visitor's cookie
// and renders the variant and the "Why" text into HTML.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCandorServer, type RunningServer } from './candor-server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const WORKERD = join(dirname(createRequire(import.meta.url).resolve('workerd/package.json')), 'bin/workerd');

/** A free port on 127.0.0.1 (workerd's config names its sockets' addresses up front). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A man in the middle: forwards to Candor, but alters the snapshot's bytes and keeps its signature. */
async function tamperingProxy(target: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    void (async () => {
      const upstream = await fetch(`${target}${request.url ?? '/'}`, {
        headers:
          request.headers['if-none-match'] === undefined ? {} : { 'if-none-match': request.headers['if-none-match'] },
      });
      let body = await upstream.text();
      if (request.url?.endsWith('/snapshot') === true) body = body.replace('"developer"', '"marketer"');
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'etag', 'candor-signature']) {
        const value = upstream.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      response.writeHead(upstream.status, headers).end(body);
    })().catch(() => response.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function workerConfig(name: string, candorUrl: string, siteKey: string, publicKey: string): string {
  const text = (value: string): string => JSON.stringify(value);
  return `const ${name} :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "CANDOR_URL", text = ${text(candorUrl)}),
    (name = "SITE_KEY", text = ${text(siteKey)}),
    (name = "PUBLIC_KEY", text = ${text(publicKey)}),
  ],
  globalOutbound = "loopback",
);`;
}

describe('@candor/node in workerd (no nodejs_compat)', () => {
  let candor: RunningServer;
  let proxy: { server: Server; url: string };
  let directory: string;
  let workerd: ChildProcess;
  let output = '';
  let honest = '';
  let tampered = '';

  beforeAll(async () => {
    candor = await startCandorServer();
    proxy = await tamperingProxy(candor.url);
    directory = await mkdtemp(join(tmpdir(), 'candor-workerd-'));
    await build({
      entryPoints: [join(HERE, 'workerd/worker.ts')],
      outfile: join(directory, 'worker.js'),
      bundle: true,
      format: 'esm',
      // The Workers build: Web APIs only; a `node:*` import would fail here, not in production.
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['@candor/source', 'workerd', 'worker', 'browser'],
      target: 'es2022',
      logLevel: 'silent',
    });
    const publicKey = JSON.stringify(candor.publicKey);
    const [honestPort, tamperedPort] = [await freePort(), await freePort()];
    honest = `http://127.0.0.1:${honestPort}`;
    tampered = `http://127.0.0.1:${tamperedPort}`;
    await writeFile(
      join(directory, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "honest", worker = .honestWorker),
    (name = "tampered", worker = .tamperedWorker),
    # Workers reach only public addresses by default; the test's Candor server is on loopback.
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
    (name = "honest", address = "127.0.0.1:${honestPort}", http = (), service = "honest"),
    (name = "tampered", address = "127.0.0.1:${tamperedPort}", http = (), service = "tampered"),
  ],
);
${workerConfig('honestWorker', candor.url, candor.t.siteKey, publicKey)}
${workerConfig('tamperedWorker', proxy.url, candor.t.siteKey, publicKey)}
`,
    );
    // The package's bin is the binary itself or a launcher script with a shebang; both run directly.
    workerd = spawn(WORKERD, ['serve', join(directory, 'config.capnp')], { stdio: 'pipe' });
    workerd.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    workerd.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // workerd opens its sockets once the config compiled; wait for both (bounded).
    const deadline = Date.now() + 60_000;
    for (const base of [honest, tampered]) {
      for (;;) {
        if (workerd.exitCode !== null) throw new Error(`workerd exited: ${output}`);
        const up = await fetch(`${base}/not-a-page`).then(
          (response) => response.status === 404,
          () => false,
        );
        if (up) break;
        if (Date.now() > deadline) throw new Error(`workerd did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }, 120_000);

  afterAll(async () => {
    workerd?.kill();
    await new Promise((resolve) => proxy?.server.close(resolve));
    await candor?.t.close();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  /** Posts a choice to the Worker, as the page's consent form would; returns the cookie it set. */
  async function choose(form: Record<string, string | string[]>): Promise<string> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const one of [value].flat()) body.append(key, one);
    const response = await fetch(`${honest}/choice`, { method: 'POST', body, redirect: 'manual' });
    expect(response.status).toBe(303);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^candor_${candor.t.siteKey}=1\\.[A-Za-z0-9_-]+; Path=/;`));
    return setCookie.split(';')[0]!;
  }

  const heading = (html: string) => /<h1 data-variant="([^"]*)" data-reason="([^"]*)">([^<]*)<\/h1>/.exec(html);
  const why = (html: string) => /<p class="why">([^<]*)<\/p>/.exec(html)?.[1] ?? '';

  it('serves the default page, with no Set-Cookie, to a visitor who has not chosen', async () => {
    const response = await fetch(`${honest}/`, { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    expect(heading(html)?.[1]).toBe('default');
    expect(heading(html)?.[3]).toBe('Welcome');
    expect(html).toMatch(/data-snapshot="\d+"/);
  }, 60_000);

  it('personalizes for a cookie that grants personalization, and says why in the visitor’s language', async () => {
    const cookie = await choose({ grant: 'personalization', role: 'developer' });
    const english = await (await fetch(`${honest}/`, { headers: { cookie, 'accept-language': 'en' } })).text();
    expect(heading(english)?.slice(1)).toEqual(['dev', 'TARGETING_MATCH', 'Build faster']);
    expect(why(english).length).toBeGreaterThan(0);

    const chinese = await (await fetch(`${honest}/`, { headers: { cookie, 'accept-language': 'zh-Hant' } })).text();
    expect(heading(chinese)?.[3]).toBe('更快開發');
    expect(why(chinese)).not.toBe(why(english));
  }, 60_000);

  it('uses no profile data when personalization was not granted', async () => {
    const cookie = await choose({ grant: 'measurement', role: 'developer' });
    const html = await (await fetch(`${honest}/`, { headers: { cookie } })).text();
    expect(heading(html)?.[1]).toBe('default');
  }, 60_000);

  it('refuses a snapshot altered on the way, inside workerd', async () => {
    const cookie = await choose({ grant: 'personalization', role: 'developer' });
    const response = await fetch(`${tampered}/`, { headers: { cookie } });
    const html = await response.text();
    expect(heading(html)?.slice(1)).toEqual(['default', 'ERROR', 'Welcome']);
    expect(html).toContain('data-snapshot="none"');
    expect(response.headers.get('set-cookie')).toBeNull();
    // Refused, not crashed: the Worker answered and workerd logged no uncaught exception.
    expect(output).not.toMatch(/Uncaught/);
  }, 60_000);
});
