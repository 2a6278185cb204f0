import { mergeDeltas, type Delta } from './aggregate.js';

/** A trust guardrail event (DESIGN.md principle 8). */
export interface TrustEvent {
  readonly experience: string;
  readonly variant: string;
  readonly event: 'opt_out' | 'not_relevant' | 'preference_center' | 'explanation_open';
  readonly count: number;
}

/** Sends aggregate batches: debounced, keepalive, retried with backoff under one batch id. */
export interface Reporter {
  add(deltas: readonly Delta[], trust?: readonly TrustEvent[]): void;
  /** Sends what is queued now (page hidden); falls back to `sendBeacon` where fetch is unavailable. */
  flush(): void;
}

/** Options of `createReporter`; timers, ids and transport are parameters so tests can drive them. */
export interface ReporterOptions {
  readonly url: string;
  readonly fetch: typeof fetch;
  readonly beacon?: (url: string, body: Blob) => boolean;
  readonly randomId: () => string;
  /** Present only while measurement is granted; never stored with the aggregates. */
  readonly visitorId: () => string | undefined;
  readonly setTimer: (fn: () => void, ms: number) => unknown;
  readonly debounceMs?: number;
  readonly backoffMs?: readonly number[];
  readonly onFailure?: (message: string) => void;
}

interface Batch {
  readonly batchId: string;
  readonly body: string;
  attempt: number;
}

/** Creates a reporter. A batch keeps its id across retries, so the server counts it once. */
export function createReporter(options: ReporterOptions): Reporter {
  const backoff = options.backoffMs ?? [1000, 4000, 15000, 60000];
  let deltas: Delta[] = [];
  let trust: TrustEvent[] = [];
  let scheduled = false;
  const send = (batch: Batch): void => {
    void options
      .fetch(options.url, {
        method: 'POST',
        body: batch.body,
        keepalive: true,
        credentials: 'omit',
        headers: { 'content-type': 'application/json' },
      })
      .then(
        (response) => {
          // 4xx other than 429 will never succeed: retrying would only repeat the refusal.
          if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429)) return;
          retry(batch, `report answered ${response.status}`);
        },
        () => retry(batch, 'report could not be sent'),
      );
  };
  const retry = (batch: Batch, message: string): void => {
    const wait = backoff[batch.attempt];
    if (wait === undefined) {
      options.onFailure?.(message);
      return;
    }
    batch.attempt += 1;
    options.setTimer(() => send(batch), wait);
  };
  const take = (): Batch | undefined => {
    if (deltas.length === 0 && trust.length === 0) return undefined;
    const batchId = options.randomId();
    const visitorId = options.visitorId();
    const body = JSON.stringify({ batchId, deltas: mergeDeltas(deltas), trust, ...(visitorId ? { visitorId } : {}) });
    deltas = [];
    trust = [];
    return { batchId, body, attempt: 0 };
  };
  const flushNow = (): void => {
    scheduled = false;
    const batch = take();
    if (batch) send(batch);
  };
  return {
    add(more, events = []) {
      deltas = deltas.concat(more);
      trust = trust.concat(events);
      if (scheduled || (deltas.length === 0 && trust.length === 0)) return;
      scheduled = true;
      options.setTimer(flushNow, options.debounceMs ?? 2000);
    },
    flush() {
      const batch = take();
      if (!batch) return;
      scheduled = false;
      // fetch keepalive outlives the page and keeps the JSON type; a beacon is the fallback where fetch is missing.
      if (typeof options.fetch !== 'function' && options.beacon) {
        options.beacon(options.url, new Blob([batch.body], { type: 'application/json' }));
        return;
      }
      send(batch);
    },
  };
}
