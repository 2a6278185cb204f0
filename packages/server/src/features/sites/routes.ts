import { SiteCreateInput, SiteSettingsInput } from '@candor/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../auth/routes.js';
import { actorOf } from '../auth/permissions.js';
import { createSite, publicSite, requireSite } from './service.js';

/** The `:site` URL parameter of admin routes. */
export const SiteParams = z.object({ site: z.string().min(1).max(64) });

/** Sites: list, create, read and change settings. */
export function registerSiteRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/admin/sites',
    { schema: { tags: ['sites'], summary: 'List sites' }, config: { permission: 'read' } },
    async () => (await context.storage.listSites()).map(publicSite),
  );
  r.post(
    '/v1/admin/sites',
    {
      schema: { tags: ['sites'], summary: 'Create a site', body: SiteCreateInput },
      config: { permission: 'admin:manage' },
    },
    async (request, reply) => {
      const site = await createSite(context, request.body, actorOf(principalOf(request)));
      return reply.status(201).send(publicSite(site));
    },
  );
  r.get(
    '/v1/admin/sites/:site',
    { schema: { tags: ['sites'], summary: 'Read a site', params: SiteParams }, config: { permission: 'read' } },
    async (request) => publicSite(await requireSite(context, request.params.site)),
  );
  r.put(
    '/v1/admin/sites/:site',
    {
      schema: { tags: ['sites'], summary: 'Change site settings', params: SiteParams, body: SiteSettingsInput },
      config: { permission: 'admin:manage' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      // The demo-data mark is not a setting an admin edits: it stays with the figures it describes.
      const settings = site.settings.demoData === true ? { ...request.body, demoData: true } : request.body;
      await context.storage.updateSiteSettings(site.id, settings);
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'site.update',
        siteId: site.id,
        target: `sites/${site.siteKey}`,
        before: site.settings,
        after: request.body,
      });
      context.snapshots.invalidate(site.id);
      return publicSite({ ...site, settings });
    },
  );
}
