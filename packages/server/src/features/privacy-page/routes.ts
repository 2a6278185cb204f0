import { siteLanguage, type Language, type Snapshot } from '@candor/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import type { LintSummary } from '../publish/service.js';
import { privacyFacts } from './privacy-facts.js';
import { renderPrivacyHtml } from './render-html.js';

const Params = z.object({ siteKey: z.string().min(1).max(64) });
const Query = z.object({ lang: z.enum(['en', 'zh-Hant']).optional() });

/** The visitor's language among the site's: `?lang=`, else Accept-Language, else the site's default. */
function languageOf(request: FastifyRequest, asked: Language | undefined, site: Snapshot['site']): Language {
  const accepted = (request.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim() ?? '')
    .filter((part) => part !== '');
  return siteLanguage(accepted, site, asked);
}

/** The public trust page (HTML, en and zh-Hant) and its JSON, generated from the live snapshot. */
export function registerPrivacyPageRoutes(app: FastifyInstance, context: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const load = async (siteKey: string) => {
    const live = await context.snapshots.live(siteKey);
    if (live?.snapshot === undefined) throw new AppError('not_found', `Site "${siteKey}" has no published snapshot.`);
    return {
      snapshot: JSON.parse(live.snapshot.body) as Snapshot,
      lint: JSON.parse(live.snapshot.lintSummary) as LintSummary,
    };
  };
  r.get(
    '/privacy/:siteKey',
    { schema: { tags: ['public'], summary: 'Trust page (HTML)', params: Params, querystring: Query } },
    async (request, reply) => {
      const { snapshot, lint } = await load(request.params.siteKey);
      const language = languageOf(request, request.query.lang, snapshot.site);
      void reply
        .header('content-language', language)
        .header('vary', 'Accept-Language')
        .header('cache-control', 'public, max-age=60')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      return reply
        .type('text/html; charset=utf-8')
        .send(renderPrivacyHtml(privacyFacts(snapshot, lint, language), language));
    },
  );
  r.get(
    '/v1/sites/:siteKey/privacy',
    {
      schema: { tags: ['public'], summary: 'Trust page facts (JSON)', params: Params, querystring: Query },
      config: { siteCors: true },
    },
    async (request, reply) => {
      const { snapshot, lint } = await load(request.params.siteKey);
      const language = languageOf(request, request.query.lang, snapshot.site);
      void reply.header('cache-control', 'public, max-age=60').header('vary', 'Accept-Language');
      return { language, ...privacyFacts(snapshot, lint, language) };
    },
  );
}
