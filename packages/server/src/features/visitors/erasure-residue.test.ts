import {
  accessSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open } from '../../crypto/keyring.js';
import { createTestPostgres, type TestPostgres } from '../../storage/postgres/test-database.js';
import { openSqlite } from '../../storage/sqlite/open-sqlite.js';
import { createStorage } from '../../storage/storage.js';
import { ROLE_FIELD } from '../../testing/fixtures.js';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { consent, registerTestVisitor, type TestVisitor } from '../../testing/visitor-flow.js';
import { valueKeyContext, visitorKeyring } from './value-keys.js';

// Issue 11 item 4: after erasure nothing about the visitor may be recoverable from the database's own
// files. These tests write distinctive values, erase, and read the files byte by byte.

const COMPANY_FIELD = {
  ...ROLE_FIELD,
  key: 'company',
  label: { en: 'Your company', 'zh-Hant': '您的公司' },
  question: { en: 'Where do you work?', 'zh-Hant': '您在哪裡工作？' },
  options: undefined,
};

async function publishWithCompany(t: TestApp): Promise<void> {
  const { options: _, ...field } = COMPANY_FIELD;
  const response = await t.app.inject({
    method: 'PUT',
    url: `/v1/admin/sites/${t.siteKey}/drafts/fields/company`,
    payload: field,
    headers: t.as.editor.headers,
  });
  expect(response.statusCode).toBe(200);
  await seedAndPublish(t);
}

async function putValue(t: TestApp, visitor: TestVisitor, field: string, value: string): Promise<void> {
  const response = await t.app.inject({
    method: 'PUT',
    url: `/v1/visitor/data/${field}`,
    headers: visitor.auth,
    payload: { value },
  });
  expect(response.statusCode, response.body).toBe(204);
}

/** Everything that identifies one visitor or opens their values, in every form it could be stored in. */
interface Traces {
  readonly visitor: TestVisitor;
  readonly value: string;
  readonly needles: ReadonlyMap<string, Buffer>;
  readonly sealed: readonly string[];
  readonly wrappedKey: string;
}

/** A visitor with a distinctive value, consent records and a value key, and every trace of them. */
async function visitorWithTraces(t: TestApp, value: string): Promise<Traces> {
  const visitor = await registerTestVisitor(t);
  await consent(t, visitor, { personalization: 'granted', sync: 'granted' });
  await putValue(t, visitor, 'company', value);
  await putValue(t, visitor, 'role', 'developer');
  const stored = await t.storage.getVisitor(visitor.visitorId);
  const sealed = (await t.storage.listValues(visitor.visitorId)).map((row) => row.sealed);
  const wrappedKey = (await t.storage.getValueKey(visitor.visitorId)) ?? '';
  expect(sealed).toHaveLength(2);
  expect(wrappedKey).not.toBe('');
  const tokenHash = Buffer.from(stored?.tokenHash ?? '', 'hex');
  const valueKey = Buffer.from(open(t.context.keyring, wrappedKey, valueKeyContext(visitor.visitorId)), 'base64');
  const needles = new Map<string, Buffer>([
    ['distinctive value', Buffer.from(value)],
    ['visitor id', Buffer.from(visitor.visitorId)],
    ['token hash (hex)', Buffer.from(tokenHash.toString('hex'))],
    ['token hash (base64)', Buffer.from(tokenHash.toString('base64'))],
    ['token hash (base64url)', Buffer.from(tokenHash.toString('base64url'))],
    ['token hash (raw bytes)', tokenHash],
    ['value key (base64)', Buffer.from(valueKey.toString('base64'))],
    ['value key (raw bytes)', valueKey],
    ['wrapped value key', Buffer.from(wrappedKey)],
    ...sealed.map((text, index): [string, Buffer] => [`sealed value ${index}`, Buffer.from(text)]),
  ]);
  return { visitor, value, needles, sealed, wrappedKey };
}

