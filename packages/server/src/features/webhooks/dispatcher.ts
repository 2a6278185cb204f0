import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { open } from '../../crypto/keyring.js';
import type { Keyring } from '../../crypto/keyring.js';
import type { Storage } from '../../storage/storage.js';
import { refuseWebhookTarget, type HostResolver } from './webhook-address.js';
import { postWebhook } from './webhook-transport.js';
import type { DeliveryRecord, DeliveryStatus } from './store.js';
import { randomId } from '../../crypto/tokens.js';

/** Webhook events; payloads carry ids and versions only, never visitor data. */
export type WebhookEvent = 'snapshot.published' | 'snapshot.rolled_back' | 'experience.changed' | 'measurement.refused';

/** Sends signed webhook deliveries from a queue in the database, so retries survive a restart. */
export interface WebhookDispatcher {
  /** Queues one delivery per subscribed webhook and starts sending. */
  emit(siteId: string, event: WebhookEvent, data: Readonly<Record<string, string | number | boolean>>): void;
  /** Sends whatever is due now (a retry from the delivery log, say). */
  kick(): Promise<void>;
  /** Resolves when every queued delivery has been delivered or given up (tests). */
  drain(): Promise<void>;
  /** Stops the retry timer and waits for attempts in flight; pending deliveries stay queued. */
  stop(): Promise<void>;
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
  /** How often the queue is polled for retries that are due (and deliveries other nodes left). */
  readonly pollMs?: number;
}

/** A claimed delivery is this node's for this long; an attempt times out well within it. */
const LEASE_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 5000;

/**
 * Creates the dispatcher: deliveries are queued in storage, claimed with a lease (so two nodes never
 * send one twice), and retried with backoff on network errors and non-2xx answers.
 */
export function createWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const { storage, clock, log } = options;
  // Without an injected fetch, deliveries go through a socket whose own DNS lookup refuses internal
  // addresses, so the check below cannot be undone by a host that rebinds between check and connect.
  const send = async (url: string, headers: Record<string, string>, body: string): Promise<number> => {
    if (options.fetch === undefined) {
      return postWebhook(url, headers, body, { allowPrivate: options.allowPrivate, timeoutMs: ATTEMPT_TIMEOUT_MS });
    }
    const response = await options.fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    return response.status;
  };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const backoff = options.backoffMs ?? [1000, 4000, 16000, 64000];
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(task: Promise<T>): Promise<T> => {
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task)).catch(() => undefined);
    return task;
  };

  const finish = (delivery: DeliveryRecord, status: DeliveryStatus, attempts: number, lastError: string | null) =>
    storage.updateDelivery(delivery.id, { status, attempts, nextAttemptAt: clock(), lastError, finishedAt: clock() });

  const attempt = async (delivery: DeliveryRecord): Promise<void> => {
    const hook = await storage.getWebhook(delivery.webhookId);
    if (hook === undefined) return finish(delivery, 'failed', delivery.attempts, 'the webhook was deleted');
    // Checked again at delivery: the URL was public when registered, but DNS may have changed since.
    const refused = await refuseWebhookTarget(
      hook.url,
      { allowPrivate: options.allowPrivate },
      ...(options.resolve === undefined ? [] : [options.resolve]),
    );
    if (refused !== undefined) {
      log.warn({ webhookHost: new URL(hook.url).host, reason: refused }, 'webhook delivery refused');
      return finish(delivery, 'refused', delivery.attempts, refused);
    }
    const attempts = delivery.attempts + 1;
    let error: string;
    try {
      const timestamp = clock();
      const secret = open(options.keyring, hook.secretSealed, `webhook:${hook.id}`);
      const headers = {
        'content-type': 'application/json',
        'candor-signature': webhookSignature(secret, timestamp, delivery.body),
      };
      const status = await send(hook.url, headers, delivery.body);
      if (status >= 200 && status < 300) return finish(delivery, 'delivered', attempts, null);
      error = `HTTP ${status}`;
    } catch (cause) {
      error = cause instanceof Error && cause.name === 'TimeoutError' ? 'timed out' : 'could not connect';
    }
    const delay = backoff[attempts - 1];
    if (delay === undefined) {
      log.warn({ webhookHost: new URL(hook.url).host, attempts }, 'webhook delivery gave up');
      return finish(delivery, 'failed', attempts, error);
    }
    await storage.updateDelivery(delivery.id, {
      status: 'pending',
      attempts,
      nextAttemptAt: clock() + delay,
      lastError: error,
      finishedAt: null,
    });
  };

  // One pass at a time on this node; a kick during a pass runs one more, so nothing queued is missed.
  let running: Promise<void> | undefined;
  let again = false;
  const pass = async (): Promise<void> => {
    for (;;) {
      const due = await storage.claimDueDeliveries(clock(), LEASE_MS, 20);
      if (due.length === 0) return;
      await Promise.all(due.map((delivery) => attempt(delivery)));
    }
  };
  const kick = (): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = track(
      (async () => {
        do {
          again = false;
          await pass();
        } while (again);
      })()
        .catch(() => log.warn('webhook queue pass failed; the next poll retries'))
        .finally(() => {
          running = undefined;
        }),
    );
    return running;
  };
  const timer = setInterval(() => void kick(), options.pollMs ?? 1000);
  timer.unref();

  return {
    emit(siteId, event, data) {
      void track(
        (async () => {
          const hooks = (await storage.listWebhooks(siteId)).filter((hook) => hook.events.includes(event));
          const at = clock();
          const body = JSON.stringify({ event, at, data });
          await storage.queueDeliveries(
            hooks.map((hook) => ({
              id: randomId('whd'),
              siteId,
              webhookId: hook.id,
              event,
              body,
              status: 'pending',
              attempts: 0,
              nextAttemptAt: at,
              lastError: null,
              createdAt: at,
              finishedAt: null,
            })),
          );
          await kick();
        })().catch(() => log.warn('webhook delivery could not be queued')),
      );
    },
    kick,
    async drain() {
      // Bounded: a retry that never comes due (a stopped clock with a non-zero backoff) ends the wait.
      for (let round = 0; round < 1000; round += 1) {
        await Promise.all([...inFlight]);
        await kick();
        const due = await storage.nextDeliveryDue();
        if (due === undefined) return;
        await sleep(Math.min(Math.max(0, due - clock()), 50));
      }
    },
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
