import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database.js';
import type { DbHandle } from '../db-handle.js';

/** Opens (creating if needed) the embedded SQLite database: WAL, synchronous FULL so an acknowledged write survives kill -9. */
export function openSqlite(path: string): DbHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  // FULL rather than NORMAL: in WAL mode NORMAL may lose the last commits on power loss; a report
  // acknowledged with 2xx must survive (issue 3, "Durability").
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite' };
}
