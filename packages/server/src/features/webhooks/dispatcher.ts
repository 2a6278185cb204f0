import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { open } from '../../crypto/keyring.js';
import type { Keyring } from '../../crypto/keyring.js';
import type { Storage } from '../../storage/storage.js';
import { refuseWebhookTarget, type HostResolver } from './webhook-address.js';
import { postWebhook } from './webhook-transport.js';

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

/** Options of the dispatcher; `fetch`, `resolve` and `sleep` are parameters so tests run without a network or waiting. */
export interface DispatcherOptions {
  readonly storage: Storage;
  readonly keyring: Keyring;
  readonly clock: () => number;
  readonly log: FastifyBaseLogger;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Delays before each retry; exponential by default (1 s, 4 s, 16 s, 64 s). */
  readonly backoffMs?: readonly number[];
  /** `CANDOR_WEBHOOK_ALLOW_PRIVATE=1`: deliveries may reach http and loopback/private addresses. */
  readonly allowPrivate: boolean;
  /** Host resolver for the delivery-time address check (tests). */
  readonly resolve?: HostResolver;
}

/** Creates the dispatcher: each delivery is retried with backoff on network errors and non-2xx answers. */
export function createWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  // Without an injected fetch, deliveries go through a socket whose own DNS lookup refuses internal
  // addresses, so the check below cannot be undone by a host that rebinds between check and connect.
  const send = async (url: string, headers: Record<string, string>, body: string): Promise<boolean> => {
    if (options.fetch === undefined) {
      const status = await postWebhook(url, headers, body, { allowPrivate: options.allowPrivate, timeoutMs: 5000 });
      return status >= 200 && status < 300;
    }
    const response = await options.fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
    return response.ok;
  };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const backoff = options.backoffMs ?? [1000, 4000, 16000, 64000];
  const inFlight = new Set<Promise<void>>();

  const deliver = async (url: string, secret: string, body: string): Promise<void> => {
    // Checked again at delivery: the URL was public when registered, but DNS may have changed since.
    const refused = await refuseWebhookTarget(
      url,
      { allowPrivate: options.allowPrivate },
      ...(options.resolve === undefined ? [] : [options.resolve]),
    );
    if (refused !== undefined) {
      options.log.warn({ webhookHost: new URL(url).host, reason: refused }, 'webhook delivery refused');
      return;
    }
    for (let attempt = 0; attempt <= backoff.length; attempt += 1) {
      const timestamp = options.clock();
      try {
        const headers = {
          'content-type': 'application/json',
          'candor-signature': webhookSignature(secret, timestamp, body),
        };
        if (await send(url, headers, body)) return;
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
