import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/** Which SQL dialect a handle speaks; stores branch on it only where SQL differs (locks, upserts). */
export type DialectName = 'sqlite' | 'postgres';

/** A Kysely instance with its dialect, what every feature store is built on. */
export interface DbHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Called with a site id when another process publishes; SQLite has only this process. */
  readonly listen?: (onSnapshot: (siteId: string) => void) => Promise<() => Promise<void>>;
  /** Tells every other process a site has a new snapshot (PostgreSQL NOTIFY). */
  readonly notify?: (siteId: string) => Promise<void>;
  /**
   * After an erasure: move what the deleted rows left behind out of the files (SQLite checkpoints
   * its WAL into the zeroed pages and truncates it; PostgreSQL vacuums the visitor tables).
   */
  readonly purgeResidue: () => Promise<void>;
}
