import type { DbHandle } from '../../storage/db-handle.js';

/** A pseudonymous visitor as stored. */
export interface VisitorRecord {
  readonly id: string;
  readonly siteId: string;
  readonly tokenHash: string;
  readonly createdAt: number;
}

/** A sealed server-side value as stored. */
export interface SealedValue {
  readonly visitorId: string;
  readonly fieldKey: string;
  readonly purpose: string;
  readonly source: string;
  readonly sealed: string;
  readonly collectedAt: number;
  readonly expiresAt: number;
}

/** What an erasure leaves behind: the minimal proof it happened. */
export interface ErasureReceipt {
  readonly subjectHash: string;
  readonly siteId: string;
  readonly erasedAt: number;
  readonly requestedBy: string;
}

/** A visitor's value key as stored (sealed with the data key), for rotation. */
export interface SealedValueKey {
  readonly visitorId: string;
  readonly sealed: string;
}

/** Storage of visitors and their server-side values. */
export interface VisitorsStore {
  createVisitor(visitor: VisitorRecord): Promise<void>;
  getVisitor(id: string): Promise<VisitorRecord | undefined>;
  /** The visitor's sealed value key: null when none was made yet, undefined when there is no such visitor. */
  getValueKey(visitorId: string): Promise<string | null | undefined>;
  /**
   * Stores a sealed value key only if the visitor has none yet, and returns the one that holds (two
   * first writes racing must not seal values with two keys, one of them lost).
   */
  claimValueKey(visitorId: string, sealed: string): Promise<string | undefined>;
  /** Pages through every sealed value key, by visitor id (data-key rotation). */
  listValueKeys(afterVisitorId: string | undefined, limit: number): Promise<SealedValueKey[]>;
  /** Compare-and-set re-wrap of a value key under a new data key. */
  updateValueKey(visitorId: string, oldSealed: string, newSealed: string): Promise<boolean>;
  putValue(value: SealedValue): Promise<void>;
  listValues(visitorId: string): Promise<SealedValue[]>;
  deleteValue(visitorId: string, fieldKey: string): Promise<boolean>;
  /** Deletes the values collected under the given purposes (a withdrawal); all values when `purposes` is 'all'. */
  deleteValuesByPurpose(visitorId: string, purposes: readonly string[] | 'all'): Promise<number>;
  /**
   * Erasure (GDPR Art. 17) in one transaction: values, contributions and the visitor row (with its
   * value key) go, ledger records keep only their chain. Call `scrub` after it so no copy stays behind.
   */
  eraseVisitor(visitorId: string, receipt: ErasureReceipt): Promise<boolean>;
  listErasures(siteId: string): Promise<ErasureReceipt[]>;
  /** Pages through every sealed value (key rotation). */
  listSealedValues(afterKey: string | undefined, limit: number): Promise<SealedValue[]>;
  updateSealed(visitorId: string, fieldKey: string, oldSealed: string, newSealed: string): Promise<boolean>;
  deleteExpiredValues(now: number): Promise<number>;
}

interface ValueRow {
  visitor_id: string;
  field_key: string;
  purpose: string;
  source: string;
  sealed: string;
  collected_at: number;
  expires_at: number;
}

function toValue(row: ValueRow): SealedValue {
  return {
    visitorId: row.visitor_id,
    fieldKey: row.field_key,
    purpose: row.purpose,
    source: row.source,
    sealed: row.sealed,
    collectedAt: Number(row.collected_at),
    expiresAt: Number(row.expires_at),
  };
}

