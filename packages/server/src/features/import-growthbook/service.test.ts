import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLE_FIELD } from '../../testing/fixtures.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { loadDraft, saveDraft } from '../drafts/service.js';
import { requireSite } from '../sites/service.js';
import { importGrowthBookCommand } from './cli-command.js';

const PAYLOAD = {
  features: {
    'hero-copy': {
      defaultValue: 'control',
      rules: [
        { condition: { role: 'developer' }, force: 'developer copy' },
        { condition: { country: 'TW' }, force: 'taiwan copy' },
        { key: 'hero-test', variations: ['control', 'short'], hashVersion: 2 },
      ],
    },
  },
};

describe('candor import-growthbook', () => {
  let test: TestApp;
  let file: string;
  const output: string[] = [];
  const run = (args: readonly string[]) =>
    importGrowthBookCommand(
      args,
      (text) => output.push(text),
      (fn) => fn(test.context),
    );

  beforeEach(async () => {
    test = await createTestApp();
    const site = await requireSite(test.context, test.siteKey);
    await saveDraft(test.context, site.id, 'fields', ROLE_FIELD.key, ROLE_FIELD, 'test');
    file = join(mkdtempSync(join(tmpdir(), 'candor-gb-')), 'features.json');
    writeFileSync(file, JSON.stringify(PAYLOAD));
    output.length = 0;
  });
  afterEach(async () => {
    await test.close();
  });

  it('saves the rules that carry over as drafts, in order, and lists the one that does not', async () => {
    expect(await run([file, '--site', test.siteKey])).toBe(0);
    const draft = await loadDraft(test.context, (await requireSite(test.context, test.siteKey)).id);
    expect(draft.experiences.map((experience) => experience.id)).toEqual(['hero-copy.0', 'hero-copy.2']);
    expect(draft.audiences.map((audience) => audience.id)).toEqual(['hero-copy.0.audience']);
    expect(output[0]).toBe(
      `saved as drafts of ${test.siteKey} (publish to go live): 2 experience(s), 1 audience(s); 1 skipped`,
    );
    expect(output).toContainEqual(expect.stringMatching(/^skipped\thero-copy#1\tundeclared_attribute\t.*"country"/));
    // The imported drafts are judged by the linter like any other.
    expect(output.some((line) => line.startsWith('lint '))).toBe(true);
  });

  it('a dry run reports the same and saves nothing', async () => {
    expect(await run([file, '--site', test.siteKey, '--dry-run'])).toBe(0);
    expect(output[0]).toMatch(/^dry run for shop, nothing saved: 2 experience\(s\)/);
    const draft = await loadDraft(test.context, (await requireSite(test.context, test.siteKey)).id);
    expect(draft.experiences).toEqual([]);
  });

  it('without a site no field is declared, so every condition is listed', async () => {
    expect(await run([file])).toBe(0);
    expect(output[0]).toMatch(/^dry run without a site .*: 1 experience\(s\), 0 audience\(s\); 2 skipped$/);
  });

  it('refuses what is not a payload with a message that says what to export', async () => {
    writeFileSync(file, JSON.stringify({ flags: [] }));
    await expect(run([file, '--site', test.siteKey])).rejects.toThrow(/GrowthBook SDK endpoint/);
    writeFileSync(file, JSON.stringify({ features: {}, encryptedFeatures: 'abc' }));
    await expect(run([file])).rejects.toThrow(/encrypted/);
  });

  it('answers a malformed command with its usage', async () => {
    expect(await run(['--site'])).toBe(2);
    expect(output[0]).toMatch(/^Usage: candor import-growthbook/);
  });
});
