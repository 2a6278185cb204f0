// The server a reliability run measures: Candor in its own process with a published snapshot, an
// owner whose password the driver knows (to read aggregates back), on SQLite or DATABASE_URL.
// Prints one JSON line: { url, pid, dialect, reportKey }.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, openCandor } from '@candor/server';
import {
  createAdmin,
  createApiKey,
  createSite,
  HERO_EXPERIENCE,
  publish,
  ROLE_FIELD,
  SIGNUP_METRIC,
  TEST_PASSWORD,
  TEST_SITE,
} from '@candor/server/testing';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const env: Record<string, string> = {
  CANDOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'candor-soak-')),
  LOG_LEVEL: 'error',
  CANDOR_RATE_LIMIT: '100000000',
  CANDOR_RETENTION_MINUTES: '0',
  CANDOR_SCRYPT_LOG_N: '14',
  CANDOR_DEMO: 'off',
};
for (const name of ['DATABASE_URL', 'CANDOR_SECRET']) {
  const value = process.env[name];
  if (value !== undefined) env[name] = value;
}
const candor = await openCandor(loadConfig(env), quiet);
const site = await createSite(candor.context, TEST_SITE, 'bench');
const owner = await createAdmin(candor.context, 'owner@example.com', 'owner', TEST_PASSWORD);
// A trusted source's key: the soak sends precomputed aggregate batches with it.
const { key: reportKey } = await createApiKey(
  candor.context,
  {
    kind: 'user',
    id: owner.id,
    email: 'owner@example.com',
    role: 'owner',
    permissions: ['publish'],
    csrfToken: undefined,
    mustChangePassword: false,
  },
  'soak reports',
  ['publish'],
);
const put = (kind: string, id: string, body: unknown) => candor.storage.putDraft(site.id, kind, id, body, Date.now());
await put('fields', 'role', ROLE_FIELD);
await put('audiences', 'developers', { id: 'developers', name: 'Developers', condition: { role: 'developer' } });
await put('metrics', 'signup', SIGNUP_METRIC);
await put('experiences', 'hero-dev', { ...HERO_EXPERIENCE, goals: ['signup'] });
const { lint } = await import('@candor/core');
const { loadDraft } = await import('@candor/server/testing');
await publish(
  candor.context,
  site,
  lint(await loadDraft(candor.context, site.id)).map((finding) => finding.fingerprint),
  'bench',
);
const url = await candor.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, pid: process.pid, dialect: candor.storage.dialect, reportKey })}\n`);
process.once('SIGTERM', () => void candor.app.close().then(() => process.exit(0)));