/** Every needle found in any file, as "needle in file". */
function findTraces(files: readonly string[], needles: ReadonlyMap<string, Buffer>): string[] {
  const found: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const [name, needle] of needles) if (bytes.includes(needle)) found.push(`${name} in ${file}`);
  }
  return found;
}

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe('erasure leaves no residue: SQLite database, WAL and shared memory, byte by byte', () => {
  let dir: string;
  let t: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-erasure-'));
    t = await createTestApp({ handle: openSqlite(join(dir, 'candor.db')) });
    await publishWithCompany(t);
  }, 30_000);
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing of an erased visitor in any file, by either erasure path, while the others stay readable', async () => {
    // Neighbours on the same pages, written before and after, so the erased rows sit among live ones.
    const before = [];
    for (let index = 0; index < 25; index += 1) before.push(await visitorWithTraces(t, `Neighbour Before ${index}`));
    const self = await visitorWithTraces(t, 'Zyxwvut Residue Self 4711');
    const byAdmin = await visitorWithTraces(t, 'Qopmn Residue Admin 0815');
    const after = await visitorWithTraces(t, 'Neighbour After');

    // Positive control: the scan sees what is stored (ids, hashes and sealed values are in the files).
    const present = findTraces(filesIn(dir), self.needles);
    expect(present.some((hit) => hit.startsWith('visitor id'))).toBe(true);
    expect(present.some((hit) => hit.startsWith('sealed value'))).toBe(true);
    // Values are never stored unsealed, and the value key never unwrapped.
    expect(present.filter((hit) => /^(distinctive value|value key)/.test(hit))).toEqual([]);

    const erasedSelf = await t.app.inject({ method: 'DELETE', url: '/v1/visitor/data', headers: self.visitor.auth });
    expect(erasedSelf.json()).toMatchObject({ erased: true, purged: true });
    const erasedByAdmin = await t.app.inject({
      method: 'DELETE',
      url: `/v1/admin/sites/${t.siteKey}/visitors/${byAdmin.visitor.visitorId}`,
      headers: t.as.owner.headers,
    });
    expect(erasedByAdmin.json()).toMatchObject({ erased: true, purged: true });

    // The WAL was checkpointed and cut after each erasure (it holds only the admin's audit entry since).
    const files = filesIn(dir);
    expect(files.map((file) => file.slice(dir.length + 1)).sort()).toEqual(
      expect.arrayContaining(['candor.db', 'candor.db-wal']),
    );
    expect(findTraces(files, self.needles)).toEqual([]);
    expect(findTraces(files, byAdmin.needles)).toEqual([]);

    // Only what docs/privacy.md §7 allows stays: the receipts, and the ledger chain still verifies.
    const receipts = (
      await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/erasures`, headers: t.as.owner.headers })
    ).json() as { subjectHash: string }[];
    expect(receipts.map((receipt) => receipt.subjectHash)).toEqual(
      expect.arrayContaining([erasedSelf.json().subjectHash, erasedByAdmin.json().subjectHash]),
    );
    const verify = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/ledger/verify`,
      headers: t.as.viewer.headers,
    });
    expect(verify.json()).toMatchObject({ intact: true });

    // The neighbours lost nothing.
    for (const neighbour of [before[0]!, before.at(-1)!, after]) {
      const data = (await t.app.inject({ url: '/v1/visitor/data', headers: neighbour.visitor.auth })).json() as {
        values: { key: string; value: unknown }[];
      };
      expect(data.values).toContainEqual(expect.objectContaining({ key: 'company', value: neighbour.value }));
    }
    // 28 visitors through the HTTP routes, each commit fsynced (synchronous = FULL).
  }, 30_000);
});

