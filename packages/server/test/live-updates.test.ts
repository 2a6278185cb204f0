// Issue 14, item 6: live updates. A server-sent-events stream tells an SDK that the site published;
// a publish on one node reaches a stream held by another in under a second (PostgreSQL LISTEN/NOTIFY);
// the streams are bounded per address and per node, and end by themselves.
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type CandorApp } from '../src/app.js';
import {
  DEFAULT_LIVE_UPDATE_LIMITS,
  type LiveUpdateLimits,
  type SnapshotEvent,
} from '../src/features/publish/live-updates.js';
import { createTestPostgres, testPostgresUrl, type TestPostgres } from '../src/storage/postgres/test-database.js';
import { createStorage } from '../src/storage/storage.js';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';

/** One open stream as a client reads it: its events in order, and whether the server ended it. */
interface Client {
  readonly status: number;
  readonly headers: Headers;
  /** The next snapshot event, or a failure after `ms`. */
  next(ms?: number): Promise<SnapshotEvent>;
  /** Everything received so far, raw. */
  text(): string;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  let raw = '';
  let consumed = 0;
  const waiters: (() => void)[] = [];
  const ended = (async () => {
    if (response.body === null) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        raw += decoder.decode(chunk as Uint8Array, { stream: true });
        for (const wake of waiters.splice(0)) wake();
      }
    } catch {
      // Aborted by close().
    }
    for (const wake of waiters.splice(0)) wake();
  })();
  const events = (): SnapshotEvent[] =>
    raw
      .split('\n\n')
      .filter((block) => block.includes('event: snapshot'))
      .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as SnapshotEvent);
  return {
    status: response.status,
    headers: response.headers,
    async next(ms = 3000) {
      const deadline = Date.now() + ms;
      while (events().length <= consumed) {
        if (Date.now() > deadline)
          throw new Error(`no snapshot event within ${ms} ms; received: ${JSON.stringify(raw)}`);
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), new Promise((r) => setTimeout(r, 50))]);
      }
      consumed += 1;
      return events()[consumed - 1] as SnapshotEvent;
    },
    text: () => raw,
    ended,
    close: () => abort.abort(),
  };
}

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

describe('live updates on one node (SQLite)', { timeout: 30_000 }, () => {
  const limits: LiveUpdateLimits = { perAddress: 2, total: 3, lifetimeMs: 60_000, tickMs: 60_000 };
  let t: TestApp;
  let base: string;
  const clients: Client[] = [];
  const open = async (headers: Record<string, string> = {}, site = 'shop'): Promise<Client> => {
    const client = await connect(`${base}/v1/sites/${site}/updates`, headers);
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    t = await createTestApp({ liveUpdateLimits: limits });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    // The server sees each client go; the counts return to zero before the next case.
    await expect.poll(() => t.liveUpdates.open()).toBe(0);
  });
  afterAll(async () => {
    await t.close();
  });

  it('announces the current version first, then each publish, with the ETag the snapshot route serves', async () => {
    const first = await seedAndPublish(t);
    const client = await open();
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toContain('text/event-stream');
    expect(client.headers.get('cache-control')).toBe('no-store');
    expect((await client.next()).version).toBe(first.version);
    const second = await seedAndPublish(t);
    const event = await client.next();
    expect(event.version).toBe(second.version);
    const snapshot = await fetch(`${base}/v1/sites/shop/snapshot`);
    expect(event.etag).toBe(snapshot.headers.get('etag'));
    expect(client.text()).toMatch(/^retry: \d+\n\n/);
    // Only the version travels: the snapshot itself is fetched (and verified) by the SDK.
    expect(client.text()).not.toContain('"experiences"');
  });

  it('a client that reconnects with the version it holds gets no event until the next publish', async () => {
    const current = (await seedAndPublish(t)).version;
    const client = await open({ 'last-event-id': String(current) });
    await new Promise((r) => setTimeout(r, 300));
    expect(client.text()).not.toContain('event: snapshot');
    const next = await seedAndPublish(t);
    expect((await client.next()).version).toBe(next.version);
  });

  it('gives an allowed origin CORS headers and another origin none', async () => {
    const allowed = await open({ origin: 'https://shop.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const other = await open({ origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('bounds streams per address (429) and per node (503), says when to retry, and frees a slot when a client leaves', async () => {
    const unknown = await fetch(`${base}/v1/sites/nope/updates`);
    expect(unknown.status).toBe(404);
    await open();
    await open();
    const third = await fetch(`${base}/v1/sites/shop/updates`);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await third.json()) as { detail: string }).detail).toContain('poll the snapshot with its ETag');
    for (const client of clients.splice(0)) client.close();
    await expect.poll(() => t.liveUpdates.open()).toBe(0);
    const again = await open();
    expect(again.status).toBe(200);
  });
});

