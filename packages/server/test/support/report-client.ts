import { TEST_SITE } from '../../src/testing/test-app.js';
import { REPORT_API_KEY } from './prepare-install.js';

/** Where a trusted source sends precomputed aggregate batches, and the headers it sends. */
export const AGGREGATES_PATH = `/v1/admin/sites/${TEST_SITE.siteKey}/aggregates`;
export const REPORT_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${REPORT_API_KEY}` };

/** One report batch of n = 1 in the fixture's `hero-dev / dev / signup` cell. */
export function batchBody(batchId: string): string {
  return JSON.stringify({
    batchId,
    deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1, sum: 1, sumSquares: 1 }],
  });
}

/** What a client saw: every batch it got a 2xx for, and every status it was answered. */
export interface ReportLog {
  readonly acked: Set<string>;
  readonly statuses: Map<number | string, number>;
  /** The slowest non-2xx answer, in ms (a down database must be answered fast, not hang). */
  slowestRefusalMs: number;
}

/** A new, empty log. */
export function newReportLog(): ReportLog {
  return { acked: new Set(), statuses: new Map(), slowestRefusalMs: 0 };
}

/** POSTs one batch; records the outcome; resolves whether it was acknowledged. Network errors count as 'error'. */
export async function postBatch(baseUrl: () => string, batchId: string, log: ReportLog): Promise<boolean> {
  const started = performance.now();
  let status: number | string;
  try {
    const response = await fetch(`${baseUrl()}${AGGREGATES_PATH}`, {
      method: 'POST',
      headers: REPORT_HEADERS,
      body: batchBody(batchId),
      signal: AbortSignal.timeout(5000),
    });
    await response.arrayBuffer();
    status = response.status;
  } catch {
    status = 'error';
  }
  log.statuses.set(status, (log.statuses.get(status) ?? 0) + 1);
  if (status === 200) {
    log.acked.add(batchId);
    return true;
  }
  log.slowestRefusalMs = Math.max(log.slowestRefusalMs, performance.now() - started);
  return false;
}

/**
 * Sends `ids` with `concurrency` workers until `stop()` says so; a batch not acknowledged goes back
 * to the end of the queue, the way the SDK's reporter retries un-acknowledged batches.
 */
export async function streamBatches(options: {
  baseUrl: () => string;
  ids: readonly string[];
  concurrency: number;
  log: ReportLog;
  stop: () => boolean;
  pauseMs?: number;
}): Promise<string[]> {
  const queue = [...options.ids];
  const worker = async (): Promise<void> => {
    while (!options.stop()) {
      const id = queue.shift();
      if (id === undefined) return;
      if (!(await postBatch(options.baseUrl, id, options.log))) {
        queue.push(id);
        await new Promise((done) => setTimeout(done, options.pauseMs ?? 20));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return queue;
}
