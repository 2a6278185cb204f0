import type { Snapshot } from '@candor/core';
import { ReportBatch, ReportResult } from '@candor/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { createSiteRateLimiter } from '../../http/site-rate-limit.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import { ingestReport } from './service.js';

/** The largest report body accepted (issue 3: 64 KiB). */
export const REPORT_BODY_LIMIT = 64 * 1024;

/** Aggregate ingestion (public) and the aggregates (admin). */
export function registerReportRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const perSite = createSiteRateLimiter(context.config.publicRateLimit * 20, 60_000, Date.now, {
    ...(context.redis === undefined ? {} : { redis: context.redis }),
    prefix: context.config.redisPrefix,
    onRedisError: () => app.log.warn('Redis unavailable: per-site rate limits count on this node only'),
  });
  // Parsed snapshots by body, so ingestion does not re-parse JSON on every batch.
  let parsed: { body: string; snapshot: Snapshot } | undefined;
  r.post(
    '/v1/sites/:siteKey/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      schema: {
        tags: ['public'],
        summary: 'Add a batch of aggregate deltas (idempotent by batchId)',
        params: z.object({ siteKey: z.string().min(1).max(64) }),
        body: ReportBatch,
        response: { 200: ReportResult },
      },
      config: {
        siteCors: true,
        rateLimit: {
          max: context.config.publicRateLimit,
          timeWindow: '1 minute',
          keyGenerator: (request) => `${request.ip}|${(request.params as { siteKey?: string }).siteKey ?? ''}`,
        },
      },
    },
    async (request) => {
      const live = await context.snapshots.live(request.params.siteKey);
      if (live === undefined) throw new AppError('not_found', `No site with key "${request.params.siteKey}".`);
      await perSite.hit(request.params.siteKey);
      let snapshot: Snapshot | undefined;
      if (live.snapshot !== undefined) {
        if (parsed?.body !== live.snapshot.body)
          parsed = { body: live.snapshot.body, snapshot: JSON.parse(live.snapshot.body) as Snapshot };
        snapshot = parsed.snapshot;
      }
      return ingestReport(context, live.site, snapshot, request.body);
    },
  );
  r.get(
    '/v1/admin/sites/:site/aggregates',
    {
      schema: {
        tags: ['results'],
        summary: 'Aggregate cells (n, Σy, Σy², covariate sums)',
        params: SiteParams,
        querystring: z.object({ experience: z.string().max(64).optional() }),
      },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      return context.storage.listAggregates(site.id, request.query.experience);
    },
  );
}
