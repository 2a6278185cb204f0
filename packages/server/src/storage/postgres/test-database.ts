import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from '../database.js';
import type { DbHandle } from '../db-handle.js';
import { openPostgres, vacuumVisitorTables } from './open-postgres.js';

/** A PostgreSQL database for one test run, and how to throw it away. */
export interface TestPostgres {
  readonly handle: DbHandle;
  /** What the run is against, for test names and skip reasons. */
  readonly target: 'server' | 'pglite';
  /** Connection string with the run's schema, for child processes (server target only). */
  readonly url?: string;
  readonly schema?: string;
  readonly drop: () => Promise<void>;
}

/** The PostgreSQL server tests use, or undefined; under `CI=true` a missing one is an error, not a skip. */
export function testPostgresUrl(): string | undefined {
  const url = process.env['CANDOR_TEST_PG_URL'];
  if ((url === undefined || url === '') && process.env['CI'] === 'true') {
    throw new Error('CI=true but CANDOR_TEST_PG_URL is unset: the PostgreSQL contract suite may not fall back in CI');
  }
  return url === '' ? undefined : url;
}

/** Creates a fresh schema on the test server (or a PGlite instance when there is none). */
export async function createTestPostgres(): Promise<TestPostgres> {
  const url = testPostgresUrl();
  if (url === undefined) {
    const db = new Kysely<Database>({
      dialect: new PGliteDialect(new PGlite({ parsers: { 20: (value: string) => Number(value) } })),
    });
    return {
      handle: { db, dialect: 'postgres', purgeResidue: () => vacuumVisitorTables(db) },
      target: 'pglite',
      drop: () => db.destroy(),
    };
  }
  const schema = `candor_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = openPostgres({ connectionString: url, schema, max: 5 });
  return {
    handle,
    target: 'server',
    url,
    schema,
    drop: async () => {
      await handle.db.destroy();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    },
  };
}
