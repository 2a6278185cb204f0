import type { Snapshot } from '@candor/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import { experienceResults } from './service.js';

/** Results of one experience goal, computed from aggregates by the stats package. */
export function registerResultRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/admin/sites/:site/experiences/:id/results',
    {
      schema: {
        tags: ['results'],
        summary: "One goal's lift, interval, sample-ratio check and trust guardrails",
        params: SiteParams.extend({ id: z.string().min(1).max(64) }),
        querystring: z.object({ metric: z.string().min(1).max(64).optional() }),
      },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const latest = await context.storage.latestSnapshot(site.id);
      if (latest === undefined) throw new AppError('not_found', `Site ${site.siteKey} has not published yet.`);
      const snapshot = JSON.parse(latest.body) as Snapshot;
      const experience = snapshot.experiences.find((candidate) => candidate.id === request.params.id);
      if (experience === undefined)
        throw new AppError('not_found', `No experience "${request.params.id}" in the live snapshot.`);
      const metricId = request.query.metric ?? experience.goals[0];
      if (metricId === undefined)
        throw new AppError('bad_request', `Experience ${experience.id} has no goal; pass ?metric=<id>.`);
      const cells = await context.storage.listAggregates(site.id, experience.id);
      const results = experienceResults(snapshot, experience.id, metricId, cells, context.clock());
      if (results === undefined) throw new AppError('not_found', `No metric "${metricId}" in the live snapshot.`);
      return results;
    },
  );
}
