import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import { experienceResults } from './service.js';

/** Results of an experience, computed from aggregates by the stats package. */
export function registerResultRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/admin/sites/:site/experiences/:id/results',
    {
      schema: {
        tags: ['results'],
        summary:
          'Every goal and guardrail per variant (lift, interval, p-value or chance to win), SRM, CUPED, correction, privacy noise, trust guardrails and a daily series',
        params: SiteParams.extend({ id: z.string().min(1).max(64) }),
        querystring: z.object({
          metric: z.string().min(1).max(64).optional(),
          /** Overrides the engine in the experience's analysis settings for this request. */
          engine: z.enum(['frequentist', 'sequential', 'bayesian']).optional(),
        }),
      },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const { metric, engine } = request.query;
      return experienceResults(
        context,
        site,
        request.params.id,
        { ...(metric === undefined ? {} : { metric }), ...(engine === undefined ? {} : { engine }) },
        context.noiseRandom,
      );
    },
  );
}
