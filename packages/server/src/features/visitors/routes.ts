import type { Snapshot } from '@candor/core';
import { ConsentEventInput, VisitorRegistration, VisitorValueInput } from '@candor/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { firstBrokenLink } from '../consent/chain.js';
import { exportLedger } from '../consent/ledger-export.js';
import { recordConsent } from '../consent/service.js';
import { requestSignals } from '../consent/signals.js';
import { principalOf } from '../auth/routes.js';
import { actorOf } from '../auth/permissions.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import type { SiteRecord } from '../sites/store.js';
import type { LiveSnapshot } from '../publish/snapshot-cache.js';
import { eraseVisitor, putValue, registerVisitor, visitorData, visitorFromToken } from './service.js';

const publicLimit = (context: AppContext) => ({
  max: context.config.publicRateLimit,
  timeWindow: '1 minute',
});

async function siteOf(context: AppContext, siteId: string): Promise<SiteRecord> {
  const site = await context.storage.getSite(siteId);
  if (site === undefined) throw new AppError('not_found', 'The site of this visitor no longer exists.');
  return site;
}

async function liveOf(context: AppContext, site: SiteRecord): Promise<LiveSnapshot | undefined> {
  const live = await context.snapshots.live(site.siteKey);
  return live?.snapshot === undefined ? undefined : (live as LiveSnapshot);
}

/** Visitor self-service: register, consent, access, edit, erase, export. Every route but register needs the token. */
export function registerVisitorRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const visitorHeaders = z.object({ authorization: z.string().max(300).optional() });
  r.post(
    '/v1/sites/:siteKey/visitors',
    {
      schema: {
        tags: ['visitor'],
        summary: 'Register a pseudonymous visitor (the token is shown once)',
        params: z.object({ siteKey: z.string().min(1).max(64) }),
        response: { 201: VisitorRegistration },
      },
      config: { siteCors: true, rateLimit: publicLimit(context) },
    },
    async (request, reply) => {
      const site = await requireSite(context, request.params.siteKey);
      return reply.status(201).send(await registerVisitor(context, site));
    },
  );
  r.post(
    '/v1/visitor/consent',
    {
      schema: {
        tags: ['visitor'],
        summary: 'Append a consent event to the ledger',
        headers: visitorHeaders,
        body: ConsentEventInput,
      },
      config: { siteCors: true, rateLimit: publicLimit(context) },
    },
    async (request, reply) => {
      const visitor = await visitorFromToken(context, request.headers.authorization);
      const site = await siteOf(context, visitor.siteId);
      const record = await recordConsent(
        context,
        site,
        await liveOf(context, site),
        visitor,
        request.body,
        requestSignals(request.headers, request.body.gpcJs),
      );
      return reply.status(201).send(record);
    },
  );
  r.get(
    '/v1/visitor/data',
    {
      schema: { tags: ['visitor'], summary: 'Everything held about me', headers: visitorHeaders },
      config: { siteCors: true, rateLimit: publicLimit(context) },
    },
    async (request, reply) => {
      const visitor = await visitorFromToken(context, request.headers.authorization);
      void reply.header('cache-control', 'no-store');
      return visitorData(context, await siteOf(context, visitor.siteId), visitor);
    },
  );
  r.get(
    '/v1/visitor/export',
    {
      schema: { tags: ['visitor'], summary: 'Download my data (JSON)', headers: visitorHeaders },
      config: { siteCors: true, rateLimit: publicLimit(context) },
    },
    async (request, reply) => {
      const visitor = await visitorFromToken(context, request.headers.authorization);
      const data = await visitorData(context, await siteOf(context, visitor.siteId), visitor);
      void reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="candor-my-data.json"');
      return { format: 'candor-visitor-export', formatVersion: 1, exportedAt: context.clock(), ...data };
    },
  );
  r.put(
    '/v1/visitor/data/:field',
    {
      schema: {
        tags: ['visitor'],
        summary: 'Store one value on the server (needs its purpose and sync granted)',
        headers: visitorHeaders,
        params: z.object({ field: z.string().min(1).max(128) }),
        body: VisitorValueInput,
      },
      config: { siteCors: true, rateLimit: publicLimit(context) },
    },
    async (request, reply) => {
      const visitor = await visitorFromToken(context, request.headers.authorization);
      const site = await siteOf(context, visitor.siteId);
      const live = await liveOf(context, site);
      const snapshot = live === undefined ? undefined : (JSON.parse(live.snapshot.body) as Snapshot);
      await putValue(context, snapshot, visitor, request.params.field, request.body, requestSignals(request.headers));
      return reply.status(204).send();
    },
  );
  r.delete(
    '/v1/visitor/data/:field',
    {
      schema: {
        tags: ['visitor'],
        summary: 'Delete one value',
        headers: visitorHeaders,
        params: z.object({ field: z.string().min(1).max(128) }),
      },
      config: { siteCors: true, rateLimit: publicLimit(context) },
    },
    async (request, reply) => {
      const visitor = await visitorFromToken(context, request.headers.authorization);
      await context.storage.deleteValue(visitor.id, request.params.field);
      return reply.status(204).send();
    },
  );
  r.delete(
    '/v1/visitor/data',
    {
      schema: { tags: ['visitor'], summary: 'Erase me (every visitor-keyed row)', headers: visitorHeaders },
      config: { siteCors: true, rateLimit: publicLimit(context) },
    },
    async (request) => {
      const visitor = await visitorFromToken(context, request.headers.authorization);
      return { erased: true, ...(await eraseVisitor(context, visitor, 'visitor')) };
    },
  );
}

const UtcDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day as YYYY-MM-DD')
  .transform((day, ctx) => {
    const at = Date.parse(`${day}T00:00:00Z`);
    if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== day) {
      ctx.addIssue({ code: 'custom', message: `${day} is not a calendar day` });
      return z.NEVER;
    }
    return at;
  });

/** Data-subject tools for owners: find, export and erase a visitor by id; verify and export the ledger. */
export function registerVisitorAdminRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const VisitorParams = SiteParams.extend({ visitorId: z.string().min(1).max(100) });
  const requireVisitor = async (siteKey: string, visitorId: string) => {
    const site = await requireSite(context, siteKey);
    const visitor = await context.storage.getVisitor(visitorId);
    if (visitor === undefined || visitor.siteId !== site.id)
      throw new AppError('not_found', `No visitor ${visitorId} on this site.`);
    return { site, visitor };
  };
  r.get(
    '/v1/admin/sites/:site/visitors/:visitorId',
    {
      schema: { tags: ['data subjects'], summary: 'Export a visitor', params: VisitorParams },
      config: { permission: 'visitors:manage' },
    },
    async (request) => {
      const { site, visitor } = await requireVisitor(request.params.site, request.params.visitorId);
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'visitor.export',
        siteId: site.id,
        target: 'visitors/(id withheld)',
        before: null,
        after: null,
      });
      return visitorData(context, site, visitor);
    },
  );
  r.delete(
    '/v1/admin/sites/:site/visitors/:visitorId',
    {
      schema: { tags: ['data subjects'], summary: 'Erase a visitor', params: VisitorParams },
      config: { permission: 'visitors:manage' },
    },
    async (request) => {
      const { site, visitor } = await requireVisitor(request.params.site, request.params.visitorId);
      const actor = actorOf(principalOf(request));
      const receipt = await eraseVisitor(context, visitor, actor);
      await context.storage.appendAudit({
        at: context.clock(),
        actor,
        action: 'visitor.erase',
        siteId: site.id,
        target: `erasures/${receipt.subjectHash}`,
        before: null,
        after: null,
      });
      return { erased: true, ...receipt };
    },
  );
  r.get(
    '/v1/admin/sites/:site/erasures',
    {
      schema: { tags: ['data subjects'], summary: 'Erasure receipts', params: SiteParams },
      config: { permission: 'visitors:manage' },
    },
    async (request) => context.storage.listErasures((await requireSite(context, request.params.site)).id),
  );
  r.get(
    '/v1/admin/sites/:site/ledger/verify',
    {
      schema: { tags: ['data subjects'], summary: "Check the consent ledger's hash chain", params: SiteParams },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      const links = await context.storage.chainLinks(site.id);
      const broken = firstBrokenLink(links, links[0]?.prevHash);
      return { records: links.length, intact: broken === null, firstBrokenSeq: broken };
    },
  );
  r.get(
    '/v1/admin/sites/:site/ledger/export',
    {
      schema: {
        tags: ['data subjects'],
        summary: 'Consent proof: the ledger of a date range (UTC days, inclusive), signed for offline checking',
        params: SiteParams,
        querystring: z.object({ from: UtcDay, to: UtcDay }),
      },
      config: { permission: 'visitors:manage' },
    },
    async (request, reply) => {
      const site = await requireSite(context, request.params.site);
      const { from, to } = request.query;
      const file = await exportLedger(context, site, from, to);
      await context.storage.appendAudit({
        at: context.clock(),
        actor: actorOf(principalOf(request)),
        action: 'ledger.export',
        siteId: site.id,
        target: `ledger/${new Date(from).toISOString().slice(0, 10)}..${new Date(to).toISOString().slice(0, 10)}`,
        before: null,
        after: { records: file.document.entries.length },
      });
      const name = `candor-ledger-${site.siteKey}-${new Date(from).toISOString().slice(0, 10)}.json`;
      void reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${name}"`);
      return file;
    },
  );
}
