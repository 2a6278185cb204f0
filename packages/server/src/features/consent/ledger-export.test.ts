import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { consent, registerTestVisitor } from '../../testing/visitor-flow.js';
import { requireSite } from '../sites/service.js';
import { exportLedger } from './ledger-export.js';
import type { LedgerExportFile } from './ledger-export-format.js';
import { readPublicKey, signedBytes, verifyLedgerExport, type LedgerVerdict } from './verify-ledger-export.js';

const DAY = 86_400_000;
const JUNE_1 = Date.UTC(2026, 5, 1);
const CLI = resolve(import.meta.dirname, '../../cli.ts');
const REPO_ROOT = resolve(import.meta.dirname, '../../../../..');

function failed(verdict: LedgerVerdict): string[] {
  return verdict.checks.filter((check) => !check.ok).map((check) => check.name);
}

/** Re-signs a document with a key the site never had, as someone forging an export would. */
function forge(file: LedgerExportFile): LedgerExportFile {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const value = sign('sha256', signedBytes(file.document), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return {
    ...file,
    signature: { ...file.signature, value: value.toString('base64url') },
    publicKey: publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
  };
}

describe('consent proof export (docs/consent-records.md)', () => {
  let t: TestApp;
  let now = JUNE_1 + 9 * 3_600_000;
  let siteKeyFile: string;
  let exported: LedgerExportFile;
  const dir = mkdtempSync(join(tmpdir(), 'candor-ledger-'));

  const get = (url: string, headers: Record<string, string>) => t.app.inject({ url, headers });
  const exportUrl = (from: string, to: string) => `/v1/admin/sites/${t.siteKey}/ledger/export?from=${from}&to=${to}`;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedAndPublish(t);
    // Four choices over two days, then one visitor erased: the export must still verify.
    for (const day of [0, 0, 1, 1]) {
      now = JUNE_1 + day * DAY + 10 * 3_600_000 + day;
      const visitor = await registerTestVisitor(t);
      const response = await consent(t, visitor, { personalization: 'granted', measurement: 'denied' });
      expect(response.statusCode).toBe(201);
    }
    const erased = await registerTestVisitor(t);
    now = JUNE_1 + DAY + 11 * 3_600_000;
    await consent(t, erased, { personalization: 'granted' });
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/visitor/data', headers: erased.auth })).statusCode).toBe(
      200,
    );
    // Back to the morning the admins signed in, so their sessions are still fresh.
    now = JUNE_1 + 9 * 3_600_000 + 1000;
    const keys = await get(`/v1/sites/${t.siteKey}/keys`, {});
    siteKeyFile = join(dir, 'site-key.json');
    writeFileSync(siteKeyFile, keys.body);
    const response = await get(exportUrl('2026-06-01', '2026-06-02'), t.as.owner.headers);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toContain('attachment');
    exported = response.json();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('exports the chain of the range and the purpose texts in force, and it verifies against the site key', () => {
    expect(exported.document.entries).toHaveLength(5);
    expect(exported.document.entries.filter((entry) => entry.payload === null)).toHaveLength(1);
    expect(exported.document.purposeTexts.map((text) => text.id)).toContain('personalization');
    const verdict = verifyLedgerExport(
      JSON.stringify(exported),
      readPublicKey(JSON.stringify({ keys: [exported.publicKey] })),
    );
    expect(verdict).toMatchObject({ valid: true });
  });

  it('lets only an owner export, and audits each export', async () => {
    expect((await get(exportUrl('2026-06-01', '2026-06-02'), t.as.editor.headers)).statusCode).toBe(403);
    expect((await get(exportUrl('2026-06-01', '2026-06-02'), t.as.viewer.headers)).statusCode).toBe(403);
    const site = await requireSite(t.context, t.siteKey);
    const audit = await t.storage.listAudit({ siteId: site.id, limit: 20 });
    expect(audit.find((entry) => entry.action === 'ledger.export')).toMatchObject({
      target: 'ledger/2026-06-01..2026-06-02',
      after: { records: 5 },
    });
  });

  it('bounds the range with clear 4xx answers', async () => {
    const owner = t.as.owner.headers;
    expect((await get(exportUrl('2025-01-01', '2026-06-02'), owner)).json()).toMatchObject({
      status: 400,
      detail: expect.stringContaining('366 days'),
    });
    expect((await get(exportUrl('2026-06-02', '2026-06-01'), owner)).statusCode).toBe(400);
    expect((await get(exportUrl('2026-02-30', '2026-03-01'), owner)).statusCode).toBe(400);
    expect((await get(`/v1/admin/sites/${t.siteKey}/ledger/export?from=x&to=2026-06-01`, owner)).statusCode).toBe(400);
    const site = await requireSite(t.context, t.siteKey);
    await expect(exportLedger(t.context, site, JUNE_1, JUNE_1 + DAY, 4)).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });

  it('exports only the records of the range', async () => {
    const oneDay = (await get(exportUrl('2026-06-02', '2026-06-02'), t.as.owner.headers)).json() as LedgerExportFile;
    expect(oneDay.document.entries).toHaveLength(3);
    expect(verifyLedgerExport(JSON.stringify(oneDay)).valid).toBe(true);
  });

  it('detects a tampered entry, even when the forger re-signs the file with a key of their own', () => {
    const tampered = structuredClone(exported);
    const entry = tampered.document.entries[1];
    if (entry?.payload == null) throw new Error('fixture: entry 1 has a payload');
    entry.payload = entry.payload.replace('"measurement":"denied"', '"measurement":"granted"');
    const siteKey = readPublicKey(JSON.stringify({ keys: [exported.publicKey] }));
    expect(failed(verifyLedgerExport(JSON.stringify(tampered), siteKey))).toEqual(['signature', 'chain']);
    expect(failed(verifyLedgerExport(JSON.stringify(forge(tampered))))).toEqual(['chain']);
    expect(failed(verifyLedgerExport(JSON.stringify(forge(tampered)), siteKey))).toEqual(['signature', 'chain']);
  });

  it('detects a removed entry', () => {
    const removed = structuredClone(exported);
    removed.document.entries.splice(2, 1);
    expect(failed(verifyLedgerExport(JSON.stringify(removed)))).toEqual(['signature', 'chain']);
    expect(failed(verifyLedgerExport(JSON.stringify(forge(removed))))).toEqual(['chain']);
  });

  it('detects a swapped signature', async () => {
    const other = (await get(exportUrl('2026-06-02', '2026-06-02'), t.as.owner.headers)).json() as LedgerExportFile;
    const swapped = { ...exported, signature: other.signature };
    expect(failed(verifyLedgerExport(JSON.stringify(swapped)))).toEqual(['signature']);
  });

  it('detects a record whose purpose text is missing from the file', () => {
    const missing = structuredClone(exported);
    missing.document.purposeTexts = missing.document.purposeTexts.filter((text) => text.id !== 'personalization');
    expect(failed(verifyLedgerExport(JSON.stringify(forge(missing))))).toEqual(['purpose_texts']);
  });

  it('refuses what is not an export without throwing', () => {
    expect(failed(verifyLedgerExport('not json'))).toEqual(['format']);
    expect(failed(verifyLedgerExport('{"document":{}}'))).toEqual(['format']);
  });

  it('candor verify-ledger prints a verdict and exits 0 for a valid file, 1 for a tampered one', async () => {
    const run = promisify(execFile);
    const candor = async (args: string[]): Promise<{ code: number; stdout: string }> => {
      try {
        const { stdout } = await run(
          process.execPath,
          ['--conditions=@candor/source', '--import', 'tsx', CLI, 'verify-ledger', ...args],
          { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '' } },
        );
        return { code: 0, stdout };
      } catch (error) {
        const failure = error as { code: number; stdout: string };
        return { code: failure.code, stdout: failure.stdout };
      }
    };
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(exported, null, 2));
    const valid = await candor([good, '--key', siteKeyFile]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('VALID');
    const bad = join(dir, 'bad.json');
    const removed = structuredClone(exported);
    removed.document.entries.splice(1, 1);
    writeFileSync(bad, JSON.stringify(forge(removed)));
    const invalid = await candor([bad, '--key', siteKeyFile]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/FAIL signature[\s\S]*FAIL chain[\s\S]*INVALID/);
    expect((await candor([])).code).toBe(2);
  }, 60_000);
});
