import { lint } from '@candor/core';
import { draftInLanguages, DRAFT_KINDS, EntityId, SavedGroupsDraft, siteLanguages } from '@candor/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { principalOf } from '../auth/routes.js';
import { actorOf } from '../auth/permissions.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import { EXPERIENCE_ORDER_KIND, isDraftKind, loadDraft, parseDraft, SAVED_GROUPS_KIND, saveDraft } from './service.js';

const KindParams = SiteParams.extend({ kind: z.enum(DRAFT_KINDS) });
const EntityParams = KindParams.extend({ id: z.string().min(1).max(128) });

/** Draft CRUD for every entity kind, each change audited with before and after. */
export function registerDraftRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/admin/sites/:site/drafts',
    {
      schema: { tags: ['drafts'], summary: "The site's whole draft with its lint findings", params: SiteParams },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const draft = await loadDraft(context, site.id);
      return { draft, findings: lint(draftInLanguages(draft, site.settings, { onlyUnwritten: true })) };
    },
  );
  r.get(
    '/v1/admin/sites/:site/drafts/:kind',
    {
      schema: { tags: ['drafts'], summary: 'List drafts of one kind', params: KindParams },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      return (await context.storage.listDrafts(site.id, request.params.kind)).map((row) => row.body);
    },
  );
  r.get(
    '/v1/admin/sites/:site/drafts/:kind/:id',
    { schema: { tags: ['drafts'], summary: 'Read one draft', params: EntityParams }, config: { permission: 'read' } },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const row = await context.storage.getDraft(site.id, request.params.kind, request.params.id);
      if (row === undefined) throw new AppError('not_found', `No ${request.params.kind} draft "${request.params.id}".`);
      return row.body;
    },
  );
  r.put(
    '/v1/admin/sites/:site/drafts/:kind/:id',
    {
      schema: {
        tags: ['drafts'],
        summary: 'Create or replace one draft (validated against its kind)',
        params: EntityParams,
        body: z.record(z.string(), z.unknown()),
      },
      config: { permission: 'drafts:write' },
    },
    async (request) => {
      const { kind, id } = request.params;
      if (!isDraftKind(kind)) throw new AppError('not_found', `Unknown draft kind ${kind}.`);
      const site = await requireSite(context, request.params.site);
      const body = parseDraft(kind, id, request.body, siteLanguages(site.settings));
      await saveDraft(context, site.id, kind, id, body, actorOf(principalOf(request)));
      if (kind === 'experiences') {
        context.webhooks.emit(site.id, 'experience.changed', {
          siteKey: site.siteKey,
          experience: id,
          change: 'draft',
        });
      }
      return body;
    },
  );
  r.delete(
    '/v1/admin/sites/:site/drafts/:kind/:id',
    {
      schema: { tags: ['drafts'], summary: 'Delete one draft', params: EntityParams },
      config: { permission: 'drafts:write' },
    },
    async (request, reply) => {
      const site = await requireSite(context, request.params.site);
      const { kind, id } = request.params;
      const before = await context.storage.getDraft(site.id, kind, id);
      if (before === undefined || !(await context.storage.deleteDraft(site.id, kind, id))) {
        throw new AppError('not_found', `No ${kind} draft "${id}".`);
      }
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'draft.delete',
        siteId: site.id,
        target: `${kind}/${id}`,
        before: before.body,
        after: null,
      });
      return reply.status(204).send();
    },
  );
  r.put(
    '/v1/admin/sites/:site/saved-groups',
    {
      schema: { tags: ['drafts'], summary: 'Replace the saved groups', params: SiteParams, body: SavedGroupsDraft },
      config: { permission: 'drafts:write' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      await saveDraft(context, site.id, SAVED_GROUPS_KIND, 'all', request.body, actorOf(principalOf(request)));
      return request.body;
    },
  );
  r.put(
    '/v1/admin/sites/:site/experience-order',
    {
      schema: {
        tags: ['drafts'],
        summary: 'Set experience priority (first experience per slot wins)',
        params: SiteParams,
        body: z.array(EntityId).max(500),
      },
      config: { permission: 'drafts:write' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      await saveDraft(context, site.id, EXPERIENCE_ORDER_KIND, 'all', request.body, actorOf(principalOf(request)));
      return request.body;
    },
  );
  const AuditQuery = z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.coerce.number().int().optional(),
  });
  r.get(
    '/v1/admin/sites/:site/audit',
    {
      schema: {
        tags: ['audit'],
        summary: "A site's audit log, newest first",
        params: SiteParams,
        querystring: AuditQuery,
      },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      return context.storage.listAudit({
        siteId: site.id,
        limit: request.query.limit,
        ...(request.query.before === undefined ? {} : { beforeSeq: request.query.before }),
      });
    },
  );
  r.get(
    '/v1/admin/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Installation-wide changes (users, roles, API keys, passwords), newest first',
        querystring: AuditQuery,
      },
      config: { permission: 'admin:manage' },
    },
    async (request) =>
      context.storage.listAudit({
        siteId: null,
        limit: request.query.limit,
        ...(request.query.before === undefined ? {} : { beforeSeq: request.query.before }),
      }),
  );
}
