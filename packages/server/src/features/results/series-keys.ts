import { createHash } from 'node:crypto';
import type { CellDelta } from '../reports/store.js';

/**
 * Raise when the analysis behind a series point changes meaning (a method, a default, a rounding):
 * points stored under the old version are then never read again.
 */
export const SERIES_ANALYSIS_VERSION = 1;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * The part of a series point's key shared by every day of one results page: what the analysis is
 * told besides the day's cells (the experience as analysed, the metrics, settings, engine, the
 * metric the series is of, and whether the cells are real or demo).
 */
export function seriesBaseKey(inputs: {
  readonly source: string;
  readonly metricId: string;
  readonly engine: string;
  readonly settings: unknown;
  readonly experience: unknown;
  readonly metrics: unknown;
}): string {
  return sha256(JSON.stringify([SERIES_ANALYSIS_VERSION, inputs]));
}

/**
 * The key of one day's point: the base key, the day and instant it describes, and the day's
 * cumulative cells. Equal keys mean equal inputs, so a stored point under this key is the analysis
 * this page would compute.
 */
export function seriesPointKey(
  base: string,
  point: { readonly day: string; readonly at: number; readonly cells: readonly CellDelta[] },
): string {
  return sha256(JSON.stringify([base, point.day, point.at, point.cells]));
}
