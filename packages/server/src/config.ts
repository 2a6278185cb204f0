import { resolve } from 'node:path';

/** Everything the server reads from its environment, resolved once at start. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** Where the SQLite database and the key file live. */
  readonly dataDir: string;
  /** PostgreSQL when set; SQLite at `<dataDir>/candor.db` otherwise. */
  readonly databaseUrl: string | undefined;
  /** Data-key passphrase; a key file in `dataDir` is used (and created) when unset. */
  readonly secret: string | undefined;
  /** Old passphrases still accepted for opening values during a rotation. */
  readonly previousSecrets: readonly string[];
  /** The URL visitors and admins reach this server at (printed, used in links). */
  readonly publicUrl: string;
  readonly logLevel: string;
  /** Marks cookies Secure; on when the public URL is https. */
  readonly secureCookies: boolean;
  /** Trust X-Forwarded-* from a proxy in front. */
  readonly trustProxy: boolean;
  readonly sessionTtlMs: number;
  /** log2 of scrypt's cost for new password hashes (17 = OWASP's floor; tests use 14). */
  readonly scryptLogN: number;
  /** Requests per minute per IP and per site key on public routes. */
  readonly publicRateLimit: number;
  /** Redis for rate limits shared by every node (several nodes on one PostgreSQL); per node when unset. */
  readonly redisUrl: string | undefined;
  /** Prefix of Candor's Redis keys, so installations (or test runs) can share one Redis. */
  readonly redisPrefix: string;
  /** How long a node serves a cached snapshot before re-reading; NOTIFY invalidates sooner on PostgreSQL. */
  readonly snapshotCacheMs: number;
  /** How often the retention job runs; 0 turns the timer off. */
  readonly retentionIntervalMs: number;
  /** How often the bandit job looks for due re-weightings (each experience keeps its own cadence); 0 turns it off. */
  readonly banditIntervalMs: number;
  /**
   * `CANDOR_WEBHOOK_ALLOW_PRIVATE=1`: webhooks may use http and reach loopback, private and link-local
   * addresses. For local testing only; otherwise public https targets only (SSRF).
   */
  readonly webhookAllowPrivate: boolean;
}

function number(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return parsed;
}

/** Reads the configuration from environment variables; throws with the variable to fix. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): ServerConfig {
  const port = number(env['PORT'], 8787, 'PORT');
  const host = env['HOST'] ?? '127.0.0.1';
  const publicUrl = (env['CANDOR_PUBLIC_URL'] ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(
    /\/$/,
    '',
  );
  return {
    port,
    host,
    dataDir: resolve(env['CANDOR_DATA_DIR'] ?? './candor-data'),
    databaseUrl: env['DATABASE_URL'] === '' ? undefined : env['DATABASE_URL'],
    secret: env['CANDOR_SECRET'] === '' ? undefined : env['CANDOR_SECRET'],
    previousSecrets: (env['CANDOR_PREVIOUS_SECRETS'] ?? '').split(',').filter((secret) => secret !== ''),
    publicUrl,
    logLevel: env['LOG_LEVEL'] ?? 'info',
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: env['CANDOR_TRUST_PROXY'] === 'true',
    scryptLogN: number(env['CANDOR_SCRYPT_LOG_N'], 17, 'CANDOR_SCRYPT_LOG_N'),
    sessionTtlMs: number(env['CANDOR_SESSION_HOURS'], 12, 'CANDOR_SESSION_HOURS') * 3_600_000,
    publicRateLimit: number(env['CANDOR_RATE_LIMIT'], 600, 'CANDOR_RATE_LIMIT'),
    redisUrl: env['REDIS_URL'] === '' ? undefined : env['REDIS_URL'],
    redisPrefix: env['CANDOR_REDIS_PREFIX'] ?? 'candor:',
    snapshotCacheMs: number(env['CANDOR_SNAPSHOT_CACHE_MS'], 1000, 'CANDOR_SNAPSHOT_CACHE_MS'),
    retentionIntervalMs: number(env['CANDOR_RETENTION_MINUTES'], 60, 'CANDOR_RETENTION_MINUTES') * 60_000,
    banditIntervalMs: number(env['CANDOR_BANDIT_MINUTES'], 15, 'CANDOR_BANDIT_MINUTES') * 60_000,
    webhookAllowPrivate: env['CANDOR_WEBHOOK_ALLOW_PRIVATE'] === '1',
  };
}
