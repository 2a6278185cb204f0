import type { DbHandle } from '../../storage/db-handle.js';

/** One stored draft entity. */
export interface DraftRecord {
  readonly kind: string;
  readonly id: string;
  readonly body: unknown;
  readonly updatedAt: number;
}

/** Storage of draft entities, one JSON document each. */
export interface DraftsStore {
  listDrafts(siteId: string, kind?: string): Promise<DraftRecord[]>;
  getDraft(siteId: string, kind: string, id: string): Promise<DraftRecord | undefined>;
  putDraft(siteId: string, kind: string, id: string, body: unknown, now: number): Promise<void>;
  deleteDraft(siteId: string, kind: string, id: string): Promise<boolean>;
}

/** Drafts over Kysely. */
export function createDraftsStore({ db }: DbHandle): DraftsStore {
  return {
    async listDrafts(siteId, kind) {
      let query = db.selectFrom('drafts').selectAll().where('site_id', '=', siteId);
      if (kind !== undefined) query = query.where('kind', '=', kind);
      const rows = await query.orderBy('kind').orderBy('entity_id').execute();
      return rows.map((row) => ({
        kind: row.kind,
        id: row.entity_id,
        body: JSON.parse(row.body) as unknown,
        updatedAt: Number(row.updated_at),
      }));
    },
    async getDraft(siteId, kind, id) {
      const row = await db
        .selectFrom('drafts')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('kind', '=', kind)
        .where('entity_id', '=', id)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : {
            kind: row.kind,
            id: row.entity_id,
            body: JSON.parse(row.body) as unknown,
            updatedAt: Number(row.updated_at),
          };
    },
    async putDraft(siteId, kind, id, body, now) {
      const text = JSON.stringify(body);
      await db
        .insertInto('drafts')
        .values({ site_id: siteId, kind, entity_id: id, body: text, updated_at: now })
        .onConflict((conflict) =>
          conflict.columns(['site_id', 'kind', 'entity_id']).doUpdateSet({ body: text, updated_at: now }),
        )
        .execute();
    },
    async deleteDraft(siteId, kind, id) {
      const result = await db
        .deleteFrom('drafts')
        .where('site_id', '=', siteId)
        .where('kind', '=', kind)
        .where('entity_id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
