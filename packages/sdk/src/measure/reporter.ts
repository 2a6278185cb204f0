import type { ConversionEvent, ExposureEvent, TrustEvent, VisitorEvents } from './visitor-events.js';

/** The most events of each kind one report carries (the server's limit); the rest go in the next one. */
export const MAX_REPORT_EVENTS = 100;

/** Sends the visitor's events in batches: debounced, keepalive, retried with backoff under one batch id. */
export interface Reporter {
  add(events: VisitorEvents): void;
  /** Sends what is queued now (page hidden). */
  flush(): void;
}

/** Options of `createReporter`; timers, ids and transport are parameters so tests can drive them. */
export interface ReporterOptions {
  readonly url: string;
  readonly fetch: typeof fetch;
  readonly randomId: () => string;
  /**
   * The visitor token the server issued at the first choice; undefined when there is none, and then
   * nothing is sent. A promise while the choice is still on its way to the server's ledger (reports
   * wait for it); otherwise the token itself, so a report flushed as the page unloads leaves at once.
   */
  readonly token: () => string | undefined | Promise<string | undefined>;
  readonly setTimer: (fn: () => void, ms: number) => unknown;
  readonly debounceMs?: number;
  readonly backoffMs?: readonly number[];
  /** Told when a report was refused or could not be sent after every retry, with the reason. */
  readonly onFailure?: (message: string) => void;
}

interface Batch {
  readonly batchId: string;
  readonly body: string;
  attempt: number;
}

interface Queue {
  exposures: ExposureEvent[];
  conversions: ConversionEvent[];
  trust: TrustEvent[];
  left: string[];
}

const empty = (): Queue => ({ exposures: [], conversions: [], trust: [], left: [] });
const isEmpty = (queue: Queue): boolean =>
  queue.exposures.length + queue.conversions.length + queue.trust.length + queue.left.length === 0;

async function refusal(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as { code?: unknown; detail?: unknown };
    if (typeof problem.detail === 'string')
      return `report refused (${response.status} ${String(problem.code)}): ${problem.detail}`;
  } catch {
    // Not a problem document: the status says enough.
  }
  return `report refused (${response.status})`;
}

/** Creates a reporter. A batch keeps its id across retries, so the server counts it once. */
export function createReporter(options: ReporterOptions): Reporter {
  const backoff = options.backoffMs ?? [1000, 4000, 15000, 60000];
  let queue = empty();
  let scheduled = false;
  const post = (batch: Batch, token: string | undefined): void => {
    if (token === undefined) {
      options.onFailure?.(
        'report not sent: this visitor has no server identity yet (the consent ledger missed the choice)',
      );
      return;
    }
    // Called in the same task when the token is at hand: on pagehide a keepalive fetch started now
    // outlives the page, where one started after an await may never start.
    let sent: Promise<Response>;
    try {
      sent = options.fetch(options.url, {
        method: 'POST',
        body: batch.body,
        keepalive: true,
        credentials: 'omit',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
    } catch {
      retry(batch, 'report could not be sent');
      return;
    }
    sent.then(
      async (response) => {
        if (response.ok) return;
        // 4xx other than 429 will never succeed: retrying would only repeat the refusal, so say why.
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          options.onFailure?.(await refusal(response));
          return;
        }
        retry(batch, `report answered ${response.status}`);
      },
      () => retry(batch, 'report could not be sent'),
    );
  };
  const send = (batch: Batch): void => {
    const token = options.token();
    if (token instanceof Promise)
      void token.then(
        (ready) => post(batch, ready),
        () => post(batch, undefined),
      );
    else post(batch, token);
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
    if (isEmpty(queue)) return undefined;
    const part = {
      exposures: queue.exposures.slice(0, MAX_REPORT_EVENTS),
      conversions: queue.conversions.slice(0, MAX_REPORT_EVENTS),
      trust: queue.trust.slice(0, MAX_REPORT_EVENTS),
      left: queue.left.slice(0, MAX_REPORT_EVENTS),
    };
    queue = {
      exposures: queue.exposures.slice(MAX_REPORT_EVENTS),
      conversions: queue.conversions.slice(MAX_REPORT_EVENTS),
      trust: queue.trust.slice(MAX_REPORT_EVENTS),
      left: queue.left.slice(MAX_REPORT_EVENTS),
    };
    const batchId = options.randomId();
    return { batchId, body: JSON.stringify({ batchId, ...part }), attempt: 0 };
  };
  const flushNow = (): void => {
    scheduled = false;
    for (let batch = take(); batch; batch = take()) send(batch);
  };
  return {
    add(events) {
      queue = {
        exposures: queue.exposures.concat(events.exposures ?? []),
        conversions: queue.conversions.concat(events.conversions ?? []),
        trust: queue.trust.concat(events.trust ?? []),
        left: queue.left.concat(events.left ?? []),
      };
      if (scheduled || isEmpty(queue)) return;
      scheduled = true;
      options.setTimer(flushNow, options.debounceMs ?? 2000);
    },
    flush: flushNow,
  };
}
