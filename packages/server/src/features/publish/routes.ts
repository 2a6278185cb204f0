import { lint } from '@candor/core';
import { draftInLanguages, PublishInput, RollbackInput } from '@candor/schema';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { RouteScopes } from '../../http/admin-scope.js';
import { AppError } from '../../http/app-error.js';
import { principalOf } from '../auth/routes.js';
import { actorOf } from '../auth/permissions.js';
import { loadDraft } from '../drafts/service.js';
import { requireSite } from '../sites/service.js';
import { SiteParams } from '../sites/routes.js';
import { publish, rollback, withdrawVersion } from './service.js';
import { snapshotEtag, type LiveSnapshot } from './snapshot-cache.js';
import { sendPrecompressed, varyOnEncoding } from '../../http/precompressed.js';
import { snapshotVersionCacheHeaders } from '../../http/cdn-cache.js';

export const SiteKeyParams = z.object({ siteKey: z.string().min(1).max(64) });

// Per address only: a site-wide count would let one source use up every visitor's snapshot reads.
// Browsers revalidate with a cheap 304, so a real page view costs one request.
export const publicLimit = (context: AppContext) => ({ max: context.config.publicRateLimit, timeWindow: '1 minute' });

/**
 * The same per-address limit for cacheable public GETs (snapshots, keys), which send the
 * `x-ratelimit-*` headers only with the 429 that refuses a request (docs/api.md "Rate limits"):
 * a CDN would cache one visitor's remaining count for everyone, and the hot path saves ~90 bytes.
 */
export const cacheableLimit = (context: AppContext) => ({
  ...publicLimit(context),
  addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
});

/** Publish, rollback and lint (admin), and the public signed snapshot. */
export function registerPublishRoutes(scopes: RouteScopes, context: AppContext): void {
  const r = scopes.public.withTypeProvider<ZodTypeProvider>();
  const admin = scopes.admin.withTypeProvider<ZodTypeProvider>();
  admin.post(
    '/v1/admin/sites/:site/lint',
    {
      schema: { tags: ['publish'], summary: 'Lint the current drafts', params: SiteParams },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      return {
        findings: lint(draftInLanguages(await loadDraft(context, site.id), site.settings, { onlyUnwritten: true })),
      };
    },
  );
  admin.post(
    '/v1/admin/sites/:site/publish',
    {
      schema: {
        tags: ['publish'],
        summary: 'Lint, freeze, sign and serve the drafts as version N+1',
        params: SiteParams,
        body: PublishInput,
      },
      config: { permission: 'publish' },
    },
    async (request, reply) => {
      const site = await requireSite(context, request.params.site);
      const result = await publish(context, site, request.body.acknowledge, actorOf(principalOf(request)));
      return reply.status(201).send(result);
    },
  );
  admin.post(
    '/v1/admin/sites/:site/rollback',
    {
      schema: {
        tags: ['publish'],
        summary: "Serve an earlier version's content again, as a new version",
        params: SiteParams,
        body: RollbackInput,
      },
      config: { permission: 'publish' },
    },
    async (request, reply) => {
      const site = await requireSite(context, request.params.site);
      return reply.status(201).send(await rollback(context, site, request.body.version, actorOf(principalOf(request))));
    },
  );
  admin.post(
    '/v1/admin/sites/:site/snapshots/:version/withdraw',
    {
      schema: {
        tags: ['publish'],
        summary: "Withdraw a published version's public copy (410 Gone from then on); never the live one",
        params: SiteParams.extend({ version: z.coerce.number().int().min(1) }),
      },
      config: { permission: 'admin:manage' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      return withdrawVersion(context, site, request.params.version, actorOf(principalOf(request)));
    },
  );
  admin.get(
    '/v1/admin/sites/:site/snapshots',
    {
      schema: { tags: ['publish'], summary: 'Published versions, newest first', params: SiteParams },
      config: { permission: 'read' },
    },
    async (request) => {
      const site = await requireSite(context, request.params.site);
      return context.storage.listSnapshotVersions(site.id);
    },
  );

  r.get(
    '/v1/sites/:siteKey/snapshot',
    {
      schema: {
        tags: ['public'],
        summary: 'The live signed snapshot (ETag; the signature covers the exact body bytes)',
        params: SiteKeyParams,
      },
      config: { siteCors: true, rateLimit: cacheableLimit(context) },
    },
    async (request, reply) => {
      const live = await context.snapshots.live(request.params.siteKey);
      if (live === undefined) throw new AppError('not_found', `No site with key "${request.params.siteKey}".`);
      if (live.snapshot === undefined)
        throw new AppError('not_found', `Site "${request.params.siteKey}" has not published yet.`);
      const { etag, body, headers } = live as LiveSnapshot;
      if (request.headers['if-none-match'] === etag) {
        varyOnEncoding(reply.headers(headers.notModified));
        return reply.status(304).send();
      }
      return sendPrecompressed(request, reply.headers(headers.ok), body);
    },
  );
  r.get(
    '/v1/sites/:siteKey/snapshot/:version',
    {
      schema: {
        tags: ['public'],
        summary: 'One immutable snapshot version',
        params: SiteKeyParams.extend({ version: z.coerce.number().int().min(1) }),
      },
      config: { siteCors: true, rateLimit: cacheableLimit(context) },
    },
    async (request, reply) => {
      const live = await context.snapshots.live(request.params.siteKey);
      if (live === undefined) throw new AppError('not_found', `No site with key "${request.params.siteKey}".`);
      const snapshot = await context.storage.getSnapshot(live.site.id, request.params.version);
      if (snapshot === undefined)
        throw new AppError('not_found', `Site "${request.params.siteKey}" has no version ${request.params.version}.`);
      if (snapshot.withdrawnAt !== undefined)
        throw new AppError(
          'gone',
          `Version ${request.params.version} of site "${request.params.siteKey}" was withdrawn by its owner; fetch /v1/sites/${request.params.siteKey}/snapshot for the live version.`,
        );
      void reply
        .headers(snapshotVersionCacheHeaders(request.params.siteKey, snapshot.version))
        .header('etag', snapshotEtag(snapshot))
        .header('candor-signature', snapshot.signature)
        .header('candor-key-id', snapshot.keyId)
        .header('candor-snapshot-version', String(snapshot.version));
      return reply.type('application/json; charset=utf-8').send(snapshot.body);
    },
  );
  r.get(
    '/v1/sites/:siteKey/keys',
    {
      schema: { tags: ['public'], summary: 'The public keys snapshots are signed with (JWKS)', params: SiteKeyParams },
      config: { siteCors: true, rateLimit: cacheableLimit(context) },
    },
    async (request, reply) => {
      const live = await context.snapshots.live(request.params.siteKey);
      if (live === undefined) throw new AppError('not_found', `No site with key "${request.params.siteKey}".`);
      void reply.header('cache-control', 'public, max-age=300');
      return { keys: [JSON.parse(live.site.signingPublicJwk) as unknown] };
    },
  );
}