describe('erasure residue after a crash between commit and purge', () => {
  it('is cut from the WAL when the database opens again, before anything is served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-erasure-crash-'));
    const crashed = join(dir, 'crashed');
    try {
      const handle = openSqlite(join(dir, 'candor.db'));
      const storage = createStorage(handle);
      await storage.migrate();
      await storage.createSite({
        id: 'site_crash',
        siteKey: 'crash',
        settings: {
          name: 'Crash',
          defaultLanguage: 'en',
          policyVersion: '1',
          explainDefaults: true,
          allowedOrigins: ['https://crash.example'],
          ledgerRetentionDays: 365,
        },
        signingPublicJwk: '{}',
        signingPrivateSealed: 'sealed',
        createdAt: 1,
      });
      const needles = new Map([
        ['visitor id', Buffer.from('vis_crash_Qx7Lm2Zt9')],
        ['token hash', Buffer.from('f00dfacecafe'.repeat(5))],
        ['sealed value', Buffer.from('v1.crash.sealed-value-Wq3Rt8')],
      ]);
      await storage.createVisitor({
        id: 'vis_crash_Qx7Lm2Zt9',
        siteId: 'site_crash',
        tokenHash: 'f00dfacecafe'.repeat(5),
        createdAt: 1,
      });
      await storage.putValue({
        visitorId: 'vis_crash_Qx7Lm2Zt9',
        fieldKey: 'company',
        purpose: 'personalization',
        source: 'declared',
        sealed: 'v1.crash.sealed-value-Wq3Rt8',
        collectedAt: 1,
        expiresAt: 2,
      });
      // The store's erasure without the service's purge: the process "dies" right after the commit.
      await storage.eraseVisitor('vis_crash_Qx7Lm2Zt9', {
        subjectHash: 'h',
        siteId: 'site_crash',
        erasedAt: 3,
        requestedBy: 'visitor',
      });
      // What kill -9 leaves on disk: the files as they are, with no closing checkpoint.
      mkdirSync(crashed);
      for (const name of readdirSync(dir).filter((file) => file.startsWith('candor.db'))) {
        copyFileSync(join(dir, name), join(crashed, name));
      }
      expect(findTraces(filesIn(crashed), needles)).not.toEqual([]);
      await storage.close();

      const reopened = openSqlite(join(crashed, 'candor.db'));
      try {
        expect(findTraces(filesIn(crashed), needles)).toEqual([]);
      } finally {
        await reopened.db.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('erasure on PostgreSQL: the per-visitor key carries the guarantee', () => {
  let database: TestPostgres;
  let t: TestApp;
  beforeAll(async () => {
    database = await createTestPostgres();
    t = await createTestApp({ handle: database.handle });
    await publishWithCompany(t);
    // PGlite (no CANDOR_TEST_PG_URL) boots a WebAssembly PostgreSQL first.
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('shreds the value key: a copy of a sealed value taken before erasure opens with nothing the server holds', async () => {
    const neighbour = await visitorWithTraces(t, 'Neighbour PG');
    const target = await visitorWithTraces(t, 'Zyxwvut Residue PG 4711');
    const aad = `value:${target.visitor.visitorId}:company`;
    const copied = (await t.storage.listValues(target.visitor.visitorId)).find(
      (row) => row.fieldKey === 'company',
    )?.sealed;
    expect(copied).toBeDefined();
    const own = await visitorKeyring(t.storage, t.context.keyring, target.visitor.visitorId, false);
    expect(JSON.parse(open(own, copied ?? '', aad))).toBe(target.value);
    // The data key alone never opened it: each value is sealed with the visitor's own key.
    expect(() => open(t.context.keyring, copied ?? '', aad)).toThrow(/unknown key/);

    const erased = await t.app.inject({ method: 'DELETE', url: '/v1/visitor/data', headers: target.visitor.auth });
    expect(erased.json()).toMatchObject({ erased: true, purged: true });
    expect(await t.storage.getValueKey(target.visitor.visitorId)).toBeUndefined();
    const left = await visitorKeyring(t.storage, t.context.keyring, target.visitor.visitorId, false);
    expect(() => open(left, copied ?? '', aad)).toThrow(/unknown key/);
    const rows = await t.rawQuery('select * from visitors');
    expect(JSON.stringify(rows)).not.toContain(target.wrappedKey);
    expect(JSON.stringify(rows)).toContain(neighbour.wrappedKey);
  });

  // Reads every relation file and WAL segment of the cluster byte by byte: seconds of disk work that
  // grow with whatever else the shared cluster holds, so it gets a disk-sized budget, not the default.
  it(
    'never writes a value unsealed to any relation file or WAL segment it can read',
    { timeout: 120_000 },
    async (context) => {
      const location = database.url === undefined ? undefined : await relationFiles(database);
      if (location === undefined) {
        // Like the other PostgreSQL suites: CI runs beside its cluster as root, so a skip there is a failure.
        if (process.env['CI'] === 'true') throw new Error('CI=true but the PostgreSQL data directory is not readable');
        context.skip(
          'PGlite or an unreadable PostgreSQL data directory: the per-visitor key shredding above carries the proof',
        );
        return;
      }
      const target = await visitorWithTraces(t, 'Plaintext Never PG 9931');
      await t.app.inject({ method: 'DELETE', url: '/v1/visitor/data', headers: target.visitor.auth });
      const files = (await relationFiles(database))?.paths ?? [];
      expect(files.length).toBeGreaterThan(0);
      const plaintext = new Map([['distinctive value', Buffer.from(target.value)]]);
      expect(findTraces([...files, ...filesIn(location.wal)], plaintext)).toEqual([]);
    },
  );
});

/** The schema's relation files and the WAL directory, after a checkpoint; undefined when not readable here. */
async function relationFiles(database: TestPostgres): Promise<{ paths: string[]; wal: string } | undefined> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('checkpoint');
    const directory = (await client.query<{ dir: string }>(`select current_setting('data_directory') as dir`)).rows[0]
      ?.dir;
    const result = await client.query<{ path: string }>(
      `select pg_relation_filepath(c.oid) as path from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relkind in ('r', 'i', 't') and pg_relation_filepath(c.oid) is not null`,
      [database.schema],
    );
    if (directory === undefined) return undefined;
    const paths = result.rows.map((row) => join(directory, row.path));
    try {
      for (const path of paths) accessSync(path, constants.R_OK);
      accessSync(join(directory, 'pg_wal'), constants.R_OK);
    } catch {
      return undefined;
    }
    return { paths, wal: join(directory, 'pg_wal') };
  } finally {
    await client.end();
  }
}
