import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf } from '../auth/permissions.js';
import { principalOf } from '../auth/routes.js';
import { requireSite } from '../sites/service.js';
import { banditProposal, decideBanditProposal } from './service.js';

const ProposalParams = z.object({ site: z.string().min(1).max(64), experience: z.string().min(1).max(64) });

/** A bandit's proposed weights, waiting for an owner (sites whose settings say `banditApproval: 'owner'`). */
export function registerBanditRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/admin/sites/:site/experiences/:experience/bandit-proposal',
    {
      schema: {
        tags: ['results'],
        summary: "The bandit's proposed weights waiting for an owner's approval (null when none)",
        params: ProposalParams,
      },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      return { proposal: (await banditProposal(context, site, request.params.experience)) ?? null };
    },
  );
  for (const decision of ['approve', 'dismiss'] as const) {
    r.post(
      `/v1/admin/sites/:site/experiences/:experience/bandit-proposal/${decision}`,
      {
        schema: {
          tags: ['results'],
          summary:
            decision === 'approve'
              ? "Publish the bandit's proposed weights (owners; audited)"
              : "Keep the live weights and dismiss the bandit's proposal (owners; audited)",
          params: ProposalParams,
        },
        config: { permission: 'admin:manage' },
      },
      async (request) => {
        const site = await requireSite(context, request.params.site);
        return decideBanditProposal(context, site, request.params.experience, decision, actorOf(principalOf(request)));
      },
    );
  }
}
