import type { Snapshot } from '@candor/core';
import { AggregateBatch, ReportResult, VisitorReport } from '@candor/schema';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { RouteScopes } from '../../http/admin-scope.js';
import { AppError } from '../../http/app-error.js';
import { createSiteRateLimiter } from '../../http/site-rate-limit.js';
import { analysisOf } from '../results/service.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import type { LiveSnapshot } from '../publish/snapshot-cache.js';
import { requestSignals } from '../consent/signals.js';
import { visitorFromToken } from '../visitors/service.js';
import { ingestAggregateBatch, ingestVisitorReport } from './service.js';

/** The largest report body accepted (issue 3: 64 KiB). */
export const REPORT_BODY_LIMIT = 64 * 1024;

/** Reports one visitor may send per minute: far above a real page's debounced batches. */
export const VISITOR_REPORTS_PER_MINUTE = 60;

const HOUR = 3_600_000;

/** Aggregate ingestion: consented visitors' reports (public), trusted aggregate batches and the cells (admin). */
export function registerReportRoutes(scopes: RouteScopes, context: AppContext): void {
  const app = scopes.public;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = scopes.admin.withTypeProvider<ZodTypeProvider>();
  const store = {
    ...(context.redis === undefined ? {} : { redis: context.redis }),
    prefix: context.config.redisPrefix,
    onRedisError: () => app.log.warn('Redis unavailable: report limits count on this node only'),
  };
  // Limits are per visitor and per source, never per site: many abusive addresses must not be able
  // to use up a budget that real visitors share.
  const perVisitor = createSiteRateLimiter(VISITOR_REPORTS_PER_MINUTE, 60_000, Date.now, store);
  const growth = createSiteRateLimiter(context.config.reportGrowthLimit, HOUR, Date.now, store);
  const alerted = new Map<string, number>();
  const alert = (siteId: string, siteKey: string): void => {
    const window = Math.floor(Date.now() / HOUR);
    if (alerted.get(siteId) === window) return;
    alerted.set(siteId, window);
    app.log.warn(
      { siteKey, code: 'implausible_growth' },
      'refused reports: one source sent more first exposures than a network plausibly does',
    );
    context.webhooks.emit(siteId, 'measurement.refused', { siteKey, reason: 'implausible_growth' });
  };
  // Parsed snapshots by body, so ingestion does not re-parse JSON on every batch.
  let parsed: { body: string; snapshot: Snapshot } | undefined;
  const snapshotOf = (live: Pick<LiveSnapshot, 'snapshot'> | { snapshot: undefined }): Snapshot | undefined => {
    if (live.snapshot === undefined) return undefined;
    if (parsed?.body !== live.snapshot.body)
      parsed = { body: live.snapshot.body, snapshot: JSON.parse(live.snapshot.body) as Snapshot };
    return parsed.snapshot;
  };
  r.post(
    '/v1/sites/:siteKey/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      schema: {
        tags: ['public'],
        summary: "Add a consented visitor's exposures, conversions and trust events (idempotent by batchId)",
        description:
          'Needs the visitor token from registration (Authorization: Bearer <token>) and a granted measurement ' +
          'purpose. The server bounds what one visitor contributes: one exposure per experience, conversions ' +
          'within each metric’s cap, each trust event once. A report without a valid token is counted only as ' +
          'unattributed (401) and never reaches a result.',
        headers: z.object({ authorization: z.string().max(300).optional() }),
        params: z.object({ siteKey: z.string().min(1).max(64) }),
        body: VisitorReport,
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
      const report = request.body;
      let visitor;
      try {
        visitor = await visitorFromToken(context, request.headers.authorization);
      } catch {
        const events = report.exposures.length + report.conversions.length + report.trust.length;
        await context.storage.countUnattributed(live.site.id, context.clock(), events);
        throw new AppError(
          'unattributed',
          'This report carries no valid visitor token, so it was only counted as unattributed and added to no ' +
            'result. Send the token the visitor received at registration as "Authorization: Bearer <token>".',
        );
      }
      await perVisitor.hit(`visitor:${visitor.id}`);
      if (report.exposures.length > 0) {
        try {
          await growth.hit(`growth:${live.site.siteKey}|${request.ip}`);
        } catch {
          alert(live.site.id, live.site.siteKey);
          throw new AppError(
            'implausible_growth',
            'This network sent more first exposures this hour than real visitors plausibly do; they were refused ' +
              'and the site was alerted. If this is real traffic, raise CANDOR_REPORT_GROWTH_LIMIT.',
          );
        }
      }
      return ingestVisitorReport(
        context,
        live.site,
        snapshotOf(live),
        visitor,
        report,
        requestSignals(request.headers),
      );
    },
  );
  admin.post(
    '/v1/admin/sites/:site/aggregates',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      schema: {
        tags: ['results'],
        summary: 'Add a trusted batch of precomputed aggregate deltas (server-side SDKs, imports)',
        description:
          'Precomputed deltas change results as much as a publish does, so this needs the publish permission ' +
          '(an API key with that scope). Deltas are clipped to each metric’s cap; the batch id makes a retry count once.',
        params: SiteParams,
        body: AggregateBatch,
        response: { 200: ReportResult },
      },
      config: { permission: 'publish' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const live = await context.snapshots.live(site.siteKey);
      return ingestAggregateBatch(context, site, live === undefined ? undefined : snapshotOf(live), request.body);
    },
  );
  admin.get(
    '/v1/admin/sites/:site/aggregates',
    {
      schema: {
        tags: ['results'],
        summary: 'Aggregate cells (n, Σy, Σy², covariate sums); none of experiences under differential privacy',
        params: SiteParams,
        querystring: z.object({
          experience: z.string().max(64).optional(),
          /** `demo` lists the demo's generated cells; real visitors' by default. */
          data: z.enum(['real', 'demo']).default('real'),
        }),
      },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const cells = await context.storage.listAggregates(site.id, request.query.experience, request.query.data);
      // Exact cells of an experience under differential privacy never leave the server: its results
      // show only the noised, k-suppressed releases.
      const live = await context.snapshots.live(site.siteKey);
      const snapshot = live === undefined ? undefined : snapshotOf(live);
      const privateExperiences = new Set(
        (snapshot?.experiences ?? [])
          .filter((experience) => analysisOf(experience).differentialPrivacy !== undefined)
          .map((experience) => experience.id),
      );
      return cells.filter((cell) => !privateExperiences.has(cell.experienceId));
    },
  );
}