/** Visitors over Kysely. */
export function createVisitorsStore({ db }: DbHandle): VisitorsStore {
  return {
    async createVisitor(visitor) {
      await db
        .insertInto('visitors')
        .values({
          id: visitor.id,
          site_id: visitor.siteId,
          token_hash: visitor.tokenHash,
          created_at: visitor.createdAt,
        })
        .execute();
    },
    async getVisitor(id) {
      const row = await db.selectFrom('visitors').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined
        ? undefined
        : { id: row.id, siteId: row.site_id, tokenHash: row.token_hash, createdAt: Number(row.created_at) };
    },
    async getValueKey(visitorId) {
      const row = await db
        .selectFrom('visitors')
        .select('value_key_sealed')
        .where('id', '=', visitorId)
        .executeTakeFirst();
      return row === undefined ? undefined : row.value_key_sealed;
    },
    async claimValueKey(visitorId, sealed) {
      await db
        .updateTable('visitors')
        .set({ value_key_sealed: sealed })
        .where('id', '=', visitorId)
        .where('value_key_sealed', 'is', null)
        .execute();
      const row = await db
        .selectFrom('visitors')
        .select('value_key_sealed')
        .where('id', '=', visitorId)
        .executeTakeFirst();
      return row?.value_key_sealed ?? undefined;
    },
    async listValueKeys(afterVisitorId, limit) {
      let query = db
        .selectFrom('visitors')
        .select(['id', 'value_key_sealed'])
        .where('value_key_sealed', 'is not', null);
      if (afterVisitorId !== undefined) query = query.where('id', '>', afterVisitorId);
      const rows = await query.orderBy('id').limit(limit).execute();
      return rows.map((row) => ({ visitorId: row.id, sealed: row.value_key_sealed ?? '' }));
    },
    async updateValueKey(visitorId, oldSealed, newSealed) {
      const result = await db
        .updateTable('visitors')
        .set({ value_key_sealed: newSealed })
        .where('id', '=', visitorId)
        .where('value_key_sealed', '=', oldSealed)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async putValue(value) {
      const row = {
        visitor_id: value.visitorId,
        field_key: value.fieldKey,
        purpose: value.purpose,
        source: value.source,
        sealed: value.sealed,
        collected_at: value.collectedAt,
        expires_at: value.expiresAt,
      };
      await db
        .insertInto('visitor_values')
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(['visitor_id', 'field_key']).doUpdateSet({
            purpose: row.purpose,
            source: row.source,
            sealed: row.sealed,
            collected_at: row.collected_at,
            expires_at: row.expires_at,
          }),
        )
        .execute();
    },
    async listValues(visitorId) {
      const rows = await db
        .selectFrom('visitor_values')
        .selectAll()
        .where('visitor_id', '=', visitorId)
        .orderBy('field_key')
        .execute();
      return rows.map(toValue);
    },
    async deleteValue(visitorId, fieldKey) {
      const result = await db
        .deleteFrom('visitor_values')
        .where('visitor_id', '=', visitorId)
        .where('field_key', '=', fieldKey)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async deleteValuesByPurpose(visitorId, purposes) {
      let query = db.deleteFrom('visitor_values').where('visitor_id', '=', visitorId);
      if (purposes !== 'all') {
        if (purposes.length === 0) return 0;
        query = query.where('purpose', 'in', [...purposes]);
      }
      return Number((await query.executeTakeFirst()).numDeletedRows);
    },
    async eraseVisitor(visitorId, receipt) {
      return db.transaction().execute(async (trx) => {
        const visitor = await trx.selectFrom('visitors').select('id').where('id', '=', visitorId).executeTakeFirst();
        if (visitor === undefined) return false;
        await trx.deleteFrom('visitor_values').where('visitor_id', '=', visitorId).execute();
        // What this visitor contributed to measurement (migration 0005) is keyed by their id too; the
        // cells keep the aggregate, only the per-visitor bookkeeping goes.
        await trx.deleteFrom('visitor_contributions').where('visitor_id', '=', visitorId).execute();
        // The chain must stay verifiable, so records are emptied rather than removed.
        await trx
          .updateTable('consent_ledger')
          .set({ visitor_id: null, payload: null, erased_at: receipt.erasedAt })
          .where('visitor_id', '=', visitorId)
          .execute();
        await trx.deleteFrom('visitors').where('id', '=', visitorId).execute();
        await trx
          .insertInto('erasures')
          .values({
            subject_hash: receipt.subjectHash,
            site_id: receipt.siteId,
            erased_at: receipt.erasedAt,
            requested_by: receipt.requestedBy,
          })
          .execute();
        return true;
      });
    },
    async listErasures(siteId) {
      const rows = await db
        .selectFrom('erasures')
        .selectAll()
        .where('site_id', '=', siteId)
        .orderBy('erased_at')
        .execute();
      return rows.map((row) => ({
        subjectHash: row.subject_hash,
        siteId: row.site_id,
        erasedAt: Number(row.erased_at),
        requestedBy: row.requested_by,
      }));
    },
    async listSealedValues(afterKey, limit) {
      let query = db.selectFrom('visitor_values').selectAll();
      if (afterKey !== undefined) {
        const [visitorId = '', fieldKey = ''] = afterKey.split('\u0000');
        query = query.where((eb) =>
          eb.or([
            eb('visitor_id', '>', visitorId),
            eb.and([eb('visitor_id', '=', visitorId), eb('field_key', '>', fieldKey)]),
          ]),
        );
      }
      const rows = await query.orderBy('visitor_id').orderBy('field_key').limit(limit).execute();
      return rows.map(toValue);
    },
    async updateSealed(visitorId, fieldKey, oldSealed, newSealed) {
      // Compare-and-set: a value the visitor rewrote meanwhile is already sealed with the new key.
      const result = await db
        .updateTable('visitor_values')
        .set({ sealed: newSealed })
        .where('visitor_id', '=', visitorId)
        .where('field_key', '=', fieldKey)
        .where('sealed', '=', oldSealed)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async deleteExpiredValues(now) {
      return Number(
        (await db.deleteFrom('visitor_values').where('expires_at', '<=', now).executeTakeFirst()).numDeletedRows,
      );
    },
  };
}
