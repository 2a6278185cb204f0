import { WebhookCreateInput } from '@candor/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { seal } from '../../crypto/keyring.js';
import { randomId, randomToken } from '../../crypto/tokens.js';
import { AppError } from '../../http/app-error.js';
import { principalOf } from '../auth/routes.js';
import { actorOf } from '../auth/permissions.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import type { DeliveryRecord } from './store.js';
import { refuseWebhookTarget } from './webhook-address.js';

/** Webhook subscriptions; the signing secret is shown once at creation. */
export function registerWebhookRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/admin/sites/:site/webhooks',
    {
      schema: { tags: ['webhooks'], summary: 'List webhooks', params: SiteParams },
      config: { permission: 'admin:manage' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      return (await context.storage.listWebhooks(site.id)).map(({ secretSealed: _secret, ...hook }) => hook);
    },
  );
  r.post(
    '/v1/admin/sites/:site/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL (HMAC-signed deliveries)',
        params: SiteParams,
        body: WebhookCreateInput,
      },
      config: { permission: 'admin:manage' },
    },
    async (request, reply) => {
      const site = await requireSite(context, request.params.site);
      const refused = await refuseWebhookTarget(request.body.url, {
        allowPrivate: context.config.webhookAllowPrivate,
      });
      if (refused !== undefined) throw new AppError('bad_request', refused);
      const id = randomId('whk');
      const secret = randomToken();
      await context.storage.createWebhook({
        id,
        siteId: site.id,
        url: request.body.url,
        events: request.body.events,
        secretSealed: seal(context.keyring, secret, `webhook:${id}`),
        createdAt: context.clock(),
      });
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'webhook.create',
        siteId: site.id,
        target: `webhooks/${id}`,
        before: null,
        after: request.body,
      });
      return reply.status(201).send({ id, secret, url: request.body.url, events: request.body.events });
    },
  );
  r.delete(
    '/v1/admin/sites/:site/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Remove a webhook',
        params: SiteParams.extend({ id: z.string().max(100) }),
      },
      config: { permission: 'admin:manage' },
    },
    async (request, reply) => {
      const site = await requireSite(context, request.params.site);
      if (!(await context.storage.deleteWebhook(site.id, request.params.id)))
        throw new AppError('not_found', 'No such webhook.');
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'webhook.delete',
        siteId: site.id,
        target: `webhooks/${request.params.id}`,
        before: null,
        after: null,
      });
      return reply.status(204).send();
    },
  );
  const HookParams = SiteParams.extend({ id: z.string().max(100) });
  const requireHook = async (siteKey: string, id: string) => {
    const site = await requireSite(context, siteKey);
    const hook = await context.storage.getWebhook(id);
    if (hook === undefined || hook.siteId !== site.id) throw new AppError('not_found', 'No such webhook.');
    return { site, hook };
  };
  r.get(
    '/v1/admin/sites/:site/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "A webhook's delivery log, newest first: status, attempts, the last error, when it is retried",
        params: HookParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      },
      config: { permission: 'admin:manage' },
    },
    async (request) => {
      const { hook } = await requireHook(request.params.site, request.params.id);
      return (await context.storage.listDeliveries(hook.id, request.query.limit)).map(deliveryView);
    },
  );
  r.post(
    '/v1/admin/sites/:site/webhooks/:id/deliveries/:delivery/retry',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send a failed or refused delivery again, with a fresh set of retries',
        params: HookParams.extend({ delivery: z.string().max(100) }),
      },
      config: { permission: 'admin:manage' },
    },
    async (request, reply) => {
      const { site, hook } = await requireHook(request.params.site, request.params.id);
      const delivery = await context.storage.getDelivery(request.params.delivery);
      if (delivery === undefined || delivery.webhookId !== hook.id)
        throw new AppError('not_found', 'No such delivery.');
      if (delivery.status === 'pending' || delivery.status === 'delivered') {
        throw new AppError('conflict', `This delivery is ${delivery.status}; only failed or refused ones are retried.`);
      }
      const now = context.clock();
      await context.storage.updateDelivery(delivery.id, {
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastError: delivery.lastError,
        finishedAt: null,
      });
      await context.storage.appendAudit({
        at: now,
        actor: actorOf(principalOf(request)),
        action: 'webhook.retry',
        siteId: site.id,
        target: `webhooks/${hook.id}/deliveries/${delivery.id}`,
        before: { status: delivery.status },
        after: { status: 'pending' },
      });
      void context.webhooks.kick();
      return reply.status(202).send(deliveryView({ ...delivery, status: 'pending', attempts: 0, nextAttemptAt: now }));
    },
  );
}

/** What the admin sees of a delivery: its outcome, not its signing details. */
function deliveryView(delivery: DeliveryRecord) {
  return {
    id: delivery.id,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt,
    finishedAt: delivery.finishedAt,
    nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt : null,
  };
}
