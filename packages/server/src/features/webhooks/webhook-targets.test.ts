import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { seal } from '../../crypto/keyring.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createWebhookDispatcher } from './dispatcher.js';
import { isPublicAddress, refuseWebhookTarget, type HostResolver } from './webhook-address.js';

const PUBLIC = '93.184.215.14';
const resolverOf =
  (table: Record<string, readonly string[]>): HostResolver =>
  async (host) => {
    const found = table[host];
    if (found === undefined) throw new Error(`ENOTFOUND ${host}`);
    return found;
  };

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    // Issue 11, item 17: IPv6 forms that carry an IPv4 address, and the ranges beside them.
    '::ffff:8.8.8.8',
    '::ffff:0:a00:1',
    '::127.0.0.1',
    '::10.0.0.1',
    '::7f00:1',
    '2002:7f00:1::1',
    '2002:a00:1::',
    '2002:808:808::1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::808:808',
    '64:ff9b:1::a00:1',
    '64:ff9b:1:ffff::1',
    '2001::1',
    '2001:db8::1',
    '100::1',
    'ff02::1',
    '192.0.0.8',
    '198.18.0.1',
    '255.255.255.255',
    'not-an-ip',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
  it.each([PUBLIC, '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e'])(
    '%s is public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('refuseWebhookTarget', () => {
  const strict = { allowPrivate: false };
  const resolve = resolverOf({ 'hooks.example': [PUBLIC], 'rebind.example': [PUBLIC, '10.0.0.5'] });
  it('accepts https to a host whose every address is public', async () => {
    expect(await refuseWebhookTarget('https://hooks.example/candor', strict, resolve)).toBeUndefined();
  });
  it.each([
    ['http://hooks.example/candor', /must use https/],
    ['https://127.0.0.1/x', /127\.0\.0\.1 is or resolves to a loopback, private, link-local/],
    ['https://[::1]/x', /::1/],
    ['https://[::ffff:7f00:1]/x', /non-public/],
    ['https://[::127.0.0.1]/x', /non-public/],
    ['https://[2002:a00:1::]/x', /non-public/],
    ['https://[64:ff9b:1::a00:1]/x', /non-public/],
    ['https://169.254.169.254/latest/meta-data', /169\.254\.169\.254/],
    ['https://rebind.example/x', /rebind\.example is or resolves to a loopback, private/],
    ['https://nowhere.example/x', /could not be resolved/],
    ['https://user:pass@hooks.example/x', /credentials/],
    ['ftp://hooks.example/x', /must use https/],
  ])('refuses %s', async (url, reason) => {
    expect(await refuseWebhookTarget(url, strict, resolve)).toMatch(reason);
  });
  it('never names the address a host resolved to (registration must not probe internal DNS)', async () => {
    const internal = resolverOf({
      'inside.example': ['10.20.30.40'],
      'mapped.example': ['::ffff:192.168.7.7'],
      'nat64.example': ['64:ff9b::a9fe:a9fe'],
    });
    for (const host of ['inside.example', 'mapped.example', 'nat64.example']) {
      const reason = await refuseWebhookTarget(`https://${host}/x`, strict, internal);
      expect(reason).toMatch(/non-public address/);
      expect(reason).not.toMatch(/10\.20\.30\.40|192\.168\.7\.7|a9fe|::ffff/);
    }
  });
  it('with CANDOR_WEBHOOK_ALLOW_PRIVATE=1 allows http and loopback, never other schemes', async () => {
    const local = { allowPrivate: true };
    expect(await refuseWebhookTarget('http://127.0.0.1:9/x', local, resolve)).toBeUndefined();
    expect(await refuseWebhookTarget('file:///etc/passwd', local, resolve)).toMatch(/http or https/);
  });
});

