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

/** Storage of visitors and their server-side values. */
export interface VisitorsStore {
  createVisitor(visitor: VisitorRecord): Promise<void>;
  getVisitor(id: string): Promise<VisitorRecord | undefined>;
  putValue(value: SealedValue): Promise<void>;
  listValues(visitorId: string): Promise<SealedValue[]>;
  deleteValue(visitorId: string, fieldKey: string): Promise<boolean>;
  /** Deletes the values collected under the given purposes (a withdrawal); all values when `purposes` is 'all'. */
  deleteValuesByPurpose(visitorId: string, purposes: readonly string[] | 'all'): Promise<number>;
  /** Erasure (GDPR Art. 17) in one transaction: values and visitor row go, ledger records keep only their chain. */
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
