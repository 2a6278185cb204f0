import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/storage/sqlite/open-sqlite.js';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { consent, registerTestVisitor, type TestVisitor } from '../src/testing/visitor-flow.js';
import { ROLE_FIELD } from '../src/testing/fixtures.js';

// A value distinctive enough that finding it anywhere in the file can only mean plaintext.
const SECRET_ANSWER = 'developer';
const FREE_TEXT = 'Zebra-Quokka-4711 unique answer';

describe('personal data at rest and in logs', () => {
  let dir: string;
  let t: TestApp;
  let visitor: TestVisitor;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-rest-'));
    t = await createTestApp({ handle: openSqlite(join(dir, 'candor.db')) });
    // A free-text field so a unique string can be stored.
    await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/fields/company`,
      headers: t.as.editor.headers,
      payload: { ...ROLE_FIELD, key: 'company', label: { en: 'Company', 'zh-Hant': '公司' }, options: undefined },
    });
    await seedAndPublish(t);
    visitor = await registerTestVisitor(t);
    await consent(t, visitor, { personalization: 'granted', sync: 'granted' });
    for (const [field, value] of [
      ['role', SECRET_ANSWER],
      ['company', FREE_TEXT],
    ] as const) {
      const put = await t.app.inject({
        method: 'PUT',
        url: `/v1/visitor/data/${field}`,
        headers: visitor.auth,
        payload: { value },
      });
      expect(put.statusCode).toBe(204);
    }
    await t.app.inject({ url: '/v1/visitor/data', headers: visitor.auth });
    await t.app.inject({ url: '/v1/visitor/export', headers: visitor.auth });
    await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/visitors/${visitor.visitorId}`,
      headers: t.as.owner.headers,
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps no plaintext value in the raw SQLite files (database and WAL)', () => {
    const files = ['candor.db', 'candor.db-wal'].map((name) => join(dir, name)).filter((path) => existsSync(path));
    expect(files.length).toBeGreaterThan(0);
    // The files do hold this run's data (non-personal text is readable), so the absence below means something.
    const all = Buffer.concat(files.map((path) => readFileSync(path)));
    expect(all.includes(Buffer.from('Example Shop', 'utf8'))).toBe(true);
    for (const path of files) {
      const raw = readFileSync(path);
      expect(raw.includes(Buffer.from(FREE_TEXT, 'utf8')), path).toBe(false);
      expect(raw.includes(Buffer.from(JSON.stringify(FREE_TEXT), 'utf8')), path).toBe(false);
    }
  });

  it('reads the values back through the API, so they were stored', async () => {
    const data = (await t.app.inject({ url: '/v1/visitor/data', headers: visitor.auth })).json() as {
      values: { value: unknown }[];
    };
    expect(data.values.map((v) => v.value).sort()).toEqual([FREE_TEXT, SECRET_ANSWER].sort());
  });

  it('writes no visitor value, id or token to the logs of a full visitor flow', async () => {
    await t.app.inject({ method: 'DELETE', url: '/v1/visitor/data', headers: visitor.auth });
    const logs = t.logs.join('');
    expect(logs.length).toBeGreaterThan(1000);
    const secret = visitor.token.slice(visitor.visitorId.length + 1);
    for (const needle of [FREE_TEXT, visitor.visitorId, secret, 'correct horse']) {
      expect(logs.includes(needle), needle).toBe(false);
    }
    // The logged request lines carry route patterns, not URLs.
    expect(logs).toContain('/v1/admin/sites/:site/visitors/:visitorId');
  });
});
