import type { DbHandle } from '../../storage/db-handle.js';

/** A site row with its settings parsed. */
export interface SiteRecord {
  readonly id: string;
  readonly siteKey: string;
  readonly settings: SiteSettingsRecord;
  readonly signingPublicJwk: string;
  readonly signingPrivateSealed: string;
  readonly createdAt: number;
}

/** Site settings as stored (schema's `SiteSettingsInput`). */
export interface SiteSettingsRecord {
  readonly name: string;
  readonly defaultLanguage: 'en' | 'zh-Hant';
  /** The languages the site writes its texts in (schema's `siteLanguages`); absent: every language. */
  readonly languages?: readonly ('en' | 'zh-Hant')[] | undefined;
  readonly policyVersion: string;
  readonly privacyPageUrl?: string | undefined;
  readonly explainDefaults: boolean;
  readonly allowedOrigins: readonly string[];
  readonly ledgerRetentionDays: number;
  /** 'owner': a bandit's new weights wait for an owner's approval instead of publishing on their own. */
  readonly banditApproval?: 'automatic' | 'owner' | undefined;
  /** The site's CMP as consent source (schema's `SiteSettingsInput.consentSource`). */
  readonly consentSource?:
    { readonly name: string; readonly map: Readonly<Record<string, readonly string[]>> } | undefined;
  /** Limits on placed questions (schema's `SiteSettingsInput.questionLimits`). */
  readonly questionLimits?: { readonly perPage: number; readonly perVisit: number } | undefined;
  /** Set by the demo seed when it generated results and consent records (not real visitors); kept across edits. */
  readonly demoData?: boolean;
}

/** Storage of sites. */
export interface SitesStore {
  createSite(site: SiteRecord): Promise<void>;
  getSiteByKey(siteKey: string): Promise<SiteRecord | undefined>;
  getSite(id: string): Promise<SiteRecord | undefined>;
  listSites(): Promise<SiteRecord[]>;
  updateSiteSettings(id: string, settings: SiteSettingsRecord): Promise<void>;
  /** Key rotation: the same signing key, sealed under the new data key. */
  updateSiteSigningKey(id: string, sealed: string): Promise<void>;
}

interface SiteRow {
  id: string;
  site_key: string;
  settings: string;
  signing_public_jwk: string;
  signing_private_sealed: string;
  created_at: number;
}

function toSite(row: SiteRow): SiteRecord {
  return {
    id: row.id,
    siteKey: row.site_key,
    settings: JSON.parse(row.settings) as SiteSettingsRecord,
    signingPublicJwk: row.signing_public_jwk,
    signingPrivateSealed: row.signing_private_sealed,
    createdAt: Number(row.created_at),
  };
}

/** Sites over Kysely. */
export function createSitesStore({ db }: DbHandle): SitesStore {
  return {
    async createSite(site) {
      await db
        .insertInto('sites')
        .values({
          id: site.id,
          site_key: site.siteKey,
          settings: JSON.stringify(site.settings),
          signing_public_jwk: site.signingPublicJwk,
          signing_private_sealed: site.signingPrivateSealed,
          created_at: site.createdAt,
        })
        .execute();
    },
    async getSiteByKey(siteKey) {
      const row = await db.selectFrom('sites').selectAll().where('site_key', '=', siteKey).executeTakeFirst();
      return row === undefined ? undefined : toSite(row);
    },
    async getSite(id) {
      const row = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toSite(row);
    },
    async listSites() {
      return (await db.selectFrom('sites').selectAll().orderBy('created_at').execute()).map(toSite);
    },
    async updateSiteSigningKey(id, sealed) {
      await db.updateTable('sites').set({ signing_private_sealed: sealed }).where('id', '=', id).execute();
    },
    async updateSiteSettings(id, settings) {
      await db
        .updateTable('sites')
        .set({ settings: JSON.stringify(settings) })
        .where('id', '=', id)
        .execute();
    },
  };
}
