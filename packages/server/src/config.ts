import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';

/** Everything the server reads from its environment, resolved once at start. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** Where the SQLite database lives. */
  readonly dataDir: string;
  /** PostgreSQL when set; SQLite at `<dataDir>/candor.db` otherwise. */
  readonly databaseUrl: string | undefined;
  /** Data-key passphrase; a key file is used (and created) when neither it nor `dataKey` is set. */
  readonly secret: string | undefined;
  /** Old passphrases still accepted for opening values during a rotation. */
  readonly previousSecrets: readonly string[];
  /** `CANDOR_DATA_KEY`: the data key itself, 32 random bytes in base64, e.g. from a secret manager. */
  readonly dataKey: string | undefined;
  /** `CANDOR_PREVIOUS_DATA_KEYS`: old data keys (comma-separated) still accepted during a rotation. */
  readonly previousDataKeys: readonly string[];
  /** `CANDOR_DATA_KEY_FILE`: where the key file lives; default `<dataDir>.key`, outside the data directory. */
  readonly dataKeyFile: string | undefined;
  /** The URL visitors and admins reach this server at (printed, used in links). */
  readonly publicUrl: string;
  readonly logLevel: string;
  /** Marks cookies Secure; on when the public URL is https. */
  readonly secureCookies: boolean;
  /**
   * The proxies in front whose X-Forwarded-For is believed (`CANDOR_TRUST_PROXY`): addresses, CIDRs or
   * the names loopback, linklocal, uniquelocal. `false`: none, the socket's address is the client's.
   */
  readonly trustProxy: false | readonly string[];
  readonly sessionTtlMs: number;
  /** log2 of scrypt's cost for new password hashes (17 = OWASP's floor; tests use 14). */
  readonly scryptLogN: number;
  /** Requests per minute per IP and per site key on public routes. */
  readonly publicRateLimit: number;
  /**
   * Reports carrying first exposures accepted per hour from one source address and site: beyond it the
   * growth is implausible for one network, so reports are refused and the site alerted.
   */
  readonly reportGrowthLimit: number;
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
  /** How often each live experience's closed days of results are analysed and stored ahead of a read; 0 turns it off. */
  readonly seriesRollupIntervalMs: number;
  /**
   * `CANDOR_PG_PARTITIONS=daily` (PostgreSQL only): the daily cells live in one partition per UTC day,
   * created ahead by a background job every `partitionIntervalMs`. Off by default.
   */
  readonly pgPartitions: 'off' | 'daily';
  readonly partitionIntervalMs: number;
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

function partitionMode(value: string | undefined): 'off' | 'daily' {
  if (value === undefined || value === '' || value === 'off') return 'off';
  if (value === 'daily') return 'daily';
  throw new Error(`CANDOR_PG_PARTITIONS must be "daily" or "off", got "${value}"`);
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses `CANDOR_TRUST_PROXY`. `true` is refused: it would believe any X-Forwarded-For, so every
 * caller could choose the address that rate limits count (30 wrong logins from "rotating" addresses).
 */
export function trustedProxies(value: string | undefined): false | readonly string[] {
  const trimmed = (value ?? '').trim();
  if (trimmed === '' || trimmed === 'false' || trimmed === '0') return false;
  if (trimmed === 'true' || trimmed === '1') {
    throw new Error(
      `CANDOR_TRUST_PROXY=${trimmed} would believe any X-Forwarded-For header, so anyone could choose the ` +
        'address rate limits count. List the proxies in front instead, e.g. CANDOR_TRUST_PROXY=127.0.0.1 or ' +
        'CANDOR_TRUST_PROXY=10.0.0.0/8,192.168.1.10 (names loopback, linklocal, uniquelocal also work).',
    );
  }
  const entries = trimmed.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (PROXY_NAMES.has(entry) || ipaddr.isValid(entry) || validCidr(entry)) continue;
    throw new Error(
      `CANDOR_TRUST_PROXY: "${entry}" is not an IP address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal.`,
    );
  }
  return entries;
}

function validCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
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
    dataKey: env['CANDOR_DATA_KEY'] === '' ? undefined : env['CANDOR_DATA_KEY'],
    previousDataKeys: (env['CANDOR_PREVIOUS_DATA_KEYS'] ?? '').split(',').filter((key) => key !== ''),
    dataKeyFile: env['CANDOR_DATA_KEY_FILE'] === '' ? undefined : env['CANDOR_DATA_KEY_FILE'],
    publicUrl,
    logLevel: env['LOG_LEVEL'] ?? 'info',
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: trustedProxies(env['CANDOR_TRUST_PROXY']),
    scryptLogN: number(env['CANDOR_SCRYPT_LOG_N'], 17, 'CANDOR_SCRYPT_LOG_N'),
    sessionTtlMs: number(env['CANDOR_SESSION_HOURS'], 12, 'CANDOR_SESSION_HOURS') * 3_600_000,
    publicRateLimit: number(env['CANDOR_RATE_LIMIT'], 600, 'CANDOR_RATE_LIMIT'),
    reportGrowthLimit: number(env['CANDOR_REPORT_GROWTH_LIMIT'], 1000, 'CANDOR_REPORT_GROWTH_LIMIT'),
    redisUrl: env['REDIS_URL'] === '' ? undefined : env['REDIS_URL'],
    redisPrefix: env['CANDOR_REDIS_PREFIX'] ?? 'candor:',
    snapshotCacheMs: number(env['CANDOR_SNAPSHOT_CACHE_MS'], 1000, 'CANDOR_SNAPSHOT_CACHE_MS'),
    retentionIntervalMs: number(env['CANDOR_RETENTION_MINUTES'], 60, 'CANDOR_RETENTION_MINUTES') * 60_000,
    banditIntervalMs: number(env['CANDOR_BANDIT_MINUTES'], 15, 'CANDOR_BANDIT_MINUTES') * 60_000,
    seriesRollupIntervalMs: number(env['CANDOR_ROLLUP_MINUTES'], 60, 'CANDOR_ROLLUP_MINUTES') * 60_000,
    pgPartitions: partitionMode(env['CANDOR_PG_PARTITIONS']),
    partitionIntervalMs: number(env['CANDOR_PARTITION_MINUTES'], 60, 'CANDOR_PARTITION_MINUTES') * 60_000,
    webhookAllowPrivate: env['CANDOR_WEBHOOK_ALLOW_PRIVATE'] === '1',
  };
}
