import type { DbHandle } from '../../storage/db-handle.js';
import { chainHash, GENESIS_HASH, type ChainLink } from './chain.js';

/** A record to append; the store adds the chain. */
export interface ConsentAppend {
  readonly siteId: string;
  readonly visitorId: string;
  readonly subjectHash: string;
  readonly consentId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The record's canonical JSON, exactly what the hash covers. */
  readonly payload: string;
}

/** A stored ledger record. */
export interface ConsentRow {
  readonly seq: number;
  readonly consentId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly payload: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** The append-only consent ledger. */
export interface ConsentStore {
  /** Appends under a per-site lock so the chain never forks; returns the hashes written. */
  appendConsent(record: ConsentAppend): Promise<{ prevHash: string; hash: string }>;
  listConsent(visitorId: string): Promise<ConsentRow[]>;
  latestConsent(visitorId: string): Promise<ConsentRow | undefined>;
  chainLinks(siteId: string): Promise<ChainLink[]>;
  /** A site's records created in [from, to), in chain order, at most `limit` of them (ask for one more to see an overflow). */
  ledgerRange(siteId: string, from: number, to: number, limit: number): Promise<ConsentRow[]>;
  /** Retention: drops a site's records created before `cutoff` (the chain check then starts at the first kept). */
  deleteConsentBefore(siteId: string, cutoff: number): Promise<number>;
}

/** The ledger over Kysely. */
export function createConsentStore({ db, dialect }: DbHandle): ConsentStore {
  const toRow = (row: {
    seq: number;
    consent_id: string;
    created_at: number;
    expires_at: number;
    payload: string | null;
    prev_hash: string;
    hash: string;
  }): ConsentRow => ({
    seq: Number(row.seq),
    consentId: row.consent_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  });
  return {
    async appendConsent(record) {
      return db.transaction().execute(async (trx) => {
        // PostgreSQL: lock the site row so two nodes cannot both extend the same tail. SQLite runs one
        // writer at a time already.
        if (dialect === 'postgres') {
          await trx.selectFrom('sites').select('id').where('id', '=', record.siteId).forUpdate().execute();
        }
        const tail = await trx
          .selectFrom('consent_ledger')
          .select('hash')
          .where('site_id', '=', record.siteId)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        const prevHash = tail?.hash ?? GENESIS_HASH;
        const hash = chainHash(prevHash, record.payload);
        await trx
          .insertInto('consent_ledger')
          .values({
            site_id: record.siteId,
            consent_id: record.consentId,
            visitor_id: record.visitorId,
            subject_hash: record.subjectHash,
            created_at: record.createdAt,
            expires_at: record.expiresAt,
            payload: record.payload,
            prev_hash: prevHash,
            hash,
            erased_at: null,
          })
          .execute();
        return { prevHash, hash };
      });
    },
    async listConsent(visitorId) {
      const rows = await db
        .selectFrom('consent_ledger')
        .selectAll()
        .where('visitor_id', '=', visitorId)
        .orderBy('seq')
        .execute();
      return rows.map(toRow);
    },
    async latestConsent(visitorId) {
      const row = await db
        .selectFrom('consent_ledger')
        .selectAll()
        .where('visitor_id', '=', visitorId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : toRow(row);
    },
    async chainLinks(siteId) {
      const rows = await db
        .selectFrom('consent_ledger')
        .select(['seq', 'prev_hash', 'hash', 'payload'])
        .where('site_id', '=', siteId)
        .orderBy('seq')
        .execute();
      return rows.map((row) => ({
        seq: Number(row.seq),
        prevHash: row.prev_hash,
        hash: row.hash,
        payload: row.payload,
      }));
    },
    async ledgerRange(siteId, from, to, limit) {
      const rows = await db
        .selectFrom('consent_ledger')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },
    async deleteConsentBefore(siteId, cutoff) {
      const result = await db
        .deleteFrom('consent_ledger')
        .where('site_id', '=', siteId)
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
