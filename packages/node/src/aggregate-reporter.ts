import { measurementGranted, purposeStatus, type ConsentState, type Decision, type Snapshot } from '@candor/core';
import type { CandorNodeError } from './errors.js';

/** The report variant of visitors a holdout kept on default content (the server's name for it). */
export const HOLDOUT_VARIANT = '$holdout';

/** One (experience, variant, metric[, segment]) cell's sufficient statistics. */
interface Cell {
  readonly experience: string;
  readonly variant: string;
  readonly metric: string;
  readonly segment?: string;
  n: number;
  sum: number;
  sumSquares: number;
}

/** A batch kept until the server confirms it; its id makes a resend count once. */
interface Batch {
  readonly batchId: string;
  readonly deltas: readonly Omit<Cell, never>[];
}

/** What one visitor's measured outcome is: the decision they saw and their value per goal metric. */
export interface VisitorOutcome {
  readonly decision: Decision;
  readonly consent: ConsentState;
  /** Metric id → this visitor's value (a proportion metric: 1 converted, 0 not). Missing goals count 0. */
  readonly values?: Readonly<Record<string, number>>;
}

/** The outcome of a flush. */
export interface FlushResult {
  readonly sent: number;
  /** Batches kept for the next flush because the server could not be reached (same batch ids). */
  readonly pending: number;
}

/** Where and how aggregate batches are sent. */
export interface ReporterOptions {
  readonly serverUrl: string;
  readonly siteKey: string;
  /** An API key with the publish scope (precomputed aggregates move results as much as a publish). */
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly onError: (error: CandorNodeError) => void;
  readonly newBatchId?: () => string;
}

/** The server accepts at most this many deltas per batch. */
const MAX_DELTAS = 500;
/** Batches held while the server is away; beyond that the oldest are dropped, said through onError. */
const MAX_PENDING_BATCHES = 100;

/** Whether the visitor's measurement purpose is in effect and the decision enrolled them. */
export function measurable(snapshot: Snapshot, outcome: VisitorOutcome): boolean {
  const { decision, consent } = outcome;
  if (!decision.enrolled || decision.experienceId === null) return false;
  const byId = new Map(snapshot.purposes.map((purpose) => [purpose.id, purpose]));
  return measurementGranted(snapshot.purposes, (id) => {
    const purpose = byId.get(id);
    return purpose !== undefined && purposeStatus(purpose, consent).granted;
  });
}

/**
 * Server-side aggregate reporting. Each `record` is one visitor's outcome in one experience (call it
 * once per visitor, not per request: n counts visitors); cells are summed in memory and `flush` posts
 * them as aggregate batches with a batch id, resending an unconfirmed batch under the same id so a
 * retry is counted once. Nothing about the visitor leaves besides the sums.
 */
export function createAggregateReporter(options: ReporterOptions) {
  const cells = new Map<string, Cell>();
  const pending: Batch[] = [];
  const newBatchId = options.newBatchId ?? (() => crypto.randomUUID());
  const url = `${options.serverUrl.replace(/\/+$/, '')}/v1/admin/sites/${encodeURIComponent(options.siteKey)}/aggregates`;

  const seal = (): void => {
    if (cells.size === 0) return;
    const deltas = [...cells.values()];
    cells.clear();
    for (let start = 0; start < deltas.length; start += MAX_DELTAS) {
      pending.push({ batchId: newBatchId(), deltas: deltas.slice(start, start + MAX_DELTAS) });
    }
    while (pending.length > MAX_PENDING_BATCHES) {
      pending.shift();
      options.onError({
        code: 'REPORT_FAILED',
        message: `more than ${MAX_PENDING_BATCHES} report batches waited for the server; the oldest was dropped`,
      });
    }
  };

  return {
    /** Adds one visitor's outcome; false (nothing counted) unless they are measurable. */
    record(snapshot: Snapshot, outcome: VisitorOutcome): boolean {
      if (!measurable(snapshot, outcome)) return false;
      const { decision } = outcome;
      const experience = snapshot.experiences.find((candidate) => candidate.id === decision.experienceId);
      const variant = decision.reason === 'HOLDOUT' ? HOLDOUT_VARIANT : decision.variant?.id;
      if (experience === undefined || variant === undefined) return false;
      for (const metric of experience.goals) {
        const value = outcome.values?.[metric] ?? 0;
        if (!Number.isFinite(value) || value < 0) continue;
        const segment = decision.segment ?? undefined;
        const key = JSON.stringify([experience.id, variant, metric, segment ?? null]);
        const cell = cells.get(key) ?? {
          experience: experience.id,
          variant,
          metric,
          ...(segment === undefined ? {} : { segment }),
          n: 0,
          sum: 0,
          sumSquares: 0,
        };
        cell.n += 1;
        cell.sum += value;
        cell.sumSquares += value * value;
        cells.set(key, cell);
      }
      if (cells.size >= MAX_DELTAS) seal();
      return true;
    },

    /** Sends everything recorded so far; unreachable-server batches stay for the next flush. */
    async flush(): Promise<FlushResult> {
      seal();
      let sent = 0;
      while (pending.length > 0) {
        const batch = pending[0]!;
        let response: Response;
        try {
          response = await options.fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
            body: JSON.stringify({ batchId: batch.batchId, deltas: batch.deltas }),
          });
        } catch {
          options.onError({ code: 'REPORT_FAILED', message: `could not reach ${url}; the batch is resent later` });
          break;
        }
        if (response.status >= 500 || response.status === 429) {
          options.onError({ code: 'REPORT_FAILED', message: `${url} answered ${response.status}; resent later` });
          break;
        }
        pending.shift();
        if (!response.ok) {
          // The server refused this batch for good (a bad key, an unknown experience): resending cannot help.
          options.onError({
            code: 'REPORT_REFUSED',
            message: `${url} refused a report batch (${response.status}): check the API key's publish scope and the live snapshot`,
          });
          continue;
        }
        sent += 1;
      }
      return { sent, pending: pending.length };
    },
  };
}

/** The reporter `createAggregateReporter` returns. */
export type AggregateReporter = ReturnType<typeof createAggregateReporter>;
