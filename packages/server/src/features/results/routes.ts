import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import { planExperience } from './plan.js';
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
          /** Overrides how relative lift is inferred: `delta` gives gbstats-equal figures to compare with GrowthBook. */
          relative: z.enum(['log_ratio', 'delta']).optional(),
          /** `demo` reads the demo's generated figures; real visitors' by default. */
          data: z.enum(['real', 'demo']).optional(),
        }),
      },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const { metric, engine, relative, data } = request.query;
      return experienceResults(
        context,
        site,
        request.params.id,
        {
          ...(metric === undefined ? {} : { metric }),
          ...(engine === undefined ? {} : { engine }),
          ...(relative === undefined ? {} : { relativeMethod: relative }),
          ...(data === undefined ? {} : { data }),
        },
        context.noiseRandom,
      );
    },
  );
  r.get(
    '/v1/admin/sites/:site/experiences/:id/plan',
    {
      schema: {
        tags: ['results'],
        summary:
          "How long at today's traffic: units per variant for the experience's own test (engine, correction, relative-lift method) to show an effect with the asked power, and the days that takes",
        params: SiteParams.extend({ id: z.string().min(1).max(64) }),
        querystring: z.object({
          metric: z.string().min(1).max(64).optional(),
          /** Relative lift (0.1 = +10%), or an absolute difference with difference=absolute. */
          effect: z.coerce
            .number()
            .finite()
            .refine((value) => value !== 0, 'the effect must not be 0'),
          difference: z.enum(['relative', 'absolute']).default('relative'),
          power: z.coerce.number().min(0.5).max(0.99).default(0.8),
          baselineRate: z.coerce.number().gt(0).lt(1).optional(),
          baselineMean: z.coerce.number().finite().optional(),
          baselineSd: z.coerce.number().finite().positive().optional(),
        }),
      },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const { metric, baselineRate, baselineMean, baselineSd, ...rest } = request.query;
      return planExperience(context, site, request.params.id, {
        ...rest,
        ...(metric === undefined ? {} : { metric }),
        ...(baselineRate === undefined ? {} : { baselineRate }),
        ...(baselineMean === undefined ? {} : { baselineMean }),
        ...(baselineSd === undefined ? {} : { baselineSd }),
      });
    },
  );
}
