import type { DbHandle } from '../../storage/db-handle.js';
import type { SeriesPoint } from './analyse.js';

/**
 * Stored analyses of closed days of a results series, by input key (`series-keys.ts`). An entry is
 * only ever read under the exact inputs it was computed from, so none is ever invalidated: a
 * republished experience or a late report changes the keys and the old entries go unused, until
 * the experience's aggregates are deleted (they go with them).
 */
export interface SeriesPointsStore {
  /** The stored points of those keys that have any. */
  listSeriesPoints(
    siteId: string,
    experienceId: string,
    keys: readonly string[],
  ): Promise<Map<string, readonly SeriesPoint[]>>;
  /** Stores points under their keys; a key already stored (by another node, say) is left as it is. */
  saveSeriesPoints(
    siteId: string,
    experienceId: string,
    entries: readonly { readonly key: string; readonly points: readonly SeriesPoint[] }[],
    now: number,
  ): Promise<void>;
}

// Keys per query stay well under both dialects' bound-parameter limits.
const KEYS_PER_QUERY = 500;

/** Series points over Kysely. */
export function createSeriesPointsStore({ db }: DbHandle): SeriesPointsStore {
  return {
    async listSeriesPoints(siteId, experienceId, keys) {
      const found = new Map<string, readonly SeriesPoint[]>();
      for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
        const rows = await db
          .selectFrom('series_points')
          .select(['input_key', 'points'])
          .where('site_id', '=', siteId)
          .where('experience_id', '=', experienceId)
          .where('input_key', 'in', keys.slice(start, start + KEYS_PER_QUERY))
          .execute();
        for (const row of rows) found.set(row.input_key, JSON.parse(row.points) as SeriesPoint[]);
      }
      return found;
    },
    async saveSeriesPoints(siteId, experienceId, entries, now) {
      for (let start = 0; start < entries.length; start += KEYS_PER_QUERY / 5) {
        const slice = entries.slice(start, start + KEYS_PER_QUERY / 5);
        await db
          .insertInto('series_points')
          .values(
            slice.map((entry) => ({
              site_id: siteId,
              experience_id: experienceId,
              input_key: entry.key,
              points: JSON.stringify(entry.points),
              created_at: now,
            })),
          )
          .onConflict((conflict) => conflict.columns(['site_id', 'experience_id', 'input_key']).doNothing())
          .execute();
      }
    },
  };
}
