import type { DbHandle } from '../../storage/db-handle.js';

/** One audit entry: who changed what, when, with the state before and after. */
export interface AuditEntry {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly siteId: string | null;
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Append-only storage of admin changes. */
export interface AuditStore {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first; `siteId: null` lists the installation-wide entries (users, API keys, passwords). */
  listAudit(options: {
    siteId?: string | null;
    limit: number;
    beforeSeq?: number;
  }): Promise<(AuditEntry & { seq: number })[]>;
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** The audit log over Kysely. */
export function createAuditStore({ db }: DbHandle): AuditStore {
  return {
    async appendAudit(entry) {
      await db
        .insertInto('audit_log')
        .values({
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          site_id: entry.siteId,
          target: entry.target,
          before: json(entry.before),
          after: json(entry.after),
        })
        .execute();
    },
    async listAudit({ siteId, limit, beforeSeq }) {
      let query = db.selectFrom('audit_log').selectAll();
      if (siteId === null) query = query.where('site_id', 'is', null);
      else if (siteId !== undefined) query = query.where('site_id', '=', siteId);
      if (beforeSeq !== undefined) query = query.where('seq', '<', beforeSeq);
      const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
      return rows.map((row) => ({
        seq: Number(row.seq),
        at: Number(row.at),
        actor: row.actor,
        action: row.action,
        siteId: row.site_id,
        target: row.target,
        before: row.before === null ? null : (JSON.parse(row.before) as unknown),
        after: row.after === null ? null : (JSON.parse(row.after) as unknown),
      }));
    },
  };
}
