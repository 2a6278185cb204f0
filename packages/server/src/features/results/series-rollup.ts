import type { CellDelta } from '../reports/store.js';
import type { SeriesPoint } from './analyse.js';
import { seriesBaseKey, seriesPointKey } from './series-keys.js';
import type { SeriesPointsStore } from './series-points-store.js';

/** The stored points a results page can reuse, and how to keep the ones it had to compute. */
export interface SeriesRollup {
  /** Stored points by day, for the days whose inputs are unchanged. */
  readonly known: ReadonlyMap<string, readonly SeriesPoint[]>;
  /** Stores the computed points of closed days that were not stored yet. */
  saveComputed(series: readonly SeriesPoint[]): Promise<void>;
}

type HistoryPoint = { readonly day: string; readonly at: number; readonly cells: readonly CellDelta[] };

/**
 * Looks up the stored analyses of a series' days. Only closed days (whose instant is past) are
 * stored: today's cells still grow, so its point would be stored under a new key on every read.
 */
export async function loadSeriesRollup(
  store: SeriesPointsStore,
  scope: { readonly siteId: string; readonly experienceId: string; readonly now: number },
  inputs: Parameters<typeof seriesBaseKey>[0],
  history: readonly HistoryPoint[],
): Promise<SeriesRollup> {
  const base = seriesBaseKey(inputs);
  const keys = new Map(history.map((point) => [point.day, seriesPointKey(base, point)]));
  const stored = await store.listSeriesPoints(scope.siteId, scope.experienceId, [...keys.values()]);
  const known = new Map<string, readonly SeriesPoint[]>();
  for (const [day, key] of keys) {
    const points = stored.get(key);
    if (points !== undefined) known.set(day, points);
  }
  const closed = new Set(history.filter((point) => point.at < scope.now).map((point) => point.day));
  return {
    known,
    async saveComputed(series) {
      const byDay = new Map<string, SeriesPoint[]>();
      for (const point of series) {
        if (known.has(point.day) || !closed.has(point.day)) continue;
        const points = byDay.get(point.day);
        if (points === undefined) byDay.set(point.day, [point]);
        else points.push(point);
      }
      const entries = [...byDay].flatMap(([day, points]) => {
        const key = keys.get(day);
        return key === undefined ? [] : [{ key, points }];
      });
      if (entries.length > 0) await store.saveSeriesPoints(scope.siteId, scope.experienceId, entries, scope.now);
    },
  };
}
