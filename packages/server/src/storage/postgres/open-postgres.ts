import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../database.js';
import type { DbHandle } from '../db-handle.js';

const CHANNEL = 'candor_snapshot';
const INT8_OID = 20;

/** Options for a PostgreSQL connection; `schema` isolates a test run or a tenant. */
export interface PostgresOptions {
  readonly connectionString: string;
  readonly schema?: string;
  readonly max?: number;
}

// BIGINT columns hold epoch ms and sequence numbers, all far below 2^53: read them as numbers.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
};

function clientConfig(options: PostgresOptions): pg.ClientConfig {
  return {
    connectionString: options.connectionString,
    types,
    // Fail fast when the database is away: routes answer 503 instead of hanging.
    connectionTimeoutMillis: 2000,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  };
}

/** Opens a pooled PostgreSQL handle with LISTEN/NOTIFY so every process learns of a new snapshot. */
export function openPostgres(options: PostgresOptions): DbHandle {
  const pool = new pg.Pool({ ...clientConfig(options), max: options.max ?? 10 });
  // An idle client that loses its server emits here; without a listener the process would crash.
  pool.on('error', () => undefined);
  // A checked-out client whose server vanishes between queries emits 'error' too; unhandled, that
  // would crash the process instead of failing the request with 503.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    notify: async (siteId) => {
      await pool.query('select pg_notify($1, $2)', [CHANNEL, siteId]);
    },
    listen: async (onSnapshot) => listenForSnapshots(options, onSnapshot),
    purgeResidue: () => vacuumVisitorTables(db),
  };
}

/**
 * After an erasure: VACUUM prunes the deleted row versions (and their index entries) from the visitor
 * tables, so they stop sitting in pages as dead tuples. It does not reach the WAL, nor a pruned
 * tuple's bytes that nothing has overwritten yet: on PostgreSQL the values' per-visitor key carries
 * the guarantee (SECURITY.md, "Erasure").
 */
export async function vacuumVisitorTables(db: Kysely<Database>): Promise<void> {
  await sql`vacuum visitors, visitor_values, consent_ledger, visitor_contributions`.execute(db);
}

// A dedicated client that reconnects by itself: a publish must reach this process even after the
// database restarted.
async function listenForSnapshots(
  options: PostgresOptions,
  onSnapshot: (siteId: string) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    if (stopped) return;
    const next = new pg.Client(clientConfig(options));
    next.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload !== undefined) onSnapshot(message.payload);
    });
    next.on('error', () => {
      void next.end().catch(() => undefined);
      schedule();
    });
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
      client = next;
      // Anything published while we were away: let the caller refresh everything it caches.
      onSnapshot('*');
    } catch {
      void next.end().catch(() => undefined);
      schedule();
    }
  };
  const schedule = (): void => {
    if (stopped || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 500);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry !== undefined) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
