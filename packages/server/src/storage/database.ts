import type { Generated } from 'kysely';

// Table shapes shared by both dialects. Times are epoch ms stored as BIGINT/INTEGER; JSON is TEXT so
// the bytes read back are the bytes written (the signed snapshot relies on that).

/** A site served by this installation. */
export interface SitesTable {
  id: string;
  site_key: string;
  settings: string;
  signing_public_jwk: string;
  signing_private_sealed: string;
  created_at: number;
}

/** One draft entity (purpose, field, audience, experience, metric) as JSON. */
export interface DraftsTable {
  site_id: string;
  kind: string;
  entity_id: string;
  body: string;
  updated_at: number;
}

/** An immutable published snapshot and its signature. */
export interface SnapshotsTable {
  site_id: string;
  version: number;
  body: string;
  signature: string;
  key_id: string;
  lint_summary: string;
  published_at: number;
  published_by: string;
  /** When an owner withdrew the public copy (migration 0008); null while it is public. */
  withdrawn_at: number | null;
  withdrawn_by: string | null;
}

/** An admin user. */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: string;
  must_change_password: number;
  created_at: number;
}

/** An admin session; only the hash of the cookie value is kept. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  expires_at: number;
}

/** A Bearer API key; only the hash of its secret is kept. */
export interface ApiKeysTable {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

/** Every admin change: who, when, what, before and after. */
export interface AuditTable {
  seq: Generated<number>;
  at: number;
  actor: string;
  action: string;
  site_id: string | null;
  target: string;
  before: string | null;
  after: string | null;
}

/** A pseudonymous visitor; the token is kept only as a hash. */
export interface VisitorsTable {
  id: string;
  site_id: string;
  token_hash: string;
  created_at: number;
  /** The visitor's own value key, sealed with the data key; erasure deletes it (crypto-shredding). */
  value_key_sealed: string | null;
}

/** A visitor's server-side value, sealed with AES-256-GCM. */
export interface VisitorValuesTable {
  visitor_id: string;
  field_key: string;
  purpose: string;
  source: string;
  sealed: string;
  collected_at: number;
  expires_at: number;
}

/** The append-only, hash-chained consent ledger (one chain per site). */
export interface ConsentLedgerTable {
  seq: Generated<number>;
  site_id: string;
  consent_id: string;
  /** Null once the visitor was erased: only `subject_hash` and the chain remain. */
  visitor_id: string | null;
  subject_hash: string;
  created_at: number;
  expires_at: number;
  /** The record's JSON; null after erasure. */
  payload: string | null;
  prev_hash: string;
  hash: string;
  erased_at: number | null;
}

/** Aggregate sufficient statistics per (experience, variant, metric) cell. */
export interface AggregatesTable {
  site_id: string;
  experience_id: string;
  variant_id: string;
  metric_id: string;
  n: number;
  sum: number;
  sum_squares: number;
  covariate_sum: number;
  covariate_sum_squares: number;
  cross_product: number;
  updated_at: number;
}

/** Per-audience cells of bandit experiences: what the bandit job learns each segment's weights from. */
export interface SegmentAggregatesTable {
  site_id: string;
  experience_id: string;
  /** The audience id of the segment. */
  segment: string;
  variant_id: string;
  metric_id: string;
  n: number;
  sum: number;
  sum_squares: number;
  updated_at: number;
}

/** Report batches already applied, so a retry never counts twice. */
export interface ReportBatchesTable {
  site_id: string;
  batch_id: string;
  received_at: number;
}

/** A webhook subscription; the secret signs deliveries with HMAC. */
export interface WebhooksTable {
  id: string;
  site_id: string;
  url: string;
  events: string;
  secret_sealed: string;
  created_at: number;
}

/** One webhook delivery: queued, retried from the database (so a restart loses none), then kept as a log. */
export interface WebhookDeliveriesTable {
  id: string;
  site_id: string;
  webhook_id: string;
  event: string;
  body: string;
  /** pending | delivered | failed | refused */
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

/** Erasure receipts: the minimal proof a request was handled (docs/privacy.md §7). */
export interface ErasuresTable {
  subject_hash: string;
  site_id: string;
  erased_at: number;
  requested_by: string;
}

/** Aggregate cells per UTC day of receipt, for the results time series. */
export interface AggregatesDailyTable {
  site_id: string;
  experience_id: string;
  variant_id: string;
  metric_id: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  n: number;
  sum: number;
  sum_squares: number;
  covariate_sum: number;
  covariate_sum_squares: number;
  cross_product: number;
}

/** One differentially private release of an experience's cells; the ε spent is the sum over releases. */
export interface PrivacyReleasesTable {
  site_id: string;
  experience_id: string;
  seq: number;
  released_at: number;
  epsilon: number;
  /** The noisy cells as JSON: what was released is what is shown again until the next release. */
  cells: string;
}

/**
 * A stored point of a results series: the analysis of one closed day's cumulative cells, keyed by a
 * hash of everything it was computed from (so a stale entry can never be read, only left unused).
 */
export interface SeriesPointsTable {
  site_id: string;
  experience_id: string;
  input_key: string;
  /** The day's series points (one per variant) as JSON. */
  points: string;
  created_at: number;
}

/** The last bandit run per experience, so the job keeps a fixed cadence across processes. */
export interface BanditRunsTable {
  site_id: string;
  experience_id: string;
  ran_at: number;
  outcome: string;
}

/** What one visitor has contributed to one experience's cells so far (the server's bound on them). */
export interface VisitorContributionsTable {
  site_id: string;
  visitor_id: string;
  experience_id: string;
  variant_id: string;
  /** The per-audience bandit segment, or '' when none. */
  segment: string;
  /** JSON object: metric id → the visitor's running (capped) value. */
  metric_values: string;
  /** JSON array of the trust events already counted for this visitor. */
  trust_events: string;
  /** 1 while conversions still count; 0 once the visitor left the experience (withdrew the data it used). */
  active: number;
  created_at: number;
  updated_at: number;
}

/** Reports the server could not attribute to a consented visitor: counted per day, never added to a cell. */
export interface UnattributedReportsTable {
  site_id: string;
  day: string;
  reports: number;
  events: number;
}

/** The whole database, as Kysely sees it. */
export interface Database {
  sites: SitesTable;
  drafts: DraftsTable;
  snapshots: SnapshotsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditTable;
  visitors: VisitorsTable;
  visitor_values: VisitorValuesTable;
  consent_ledger: ConsentLedgerTable;
  aggregates: AggregatesTable;
  report_batches: ReportBatchesTable;
  webhooks: WebhooksTable;
  erasures: ErasuresTable;
  aggregates_daily: AggregatesDailyTable;
  privacy_releases: PrivacyReleasesTable;
  bandit_runs: BanditRunsTable;
  series_points: SeriesPointsTable;
  segment_aggregates: SegmentAggregatesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  visitor_contributions: VisitorContributionsTable;
  /** The demo's generated cells, apart from real visitors' (same shape). */
  demo_aggregates: AggregatesTable;
  demo_aggregates_daily: AggregatesDailyTable;
  unattributed_reports: UnattributedReportsTable;
}
