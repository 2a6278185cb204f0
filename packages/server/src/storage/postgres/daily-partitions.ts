import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database.js';

// Opt-in (CANDOR_PG_PARTITIONS=daily) for a site that outgrows one unpartitioned PostgreSQL table:
// `aggregates_daily` becomes a table partitioned by range of its `day` column, one partition per
// UTC day plus a default partition, so an insert never fails for want of a partition. The primary
// key already ends with `day`, which PostgreSQL requires for a unique key on a partitioned table,
// so the ON CONFLICT upsert of every report is unchanged. SQLite has no partitions; it is never
// converted.

const DAY_MS = 86_400_000;
const TABLE = 'aggregates_daily';
const DEFAULT_PARTITION = `${TABLE}_default`;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Days before today whose empty partitions are kept: a node whose clock is a little behind may still write yesterday. */
const KEEP_PAST_DAYS = 1;

/** What one maintenance run did. */
export interface PartitionRun {
  /** The unpartitioned table was converted (its rows copied into day partitions) in this run. */
  readonly converted: boolean;
  /** Day partitions created (ahead of time, or for days the conversion found). */
  readonly created: readonly string[];
  /** Days whose rows sat in the default partition and were moved into their own partition. */
  readonly moved: readonly string[];
  /** Past day partitions dropped because retention had emptied them (dropping beats DELETE on a partition). */
  readonly dropped: readonly string[];
}

/** Options of a maintenance run. */
export interface PartitionOptions {
  /** Partitions created after today, so a day's first report finds its partition ready (default 7). */
  readonly aheadDays?: number;
}

/** The UTC day `offset` days after `day`. */
function addDays(day: string, offset: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);
}

/** The partition that holds one day's rows; its name is the day without dashes. */
export function partitionName(day: string): string {
  if (!DAY_PATTERN.test(day)) throw new Error(`not a UTC day: ${day}`);
  return `${TABLE}_p${day.replaceAll('-', '')}`;
}

/** A day as a SQL literal; only ever called with a day that matched DAY_PATTERN. */
function dayLiteral(day: string) {
  if (!DAY_PATTERN.test(day)) throw new Error(`not a UTC day: ${day}`);
  return sql.raw(`'${day}'`);
}

/** Whether `aggregates_daily` (in the current schema) is a partitioned table. */
export async function isDailyPartitioned(db: Kysely<Database> | Transaction<Database>): Promise<boolean> {
  const { rows } = await sql<{ kind: string }>`select c.relkind as kind from pg_class c
    where c.oid = to_regclass(${TABLE})`.execute(db);
  return rows[0]?.kind === 'p';
}

