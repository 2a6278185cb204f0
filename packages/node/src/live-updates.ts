import { createParser } from 'eventsource-parser';

/** The server's announcement that the site's live snapshot changed. */
export interface SnapshotAnnouncement {
  readonly version: number;
  readonly etag: string;
}

/** How to follow a site's live-update stream. */
export interface LiveUpdateOptions {
  readonly url: string;
  readonly fetch: typeof fetch;
  readonly onAnnouncement: (announcement: SnapshotAnnouncement) => void;
  /** A stream failed or ended; it is reopened after the server's `retry` delay. */
  readonly onDisconnect: (message: string) => void;
}

/** Bounds on the server's `retry`: never hammer a server, never wait so long a publish goes unseen. */
const MIN_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;
const DEFAULT_RETRY_MS = 5_000;

/**
 * Follows the server-sent-events stream over `fetch` (not `EventSource`, which edge runtimes lack),
 * reconnecting after each end with the last event id, until `stop`. The stream carries only versions:
 * what the client uses is still only what it fetched and verified.
 */
export function followLiveUpdates(options: LiveUpdateOptions): { stop(): void } {
  const abort = new AbortController();
  let lastEventId: string | undefined;
  let retryMs = DEFAULT_RETRY_MS;
  let wake: (() => void) | undefined;

  const parser = createParser({
    onEvent(event) {
      if (event.id !== undefined) lastEventId = event.id;
      if (event.event !== 'snapshot') return;
      const announcement = parseAnnouncement(event.data);
      if (announcement !== undefined) options.onAnnouncement(announcement);
    },
    onRetry(interval) {
      retryMs = Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, interval));
    },
  });

  const readOnce = async (): Promise<void> => {
    const response = await options.fetch(options.url, {
      headers: { accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
      signal: abort.signal,
    });
    if (!response.ok || response.body === null) throw new Error(`${options.url} answered ${response.status}`);
    parser.reset();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    throw new Error('the live-update stream ended');
  };

  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        await readOnce();
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onDisconnect(error instanceof Error ? error.message : 'the live-update stream failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  void run();
  return {
    stop() {
      abort.abort();
      wake?.();
    },
  };
}

function parseAnnouncement(data: string): SnapshotAnnouncement | undefined {
  try {
    const parsed = JSON.parse(data) as { version?: unknown; etag?: unknown };
    if (Number.isSafeInteger(parsed.version) && typeof parsed.etag === 'string') {
      return { version: parsed.version as number, etag: parsed.etag };
    }
  } catch {
    // A line the server did not write this way is ignored: the next announcement or poll corrects it.
  }
  return undefined;
}
