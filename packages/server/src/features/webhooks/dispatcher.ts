import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { open } from '../../crypto/keyring.js';
import type { Keyring } from '../../crypto/keyring.js';
import type { Storage } from '../../storage/storage.js';

/** Webhook events; payloads carry ids and versions only, never visitor data. */
export type WebhookEvent = 'snapshot.published' | 'snapshot.rolled_back' | 'experience.changed';

/** Sends signed webhook deliveries in the background. */
export interface WebhookDispatcher {
  emit(siteId: string, event: WebhookEvent, data: Readonly<Record<string, string | number | boolean>>): void;
  /** Resolves when every delivery started so far has finished or given up (tests, shutdown). */
  drain(): Promise<void>;
}

/** The HMAC-SHA256 signature header value of a delivery: `t=<ms>,v1=<hex>` over `t.body`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Options of the dispatcher; `fetch` and `sleep` are parameters so tests run without a network or waiting. */
export interface DispatcherOptions {
  readonly storage: Storage;
  readonly keyring: Keyring;
  readonly clock: () => number;
  readonly log: FastifyBaseLogger;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Delays before each retry; exponential by default (1 s, 4 s, 16 s, 64 s). */
  readonly backoffMs?: readonly number[];
}

/** Creates the dispatcher: each delivery is retried with backoff on network errors and non-2xx answers. */
export function createWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const backoff = options.backoffMs ?? [1000, 4000, 16000, 64000];
  const inFlight = new Set<Promise<void>>();

  const deliver = async (url: string, secret: string, body: string): Promise<void> => {
    for (let attempt = 0; attempt <= backoff.length; attempt += 1) {
      const timestamp = options.clock();
      try {
        const response = await send(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'candor-signature': webhookSignature(secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(5000),
        });
        if (response.ok) return;
      } catch {
        // Network error: retried below like a non-2xx answer.
      }
      const delay = backoff[attempt];
      if (delay === undefined) break;
      await sleep(delay);
    }
    options.log.warn({ webhookHost: new URL(url).host }, 'webhook delivery gave up');
  };

  return {
    emit(siteId, event, data) {
      const task = (async () => {
        const hooks = (await options.storage.listWebhooks(siteId)).filter((hook) => hook.events.includes(event));
        const body = JSON.stringify({ event, at: options.clock(), data });
        await Promise.all(
          hooks.map((hook) => deliver(hook.url, open(options.keyring, hook.secretSealed, `webhook:${hook.id}`), body)),
        );
      })().catch(() => undefined);
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
    },
    async drain() {
      await Promise.all([...inFlight]);
    },
  };
}
