import { Migrator, sql } from 'kysely';
import type { DbHandle } from './db-handle.js';
import { migrationProvider } from './migrations.js';

/** Applies every pending migration; run at start and by `candor migrate`. Throws with the failing migration's name. */
export async function migrateToLatest(handle: DbHandle): Promise<string[]> {
  // On PostgreSQL, name the schema: Kysely otherwise finds its bookkeeping tables in any schema of
  // the database (another tenant's, a test run's) and then cannot reach them through search_path.
  const schema =
    handle.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: handle.db,
    provider: migrationProvider(handle.dialect),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