describe('webhook targets through the API and at delivery', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(['http://hooks.example/x', 'https://127.0.0.1/x', 'https://localhost/x', 'https://[::ffff:10.0.0.1]/x'])(
    'registering %s answers 400 and stores nothing',
    async (url) => {
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/admin/sites/${t.siteKey}/webhooks`,
        headers: t.as.owner.headers,
        payload: { url, events: ['snapshot.published'] },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ detail: string }>().detail).toMatch(/https|loopback|resolved/);
      const site = await t.storage.getSiteByKey(t.siteKey);
      expect(await t.storage.listWebhooks(site?.id ?? '')).toEqual([]);
    },
  );

  const storeHook = async (url: string): Promise<string> => {
    const site = await t.storage.getSiteByKey(t.siteKey);
    const id = `whk_${Math.random().toString(36).slice(2)}`;
    await t.storage.createWebhook({
      id,
      siteId: site?.id ?? '',
      url,
      events: ['snapshot.published'],
      secretSealed: seal(t.context.keyring, 'secret', `webhook:${id}`),
      createdAt: 1,
    });
    return site?.id ?? '';
  };
  const clearHooks = async (siteId: string) => {
    for (const hook of await t.storage.listWebhooks(siteId)) await t.storage.deleteWebhook(siteId, hook.id);
  };

  it('re-resolves at delivery: a host that now points inside is not called', async () => {
    const siteId = await storeHook('https://hooks.example/candor');
    const calls: string[] = [];
    const dispatcher = createWebhookDispatcher({
      storage: t.storage,
      keyring: t.context.keyring,
      clock: () => 1,
      log: t.app.log,
      allowPrivate: false,
      backoffMs: [],
      resolve: resolverOf({ 'hooks.example': ['10.0.0.7'] }),
      fetch: (async (url: string) => {
        calls.push(url);
        return new Response('ok');
      }) as unknown as typeof fetch,
    });
    dispatcher.emit(siteId, 'snapshot.published', { version: 1 });
    await dispatcher.drain();
    expect(calls).toEqual([]);
    expect(t.logs.join('')).toContain('webhook delivery refused');
    await clearHooks(siteId);
  });

  describe('the real transport', () => {
    let listener: Server;
    let port: number;
    let requests: string[];
    beforeAll(async () => {
      requests = [];
      listener = createServer((socket) => {
        socket.on('data', (chunk: Buffer) => {
          requests.push(chunk.toString('utf8'));
          socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        });
      });
      await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
      const address = listener.address();
      port = typeof address === 'object' && address !== null ? address.port : 0;
    });
    afterAll(async () => {
      await new Promise((done) => listener.close(done));
    });

    it('pins the check to the socket: a host that passed the check but connects to loopback is never reached', async () => {
      // The check sees a public address (as a rebinding DNS server would answer first); the socket's own
      // lookup then gets 127.0.0.1 for localhost and refuses to connect.
      const siteId = await storeHook(`https://localhost:${port}/hook`);
      const dispatcher = createWebhookDispatcher({
        storage: t.storage,
        keyring: t.context.keyring,
        clock: () => 1,
        log: t.app.log,
        allowPrivate: false,
        backoffMs: [0],
        resolve: resolverOf({ localhost: [PUBLIC] }),
      });
      dispatcher.emit(siteId, 'snapshot.published', { version: 1 });
      await dispatcher.drain();
      expect(requests).toEqual([]);
      expect(t.logs.join('')).toContain('webhook delivery gave up');
      await clearHooks(siteId);
    });

    it('delivers to loopback over http when CANDOR_WEBHOOK_ALLOW_PRIVATE=1', async () => {
      expect(loadConfig({ CANDOR_WEBHOOK_ALLOW_PRIVATE: '1' }).webhookAllowPrivate).toBe(true);
      expect(loadConfig({}).webhookAllowPrivate).toBe(false);
      const siteId = await storeHook(`http://127.0.0.1:${port}/hook`);
      const dispatcher = createWebhookDispatcher({
        storage: t.storage,
        keyring: t.context.keyring,
        clock: () => 1,
        log: t.app.log,
        allowPrivate: true,
        backoffMs: [],
      });
      dispatcher.emit(siteId, 'snapshot.published', { version: 1 });
      await dispatcher.drain();
      expect(requests.join('')).toMatch(/^POST \/hook HTTP\/1\.1/);
      expect(requests.join('')).toContain('candor-signature: t=1,v1=');
      await clearHooks(siteId);
    });
  });
});
