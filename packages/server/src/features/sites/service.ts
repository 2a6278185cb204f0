import { DEFAULT_PURPOSES } from '@candor/core';
import type { SiteCreateInput } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { open, seal } from '../../crypto/keyring.js';
import { createSigningKeyPair } from '../../crypto/signing.js';
import { randomId, randomToken } from '../../crypto/tokens.js';
import { AppError } from '../../http/app-error.js';
import type { SiteRecord } from './store.js';

/** Creates a site with its own signing key and Candor's default purposes as its first drafts. */
export async function createSite(context: AppContext, input: SiteCreateInput, actor: string): Promise<SiteRecord> {
  if ((await context.storage.getSiteByKey(input.siteKey)) !== undefined) {
    throw new AppError('conflict', `Site key "${input.siteKey}" is taken; choose another.`);
  }
  const id = randomId('site');
  const keys = createSigningKeyPair(`${input.siteKey}-${randomToken(6)}`);
  const { siteKey, ...settings } = input;
  const site: SiteRecord = {
    id,
    siteKey,
    settings,
    signingPublicJwk: JSON.stringify(keys.publicJwk),
    signingPrivateSealed: seal(context.keyring, keys.privateKeyPem, `signing:${id}`),
    createdAt: context.clock(),
  };
  await context.storage.createSite(site);
  for (const purpose of DEFAULT_PURPOSES) {
    await context.storage.putDraft(id, 'purposes', purpose.id, purpose, context.clock());
  }
  await context.storage.appendAudit({
    at: context.clock(),
    actor,
    action: 'site.create',
    siteId: id,
    target: `sites/${siteKey}`,
    before: null,
    after: input,
  });
  return site;
}

/** Finds a site by key or answers 404 naming the key. */
export async function requireSite(context: AppContext, siteKey: string): Promise<SiteRecord> {
  const site = await context.storage.getSiteByKey(siteKey);
  if (site === undefined) throw new AppError('not_found', `No site with key "${siteKey}".`);
  return site;
}

/** The site's private signing key, opened from its sealed form. */
export function signingKeyOf(context: AppContext, site: SiteRecord): string {
  return open(context.keyring, site.signingPrivateSealed, `signing:${site.id}`);
}

/** The public part of a site, as admin routes show it; `demoData` says its figures are the demo's generated ones. */
export function publicSite(site: SiteRecord): {
  siteKey: string;
  settings: Omit<SiteRecord['settings'], 'demoData'>;
  createdAt: number;
  demoData: boolean;
} {
  const { demoData, ...settings } = site.settings;
  return { siteKey: site.siteKey, settings, createdAt: site.createdAt, demoData: demoData === true };
}
