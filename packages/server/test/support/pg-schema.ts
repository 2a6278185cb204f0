import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testPostgresUrl } from '../../src/storage/postgres/test-database.js';

/** A fresh schema on the test PostgreSQL server, as child-process env, and how to drop it. */
export async function pgSchemaEnv(): Promise<{ env: Record<string, string>; drop: () => Promise<void> } | undefined> {
  const url = testPostgresUrl();
  if (url === undefined) return undefined;
  const schema = `candor_fault_${randomBytes(5).toString('hex')}`;
  const run = async (text: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await run(`create schema ${schema}`);
  const separator = url.includes('?') ? '&' : '?';
  return {
    env: {
      DATABASE_URL: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      CANDOR_SECRET: 'test-secret-shared-by-every-node',
    },
    drop: () => run(`drop schema if exists ${schema} cascade`),
  };
}
