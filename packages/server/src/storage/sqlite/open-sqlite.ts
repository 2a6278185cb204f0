import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database.js';
import type { DbHandle } from '../db-handle.js';

/** Opens (creating if needed) the embedded SQLite database: WAL, synchronous FULL so an acknowledged write survives kill -9. */
export function openSqlite(path: string): DbHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let database: SQLite.Database;
  try {
    database = new SQLite(path);
    database.pragma('journal_mode = WAL');
  } catch (error) {
    // better-sqlite3 says only "unable to open database file"; say which file and what it needs.
    throw new Error(
      `Cannot open the SQLite database ${path} (${(error as { code?: string }).code ?? String(error)}): Candor needs ` +
        `write access to it and to its directory (WAL mode writes ${path}-wal and ${path}-shm beside it), and free space.`,
      { cause: error },
    );
  }
  // FULL rather than NORMAL: in WAL mode NORMAL may lose the last commits on power loss; a report
  // acknowledged with 2xx must survive (issue 3, "Durability").
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new RollbackSafeSqliteDialect(database) });
  return { db, dialect: 'sqlite' };
}

/**
 * SQLite rolls a transaction back by itself on SQLITE_FULL, SQLITE_IOERR and the like; Kysely then
 * sends ROLLBACK anyway, which fails with "cannot rollback - no transaction is active" and replaces
 * the real error (a full disk became a 500 instead of a 503). Roll back only what is still open.
 */
class RollbackSafeSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SQLite.Database) {
    super({ database });
  }
  override createDriver(): ReturnType<SqliteDialect['createDriver']> {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (this.database.inTransaction) await rollback(connection);
    };
    return driver;
  }
}
