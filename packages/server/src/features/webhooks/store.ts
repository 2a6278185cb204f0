import type { WebhookDeliveriesTable, WebhooksTable } from '../../storage/database.js';
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

/** Where a delivery stands. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'refused';

/** One delivery of one event to one webhook; the body carries ids and versions only. */
export interface DeliveryRecord {
  readonly id: string;
  readonly siteId: string;
  readonly webhookId: string;
  readonly event: string;
  readonly body: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** Epoch ms the next attempt is due (pending), or of the last attempt. */
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}

/** What one attempt changed. */
export type DeliveryUpdate = Pick<DeliveryRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'finishedAt'>;

/** Storage of webhook subscriptions and their deliveries. */
export interface WebhooksStore {
  createWebhook(webhook: WebhookRecord): Promise<void>;
  listWebhooks(siteId: string): Promise<WebhookRecord[]>;
  getWebhook(id: string): Promise<WebhookRecord | undefined>;
  /** Deletes the subscription and its delivery log. */
  deleteWebhook(siteId: string, id: string): Promise<boolean>;
  /** Key rotation: the same secret, sealed under the new data key. */
  updateWebhookSecret(id: string, sealed: string): Promise<void>;
  queueDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void>;
  /**
   * Claims up to `limit` pending deliveries due at `now` by pushing their next attempt `leaseMs`
   * ahead; a conditional update, so two nodes never claim the same one.
   */
  claimDueDeliveries(now: number, leaseMs: number, limit: number): Promise<DeliveryRecord[]>;
  updateDelivery(id: string, update: DeliveryUpdate): Promise<void>;
  /** A webhook's deliveries, newest first. */
  listDeliveries(webhookId: string, limit: number): Promise<DeliveryRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /** The earliest due time among pending deliveries, if any. */
  nextDeliveryDue(): Promise<number | undefined>;
  /** Drops finished deliveries older than the cutoff (the retention job). */
  deleteDeliveriesBefore(cutoff: number): Promise<number>;
}

function toWebhook(row: WebhooksTable): WebhookRecord {
  return {
    id: row.id,
    siteId: row.site_id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    secretSealed: row.secret_sealed,
    createdAt: Number(row.created_at),
  };
}

function toDelivery(row: WebhookDeliveriesTable): DeliveryRecord {
  return {
    id: row.id,
    siteId: row.site_id,
    webhookId: row.webhook_id,
    event: row.event,
    body: row.body,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
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
      return rows.map(toWebhook);
    },
    async getWebhook(id) {
      const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toWebhook(row);
    },
    async queueDeliveries(deliveries) {
      if (deliveries.length === 0) return;
      await db
        .insertInto('webhook_deliveries')
        .values(
          deliveries.map((delivery) => ({
            id: delivery.id,
            site_id: delivery.siteId,
            webhook_id: delivery.webhookId,
            event: delivery.event,
            body: delivery.body,
            status: delivery.status,
            attempts: delivery.attempts,
            next_attempt_at: delivery.nextAttemptAt,
            last_error: delivery.lastError,
            created_at: delivery.createdAt,
            finished_at: delivery.finishedAt,
          })),
        )
        .execute();
    },
    async claimDueDeliveries(now, leaseMs, limit) {
      const due = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      const claimed: DeliveryRecord[] = [];
      for (const row of due) {
        const result = await db
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: now + leaseMs })
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .where('next_attempt_at', '=', row.next_attempt_at)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) > 0) claimed.push(toDelivery(row));
      }
      return claimed;
    },
    async updateDelivery(id, update) {
      await db
        .updateTable('webhook_deliveries')
        .set({
          status: update.status,
          attempts: update.attempts,
          next_attempt_at: update.nextAttemptAt,
          last_error: update.lastError,
          finished_at: update.finishedAt,
        })
        .where('id', '=', id)
        .execute();
    },
    async listDeliveries(webhookId, limit) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('webhook_id', '=', webhookId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toDelivery);
    },
    async getDelivery(id) {
      const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toDelivery(row);
    },
    async nextDeliveryDue() {
      const row = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.min('next_attempt_at').as('due'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
    },
    async deleteDeliveriesBefore(cutoff) {
      const result = await db
        .deleteFrom('webhook_deliveries')
        .where('status', '!=', 'pending')
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async updateWebhookSecret(id, sealed) {
      await db.updateTable('webhooks').set({ secret_sealed: sealed }).where('id', '=', id).execute();
    },
    async deleteWebhook(siteId, id) {
      await db.deleteFrom('webhook_deliveries').where('site_id', '=', siteId).where('webhook_id', '=', id).execute();
      const result = await db
        .deleteFrom('webhooks')
        .where('site_id', '=', siteId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
