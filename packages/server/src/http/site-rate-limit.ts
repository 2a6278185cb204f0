import { AppError } from './app-error.js';

/** A fixed-window counter per site key, on top of the per-IP limit: one noisy site cannot starve others. */
export interface SiteRateLimiter {
  /** Counts a request for a site; throws `rate_limited` past the limit. */
  hit(siteKey: string): void;
}

/** Creates a per-site limiter allowing `max` requests per `windowMs`. */
export function createSiteRateLimiter(max: number, windowMs: number, now: () => number = Date.now): SiteRateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(siteKey) {
      const time = now();
      let window = windows.get(siteKey);
      if (window === undefined || time - window.start >= windowMs) {
        window = { start: time, count: 0 };
        windows.set(siteKey, window);
        // Bound memory: unknown keys are rejected before this point, so the map holds real sites only.
      }
      window.count += 1;
      if (window.count > max)
        throw new AppError('rate_limited', `Site ${siteKey} sends too many requests; retry in a minute.`);
    },
  };
}
