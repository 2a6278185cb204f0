// The servers a benchmark run measures, in one child process: a bare Fastify JSON route (the
// baseline) and Candor with a published snapshot. Prints one JSON line with their URLs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { brotliCompressSync, constants } from 'node:zlib';
import Fastify from 'fastify';
import { loadConfig, openCandor } from '@candor/server';
import {
  createAdmin,
  createApiKey,
  createSite,
  HERO_EXPERIENCE,
  loadDraft,
  publish,
  REVENUE_METRIC,
  ROLE_FIELD,
  SIGNUP_METRIC,
  TEST_SITE,
} from '@candor/server/testing';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

const bare = Fastify();
bare.get('/json', async () => ({ hello: 'world' }));

const env: Record<string, string> = {
  CANDOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'candor-bench-')),
  LOG_LEVEL: 'error',
  CANDOR_RATE_LIMIT: '100000000',
  CANDOR_RETENTION_MINUTES: '0',
};
if (process.env['DATABASE_URL'] !== undefined) env['DATABASE_URL'] = process.env['DATABASE_URL'];
if (process.env['CANDOR_SECRET'] !== undefined) env['CANDOR_SECRET'] = process.env['CANDOR_SECRET'];
const candor = await openCandor(loadConfig(env), quiet);
// CANDOR_PG_PARTITIONS=daily: ingest into day partitions, as `candor start` would set them up.
if (process.env['CANDOR_PG_PARTITIONS'] === 'daily') await candor.storage.maintainDailyPartitions(Date.now());
const site =
  (await candor.storage.getSiteByKey(TEST_SITE.siteKey)) ?? (await createSite(candor.context, TEST_SITE, 'bench'));
const owner = await createAdmin(candor.context, `bench-${Date.now()}@example.com`, 'owner');
// A server-side source's key: precomputed aggregate batches go to the admin route with it.
const { key: reportKey } = await createApiKey(
  candor.context,
  {
    kind: 'user',
    id: owner.id,
    email: 'bench@example.com',
    role: 'owner',
    permissions: ['publish'],
    csrfToken: undefined,
    mustChangePassword: false,
  },
  'bench reports',
  ['publish'],
);
const put = (kind: string, id: string, body: unknown) => candor.storage.putDraft(site.id, kind, id, body, Date.now());
await put('fields', 'role', ROLE_FIELD);
await put('audiences', 'developers', { id: 'developers', name: 'Developers', condition: { role: 'developer' } });
await put('metrics', 'revenue', REVENUE_METRIC);
await put('metrics', 'signup', SIGNUP_METRIC);
for (let i = 0; i < 20; i += 1) {
  await put('experiences', `exp-${i}`, {
    ...HERO_EXPERIENCE,
    id: `exp-${i}`,
    seed: `exp-${i}`,
    variants: [
      { id: 'a', name: 'A', content: { [`slot-${i}`]: { type: 'text', text: { en: 'A', 'zh-Hant': '甲' } } } },
      { id: 'b', name: 'B', content: { [`slot-${i}`]: { type: 'text', text: { en: 'B', 'zh-Hant': '乙' } } } },
    ],
  });
}
const { lint } = await import('@candor/core');

const warnings = lint(await loadDraft(candor.context, site.id)).map((finding) => finding.fingerprint);
await publish(candor.context, site, warnings, 'bench');
await candor.app.listen({ port: 0, host: '127.0.0.1' });
// A second baseline: the bare route answering the same bytes, so payload size and app overhead separate.
const snapshotBody = (await candor.storage.latestSnapshot(site.id))?.body ?? '{}';
const snapshotBytes = Buffer.from(snapshotBody, 'utf8');
bare.get('/snapshot', async (_request, reply) => reply.type('application/json; charset=utf-8').send(snapshotBytes));
// And the same brotli bytes Candor sends a browser (quality 9, as its snapshot cache compresses).
const snapshotBrotli = brotliCompressSync(snapshotBytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
bare.get('/snapshot-br', async (_request, reply) =>
  reply.type('application/json; charset=utf-8').header('content-encoding', 'br').send(snapshotBrotli),
);
await bare.listen({ port: 0, host: '127.0.0.1' });

const address = (server: typeof bare) => {
  const info = server.server.address();
  return typeof info === 'object' && info !== null ? `http://127.0.0.1:${info.port}` : '';
};
process.stdout.write(
  `${JSON.stringify({ bare: address(bare), candor: address(candor.app), dialect: candor.storage.dialect, reportKey })}\n`,
);
process.once('SIGTERM', () => process.exit(0));