/** The day partitions that exist, by day (the default partition not included). */
async function dayPartitions(trx: Transaction<Database>): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid where i.inhparent = to_regclass(${TABLE})`.execute(trx);
  const days = new Set<string>();
  for (const { name } of rows) {
    const match = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (match !== null) days.add(`${match[1]}-${match[2]}-${match[3]}`);
  }
  return days;
}

async function createPartition(trx: Transaction<Database>, day: string): Promise<void> {
  await sql`create table if not exists ${sql.raw(partitionName(day))} partition of ${sql.raw(TABLE)}
    for values from (${dayLiteral(day)}) to (${dayLiteral(addDays(day, 1))})`.execute(trx);
}

/** Rebuilds the unpartitioned table as a partitioned one with every row, under the caller's lock. */
async function convert(trx: Transaction<Database>): Promise<string[]> {
  // Writers wait on this lock; a report that was waiting fails once the old table is gone and the
  // SDK retries it under the same batch id, so nothing is lost or counted twice.
  await sql`lock table ${sql.raw(TABLE)} in access exclusive mode`.execute(trx);
  await sql`alter table ${sql.raw(TABLE)} rename to ${sql.raw(`${TABLE}_unpartitioned`)}`.execute(trx);
  await sql`alter table ${sql.raw(`${TABLE}_unpartitioned`)}
    rename constraint ${sql.raw(`${TABLE}_pk`)} to ${sql.raw(`${TABLE}_unpartitioned_pk`)}`.execute(trx);
  await sql`create table ${sql.raw(TABLE)} (like ${sql.raw(`${TABLE}_unpartitioned`)} including defaults)
    partition by range (day)`.execute(trx);
  await sql`alter table ${sql.raw(TABLE)} add constraint ${sql.raw(`${TABLE}_pk`)}
    primary key (site_id, experience_id, variant_id, metric_id, day)`.execute(trx);
  await sql`alter table ${sql.raw(TABLE)} add constraint ${sql.raw(`${TABLE}_site_fk`)}
    foreign key (site_id) references sites (id)`.execute(trx);
  await sql`create table ${sql.raw(DEFAULT_PARTITION)} partition of ${sql.raw(TABLE)} default`.execute(trx);
  const { rows } = await sql<{ day: string }>`select distinct day from ${sql.raw(`${TABLE}_unpartitioned`)}
    order by day`.execute(trx);
  const created: string[] = [];
  for (const { day } of rows) {
    if (!DAY_PATTERN.test(day)) continue; // lands in the default partition
    await createPartition(trx, day);
    created.push(day);
  }
  await sql`insert into ${sql.raw(TABLE)} select * from ${sql.raw(`${TABLE}_unpartitioned`)}`.execute(trx);
  await sql`drop table ${sql.raw(`${TABLE}_unpartitioned`)}`.execute(trx);
  return created;
}

/** Moves one day's rows out of the default partition into a new partition of their own. */
async function moveOutOfDefault(trx: Transaction<Database>, day: string): Promise<void> {
  const name = sql.raw(partitionName(day));
  await sql`create table ${name} (like ${sql.raw(TABLE)} including defaults)`.execute(trx);
  await sql`with moved as (delete from ${sql.raw(DEFAULT_PARTITION)} where day = ${day} returning *)
    insert into ${name} select * from moved`.execute(trx);
  await sql`alter table ${sql.raw(TABLE)} attach partition ${name}
    for values from (${dayLiteral(day)}) to (${dayLiteral(addDays(day, 1))})`.execute(trx);
}

/**
 * Converts `aggregates_daily` to daily partitions if it is not yet, creates the partitions of
 * yesterday through `aheadDays` after today, moves any day that fell into the default partition
 * into its own, and drops past partitions retention has emptied. One transaction under an advisory
 * lock per schema: two nodes running it at once take turns, and the second finds nothing to do.
 */
export async function maintainDailyPartitions(
  db: Kysely<Database>,
  now: number,
  options: PartitionOptions = {},
): Promise<PartitionRun> {
  const aheadDays = options.aheadDays ?? 7;
  const today = new Date(now).toISOString().slice(0, 10);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ${`.${TABLE}.partitions`}))`.execute(trx);
    const converted = !(await isDailyPartitioned(trx));
    const created = converted ? await convert(trx) : [];
    const moved: string[] = [];
    const { rows: stray } = await sql<{ day: string }>`select distinct day from ${sql.raw(DEFAULT_PARTITION)}
      order by day`.execute(trx);
    for (const { day } of stray) {
      if (!DAY_PATTERN.test(day)) continue;
      await moveOutOfDefault(trx, day);
      moved.push(day);
    }
    const existing = await dayPartitions(trx);
    for (let offset = -KEEP_PAST_DAYS; offset <= aheadDays; offset++) {
      const day = addDays(today, offset);
      if (existing.has(day)) continue;
      await createPartition(trx, day);
      existing.add(day);
      created.push(day);
    }
    const dropped: string[] = [];
    const oldest = addDays(today, -KEEP_PAST_DAYS);
    for (const day of [...existing].sort()) {
      if (day >= oldest) break;
      const name = sql.raw(partitionName(day));
      const { rows } = await sql<{ any: boolean }>`select exists (select 1 from ${name}) as any`.execute(trx);
      if (rows[0]?.any === true) continue;
      await sql`drop table ${name}`.execute(trx);
      dropped.push(day);
    }
    return { converted, created, moved, dropped };
  });
}