describe('live updates end by themselves and never hold a shutdown', { timeout: 30_000 }, () => {
  it("past the node's cap a new stream is told the node is busy (503), whoever asks", async () => {
    const t = await createTestApp({ liveUpdateLimits: { ...DEFAULT_LIVE_UPDATE_LIMITS, perAddress: 10, total: 1 } });
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const held = await connect(`${base}/v1/sites/shop/updates`);
    const full = await fetch(`${base}/v1/sites/shop/updates`);
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('5');
    expect(((await full.json()) as { code: string }).code).toBe('busy');
    held.close();
    await expect.poll(() => t.liveUpdates.open()).toBe(0);
    await t.close();
  });

  it('ends a stream after its lifetime, ticks while idle, and closes with streams open', async () => {
    const t = await createTestApp({
      liveUpdateLimits: { ...DEFAULT_LIVE_UPDATE_LIMITS, lifetimeMs: 700, tickMs: 200 },
    });
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    await seedAndPublish(t);
    const short = await connect(`${base}/v1/sites/shop/updates`);
    await short.ended;
    expect(short.text()).toContain(': tick');
    expect(short.text().match(/event: snapshot/g)).toHaveLength(1);
    const held = await connect(`${base}/v1/sites/shop/updates`);
    await held.next();
    const started = performance.now();
    await t.close();
    await held.ended;
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

const pg = testPostgresUrl();
describe.skipIf(pg === undefined)(
  `live updates across two nodes on PostgreSQL${pg === undefined ? ' — skipped: CANDOR_TEST_PG_URL is unset (CI sets it, and CI=true fails instead of skipping)' : ''}`,
  { timeout: 60_000 },
  () => {
    let database: TestPostgres;
    let a: TestApp;
    let b: CandorApp;
    let storageB: ReturnType<typeof createStorage>;
    beforeAll(async () => {
      database = await createTestPostgres();
      // A long cache lifetime would hide nothing here: the stream re-reads through the cache only
      // when it is told something changed, so only NOTIFY can bring node B's publish to node A.
      a = await createTestApp({
        handle: database.handle,
        liveUpdateLimits: { ...DEFAULT_LIVE_UPDATE_LIMITS, tickMs: 60_000 },
      });
      const { openPostgres } = await import('../src/storage/postgres/open-postgres.js');
      storageB = createStorage(
        openPostgres({ connectionString: pg as string, schema: database.schema as string, max: 3 }),
      );
      b = await buildApp({ config: a.context.config, storage: storageB, keyring: a.context.keyring, logStream: quiet });
    });
    afterAll(async () => {
      await b?.app.close();
      await storageB?.close();
      await a?.close();
      await database?.drop();
    });

    it('a publish on node B reaches a stream on node A in under a second', async () => {
      const first = await seedAndPublish(a);
      const base = await a.app.listen({ port: 0, host: '127.0.0.1' });
      const client = await connect(`${base}/v1/sites/shop/updates`);
      expect((await client.next()).version).toBe(first.version);
      const delays: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        const started = performance.now();
        const published = await seedAndPublish({ ...a, app: b.app });
        const event = await client.next(5_000);
        delays.push(performance.now() - started);
        expect(event.version).toBe(published.version);
      }
      client.close();
      // The bar is a second; the median of five keeps one scheduling hiccup on a shared
      // machine from deciding it, and the message shows every delay.
      const median = [...delays].sort((x, y) => x - y)[2] as number;
      expect(median, `publish → event delays (ms): ${delays.map((d) => d.toFixed(0)).join(', ')}`).toBeLessThan(1_000);
    });
  },
);
