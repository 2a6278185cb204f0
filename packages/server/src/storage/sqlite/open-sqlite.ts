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
  // Erasure without residue (issue 11): a deleted or rewritten row is overwritten with zeros in its
  // page and freed pages are zeroed, instead of lingering until the space is reused. ON, not FAST:
  // FAST leaves whole freed pages (overflow pages of a long row) as they were.
  database.pragma('secure_delete = ON');
  // A crash between an erasure's commit and its purge left the old pages in the WAL: cut it now.
  // Busy (another process reading) or failing (a full disk) must not stop the start; the next
  // erasure purges again.
  if (path !== ':memory:') {
    try {
      database.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Left to the next erasure's purge, which reports it.
    }
  }
  const db = new Kysely<Database>({ dialect: new RollbackSafeSqliteDialect(database) });
  return { db, dialect: 'sqlite', purgeResidue: async () => purgeWal(database) };
}

// The WAL still holds the pages as they were before the zeroing: copy the zeroed pages into the
// database and cut the WAL to zero bytes. TRUNCATE waits (busy_timeout) for readers in other
// processes; one that outlasts it keeps the old copy until the next checkpoint, so say so.
function purgeWal(database: SQLite.Database): void {
  if (database.memory) return;
  const [result] = database.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (result?.busy !== 0) {
    throw new Error(
      'Another process kept the SQLite WAL busy, so an old copy of erased rows stays in it until the next ' +
        'checkpoint: stop any second server or CLI command on the same data directory (the last one to close truncates it).',
    );
  }
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
