import { PrivacyReport } from '@candor/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import { privacyReport } from './service.js';

/** The privacy report: consent choices from the ledger, trust events from the aggregates, and the trust score. */
export function registerPrivacyReportRoutes(app: FastifyInstance, context: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/admin/sites/:site/privacy-report',
    {
      schema: {
        tags: ['results'],
        summary:
          'Per day: consent choices made (never prompts shown), grants per purpose, GPC, "Why?" opens and "don\'t use this"; and the trust score',
        params: SiteParams,
        querystring: z.object({
          days: z.coerce.number().int().min(1).max(366).default(30),
          /** `demo` reads the demo's generated figures; real visitors' by default. */
          data: z.enum(['real', 'demo']).default('real'),
        }),
        response: { 200: PrivacyReport },
      },
      config: { permission: 'read' },
    },
    async (request) =>
      privacyReport(context, await requireSite(context, request.params.site), request.query.days, request.query.data),
  );
}
