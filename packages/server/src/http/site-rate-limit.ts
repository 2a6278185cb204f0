import type { Redis } from 'ioredis';
import { AppError } from './app-error.js';

/** A fixed-window counter per site key, on top of the per-IP limit: one noisy site cannot starve others. */
export interface SiteRateLimiter {
  /** Counts a request for a site; rejects with `rate_limited` past the limit. */
  hit(siteKey: string): Promise<void>;
}

/** Where the counts live: this process, or Redis when several nodes must share them. */
export interface SiteRateLimitStore {
  readonly redis?: Redis;
  readonly prefix?: string;
  /** Told once when Redis fails and the node falls back to counting alone. */
  readonly onRedisError?: () => void;
}

function refuse(siteKey: string): never {
  throw new AppError('rate_limited', `Site ${siteKey} sends too many requests; retry in a minute.`);
}

/**
 * Creates a per-site limiter allowing `max` requests per `windowMs`. With Redis, every node counts
 * into one key per site and window; if Redis fails the node counts alone rather than refusing traffic.
 */
export function createSiteRateLimiter(
  max: number,
  windowMs: number,
  now: () => number = Date.now,
  store: SiteRateLimitStore = {},
): SiteRateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const local = (siteKey: string): void => {
    const time = now();
    let window = windows.get(siteKey);
    if (window === undefined || time - window.start >= windowMs) {
      window = { start: time, count: 0 };
      windows.set(siteKey, window);
      // Bound memory: unknown keys are rejected before this point, so the map holds real sites only.
    }
    window.count += 1;
    if (window.count > max) refuse(siteKey);
  };
  const { redis } = store;
  if (redis === undefined) return { hit: async (siteKey) => local(siteKey) };
  let warned = false;
  return {
    async hit(siteKey) {
      const window = Math.floor(now() / windowMs);
      const key = `${store.prefix ?? 'candor:'}site-rate:${siteKey}:${window}`;
      let count: number;
      try {
        const replies = await redis.multi().incr(key).pexpire(key, windowMs).exec();
        count = Number(replies?.[0]?.[1]);
        if (!Number.isFinite(count)) throw new Error('no count');
      } catch {
        if (!warned) store.onRedisError?.();
        warned = true;
        return local(siteKey);
      }
      warned = false;
      if (count > max) refuse(siteKey);
    },
  };
}
