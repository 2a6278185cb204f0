import { sql, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';

// One set of migrations for both dialects: only portable column types, and the one difference
// (auto-increment keys) decided by a flag. A shipped migration is never edited; add a new one.

type Db = Kysely<unknown>;

function serial(dialect: 'sqlite' | 'postgres'): 'integer' | 'bigserial' {
  return dialect === 'sqlite' ? 'integer' : 'bigserial';
}

function initial(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('sites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_key', 'text', (c) => c.notNull().unique())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('signing_public_jwk', 'text', (c) => c.notNull())
        .addColumn('signing_private_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('drafts')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('drafts_pk', ['site_id', 'kind', 'entity_id'])
        .execute();
      await db.schema
        .createTable('snapshots')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('lint_summary', 'text', (c) => c.notNull())
        .addColumn('published_at', 'bigint', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('snapshots_pk', ['site_id', 'version'])
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', serial(dialect), (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text')
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema
        .createTable('visitors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('visitor_values')
        .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id').onDelete('cascade'))
        .addColumn('field_key', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('collected_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('visitor_values_pk', ['visitor_id', 'field_key'])
        .execute();
      await db.schema
        .createTable('consent_ledger')
        .addColumn('seq', serial(dialect), (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('consent_id', 'text', (c) => c.notNull().unique())
        .addColumn('visitor_id', 'text')
        .addColumn('subject_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('payload', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('erased_at', 'bigint')
        .execute();
      await db.schema.createIndex('consent_ledger_visitor').on('consent_ledger').column('visitor_id').execute();
      await db.schema
        .createTable('aggregates')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('experience_id', 'text', (c) => c.notNull())
        .addColumn('variant_id', 'text', (c) => c.notNull())
        .addColumn('metric_id', 'text', (c) => c.notNull())
        .addColumn('n', 'double precision', (c) => c.notNull())
        .addColumn('sum', 'double precision', (c) => c.notNull())
        .addColumn('sum_squares', 'double precision', (c) => c.notNull())
        .addColumn('covariate_sum', 'double precision', (c) => c.notNull())
        .addColumn('covariate_sum_squares', 'double precision', (c) => c.notNull())
        .addColumn('cross_product', 'double precision', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('aggregates_pk', ['site_id', 'experience_id', 'variant_id', 'metric_id'])
        .execute();
      await db.schema
        .createTable('report_batches')
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('report_batches_pk', ['site_id', 'batch_id'])
        .execute();
      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('erasures')
        .addColumn('subject_hash', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('erased_at', 'bigint', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Db) {
      for (const table of [
        'erasures',
        'webhooks',
        'report_batches',
        'aggregates',
        'consent_ledger',
        'visitor_values',
        'visitors',
        'audit_log',
        'api_keys',
        'sessions',
        'users',
        'snapshots',
        'drafts',
        'sites',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
      await sql`select 1`.execute(db);
    },
  };
}

// 0002: results over time, privacy releases and bandit runs (issue 5). Daily cells duplicate the
// running totals by UTC day of receipt so the results endpoint can draw a cumulative series.
function resultsOverTime(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('aggregates_daily')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('experience_id', 'text', (c) => c.notNull())
        .addColumn('variant_id', 'text', (c) => c.notNull())
        .addColumn('metric_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('n', 'double precision', (c) => c.notNull())
        .addColumn('sum', 'double precision', (c) => c.notNull())
        .addColumn('sum_squares', 'double precision', (c) => c.notNull())
        .addColumn('covariate_sum', 'double precision', (c) => c.notNull())
        .addColumn('covariate_sum_squares', 'double precision', (c) => c.notNull())
        .addColumn('cross_product', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('aggregates_daily_pk', ['site_id', 'experience_id', 'variant_id', 'metric_id', 'day'])
        .execute();
      // Totals received before this migration have no history: they count on the day they were last updated.
      const day =
        dialect === 'sqlite'
          ? sql`strftime('%Y-%m-%d', updated_at / 1000, 'unixepoch')`
          : sql`to_char(to_timestamp(updated_at / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`;
      await sql`insert into aggregates_daily (site_id, experience_id, variant_id, metric_id, day, n, sum, sum_squares,
        covariate_sum, covariate_sum_squares, cross_product)
        select site_id, experience_id, variant_id, metric_id, ${day}, n, sum, sum_squares, covariate_sum,
        covariate_sum_squares, cross_product from aggregates`.execute(db);
      await db.schema
        .createTable('privacy_releases')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('experience_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('released_at', 'bigint', (c) => c.notNull())
        .addColumn('epsilon', 'double precision', (c) => c.notNull())
        .addColumn('cells', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('privacy_releases_pk', ['site_id', 'experience_id', 'seq'])
        .execute();
      await db.schema
        .createTable('bandit_runs')
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('experience_id', 'text', (c) => c.notNull())
        .addColumn('ran_at', 'bigint', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('bandit_runs_pk', ['site_id', 'experience_id'])
        .execute();
    },
    async down(db: Db) {
      for (const table of ['bandit_runs', 'privacy_releases', 'aggregates_daily']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}

// 0003: per-audience bandit segments (issue 5). Only bandit deltas that carry a segment land here;
// the totals in `aggregates` still count every delta, so results are unchanged by segmenting.
const banditSegments: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('segment_aggregates')
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('experience_id', 'text', (c) => c.notNull())
      .addColumn('segment', 'text', (c) => c.notNull())
      .addColumn('variant_id', 'text', (c) => c.notNull())
      .addColumn('metric_id', 'text', (c) => c.notNull())
      .addColumn('n', 'double precision', (c) => c.notNull())
      .addColumn('sum', 'double precision', (c) => c.notNull())
      .addColumn('sum_squares', 'double precision', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('segment_aggregates_pk', [
        'site_id',
        'experience_id',
        'segment',
        'variant_id',
        'metric_id',
      ])
      .execute();
  },
  async down(db: Db) {
    await db.schema.dropTable('segment_aggregates').ifExists().execute();
  },
};

// 0004: durable webhook deliveries (issue 3): retries are scheduled in the database, so a restart or
// a second node picks them up, and each delivery's outcome stays visible to the admin.
const webhookDeliveries: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_by_hook')
      .on('webhook_deliveries')
      .columns(['webhook_id', 'created_at'])
      .execute();
  },
  async down(db: Db) {
    await db.schema.dropTable('webhook_deliveries').ifExists().execute();
  },
};

// 0005: attributable, bounded measurement (issue 11). One row per visitor and experience holds what
// that visitor has contributed so far (the variant they were counted in, each metric's running value,
// the trust events already counted), so the server itself bounds every visitor's influence on a cell.
// Reports it cannot attribute are only counted per day, never added to a cell.
const attributedMeasurement: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('visitor_contributions')
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('visitor_id', 'text', (c) => c.notNull())
      .addColumn('experience_id', 'text', (c) => c.notNull())
      .addColumn('variant_id', 'text', (c) => c.notNull())
      .addColumn('segment', 'text', (c) => c.notNull())
      .addColumn('metric_values', 'text', (c) => c.notNull())
      .addColumn('trust_events', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('visitor_contributions_pk', ['site_id', 'visitor_id', 'experience_id'])
      .execute();
    await db.schema
      .createIndex('visitor_contributions_by_visitor')
      .on('visitor_contributions')
      .columns(['visitor_id'])
      .execute();
    await db.schema
      .createIndex('visitor_contributions_by_update')
      .on('visitor_contributions')
      .columns(['updated_at'])
      .execute();
    await db.schema
      .createTable('unattributed_reports')
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('reports', 'integer', (c) => c.notNull())
      .addColumn('events', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('unattributed_reports_pk', ['site_id', 'day'])
      .execute();
  },
  async down(db: Db) {
    await db.schema.dropTable('unattributed_reports').ifExists().execute();
    await db.schema.dropTable('visitor_contributions').ifExists().execute();
  },
};

// 0006: erasure without residue (issue 11). Each visitor's values are sealed with their own random
// key, kept here wrapped by the data key; erasure deletes the row and with it the only key that opens
// any copy of those values left in free pages, a WAL or a backup. Null for visitors with no value yet.
const visitorValueKeys: Migration = {
  async up(db: Db) {
    await db.schema.alterTable('visitors').addColumn('value_key_sealed', 'text').execute();
  },
  async down(db: Db) {
    await db.schema.alterTable('visitors').dropColumn('value_key_sealed').execute();
  },
};

// 0009: demo figures apart from real ones (issue 10). The demo's generated cells used to share the
// tables real visitors add to, so one real visitor vanished inside 14 days of generated figures and a
// "Demo data" badge covered real data. Generated cells now live in their own tables.
const demoAggregates: Migration = {
  async up(db: Db) {
    for (const [table, daily] of [
      ['demo_aggregates', false],
      ['demo_aggregates_daily', true],
    ] as const) {
      let builder: CreateTableBuilder<string, string> = db.schema
        .createTable(table)
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('experience_id', 'text', (c) => c.notNull())
        .addColumn('variant_id', 'text', (c) => c.notNull())
        .addColumn('metric_id', 'text', (c) => c.notNull());
      if (daily) builder = builder.addColumn('day', 'text', (c) => c.notNull());
      builder = builder
        .addColumn('n', 'double precision', (c) => c.notNull())
        .addColumn('sum', 'double precision', (c) => c.notNull())
        .addColumn('sum_squares', 'double precision', (c) => c.notNull())
        .addColumn('covariate_sum', 'double precision', (c) => c.notNull())
        .addColumn('covariate_sum_squares', 'double precision', (c) => c.notNull())
        .addColumn('cross_product', 'double precision', (c) => c.notNull());
      if (!daily) builder = builder.addColumn('updated_at', 'bigint', (c) => c.notNull());
      await builder
        .addPrimaryKeyConstraint(
          `${table}_pk`,
          daily
            ? ['site_id', 'experience_id', 'variant_id', 'metric_id', 'day']
            : ['site_id', 'experience_id', 'variant_id', 'metric_id'],
        )
        .execute();
    }
  },
  async down(db: Db) {
    await db.schema.dropTable('demo_aggregates_daily').ifExists().execute();
    await db.schema.dropTable('demo_aggregates').ifExists().execute();
  },
};

// 0008: a published version's public copy can be withdrawn (issue 11, item 8). The row stays for
// the audit trail and the history screen; the public route answers 410 Gone for it from then on.
const snapshotWithdrawal: Migration = {
  async up(db: Db) {
    await db.schema.alterTable('snapshots').addColumn('withdrawn_at', 'bigint').execute();
    await db.schema.alterTable('snapshots').addColumn('withdrawn_by', 'text').execute();
  },
  async down(db: Db) {
    await db.schema.alterTable('snapshots').dropColumn('withdrawn_by').execute();
    await db.schema.alterTable('snapshots').dropColumn('withdrawn_at').execute();
  },
};

// 0010: stored points of results series. A closed day's cumulative figures never change, so its
// analysis is kept under a hash of its inputs and a results page recomputes only what is new.
const seriesPoints: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('series_points')
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
      .addColumn('experience_id', 'text', (c) => c.notNull())
      .addColumn('input_key', 'text', (c) => c.notNull())
      .addColumn('points', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('series_points_pk', ['site_id', 'experience_id', 'input_key'])
      .execute();
  },
  async down(db: Db) {
    await db.schema.dropTable('series_points').ifExists().execute();
  },
};

/** The migrations of a dialect, in order; Kysely records which ran in its own table. */
export function migrationProvider(dialect: 'sqlite' | 'postgres'): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve({
        '0001_initial': initial(dialect),
        '0002_results_over_time': resultsOverTime(dialect),
        '0003_bandit_segments': banditSegments,
        '0004_webhook_deliveries': webhookDeliveries,
        '0005_attributed_measurement': attributedMeasurement,
        '0006_visitor_value_keys': visitorValueKeys,
        '0008_snapshot_withdrawal': snapshotWithdrawal,
        '0009_demo_aggregates': demoAggregates,
        '0010_series_points': seriesPoints,
      }),
  };
}
