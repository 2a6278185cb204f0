import { createAdmin } from '../../src/features/auth/service.js';
import { createSite } from '../../src/features/sites/service.js';
import { publish } from '../../src/features/publish/service.js';
import { loadConfig } from '../../src/config.js';
import { openCandor } from '../../src/main.js';
import { HERO_EXPERIENCE, REVENUE_METRIC, ROLE_FIELD, SIGNUP_METRIC } from '../../src/testing/fixtures.js';
import { TEST_PASSWORD, TEST_SITE } from '../../src/testing/test-app.js';
import type { Storage } from '../../src/storage/storage.js';
import { Writable } from 'node:stream';
import { hashToken } from '../../src/crypto/tokens.js';

/** The secret half of the trusted reporting key every prepared install has. */
const REPORT_KEY_SECRET = 'fault-suite-report-key-secret-0123456789';
/**
 * An API key with the publish permission, as a server-side SDK would hold: the fault suites send
 * precomputed aggregate batches with it, so every acknowledged batch adds exactly n = 1.
 */
export const REPORT_API_KEY = `cnd_key_reports.${REPORT_KEY_SECRET}`;

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

/** Sets up an install the way an admin would (site, drafts, one publish, an owner), then closes it. */
export async function prepareInstall(
  env: Readonly<Record<string, string>>,
  options: { publish: boolean },
): Promise<void> {
  const candor = await openCandor(loadConfig({ ...env, LOG_LEVEL: 'error', CANDOR_SCRYPT_LOG_N: '14' }), quiet);
  const { context } = candor;
  try {
    const site = await createSite(context, TEST_SITE, 'test');
    const owner = await createAdmin(context, 'owner@example.com', 'owner', TEST_PASSWORD);
    await context.storage.createApiKey({
      id: 'key_reports',
      name: 'fault-suite reports',
      secretHash: hashToken(REPORT_KEY_SECRET),
      scopes: ['publish'],
      createdBy: `user:${owner.id}`,
      createdAt: context.clock(),
      revokedAt: null,
    });
    const put = (kind: string, id: string, body: unknown) => context.storage.putDraft(site.id, kind, id, body, 1);
    await put('fields', 'role', ROLE_FIELD);
    await put('audiences', 'developers', { id: 'developers', name: 'Developers', condition: { role: 'developer' } });
    await put('metrics', 'revenue', REVENUE_METRIC);
    await put('metrics', 'signup', SIGNUP_METRIC);
    await put('experiences', 'hero-dev', HERO_EXPERIENCE);
    if (options.publish) await publish(context, site, [], 'test');
  } finally {
    await candor.app.close();
    await candor.storage.close();
  }
}

/** Opens the install's storage directly, to read what survived. */
export async function openInstallStorage(
  env: Readonly<Record<string, string>>,
): Promise<{ storage: Storage; close: () => Promise<void> }> {
  const candor = await openCandor(loadConfig({ ...env, LOG_LEVEL: 'error', CANDOR_SCRYPT_LOG_N: '14' }), quiet);
  return {
    storage: candor.storage,
    close: async () => {
      await candor.app.close();
      await candor.storage.close();
    },
  };
}
