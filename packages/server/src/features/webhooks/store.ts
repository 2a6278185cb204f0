import type { DbHandle } from '../../storage/db-handle.js';

/** A webhook subscription as stored; the HMAC secret is sealed. */
export interface WebhookRecord {
  readonly id: string;
  readonly siteId: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secretSealed: string;
  readonly createdAt: number;
}

/** Storage of webhook subscriptions. */
export interface WebhooksStore {
  createWebhook(webhook: WebhookRecord): Promise<void>;
  listWebhooks(siteId: string): Promise<WebhookRecord[]>;
  deleteWebhook(siteId: string, id: string): Promise<boolean>;
  /** Key rotation: the same secret, sealed under the new data key. */
  updateWebhookSecret(id: string, sealed: string): Promise<void>;
}

/** Webhooks over Kysely. */
export function createWebhooksStore({ db }: DbHandle): WebhooksStore {
  return {
    async createWebhook(webhook) {
      await db
        .insertInto('webhooks')
        .values({
          id: webhook.id,
          site_id: webhook.siteId,
          url: webhook.url,
          events: JSON.stringify(webhook.events),
          secret_sealed: webhook.secretSealed,
          created_at: webhook.createdAt,
        })
        .execute();
    },
    async listWebhooks(siteId) {
      const rows = await db
        .selectFrom('webhooks')
        .selectAll()
        .where('site_id', '=', siteId)
        .orderBy('created_at')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        siteId: row.site_id,
        url: row.url,
        events: JSON.parse(row.events) as string[],
        secretSealed: row.secret_sealed,
        createdAt: Number(row.created_at),
      }));
    },
    async updateWebhookSecret(id, sealed) {
      await db.updateTable('webhooks').set({ secret_sealed: sealed }).where('id', '=', id).execute();
    },
    async deleteWebhook(siteId, id) {
      const result = await db
        .deleteFrom('webhooks')
        .where('site_id', '=', siteId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
