import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { addRouteHook } from './route-hooks.js';

const EXPOSED = 'ETag, Candor-Signature, Candor-Key-Id, Candor-Snapshot-Version';

async function allowedOrigins(context: AppContext, request: FastifyRequest): Promise<readonly string[]> {
  const siteKey = (request.params as { siteKey?: string }).siteKey;
  if (siteKey !== undefined) return (await context.snapshots.live(siteKey))?.site.settings.allowedOrigins ?? [];
  // Visitor routes carry no site key in the URL; any site's origin may call them, and the token
  // decides whose data is reached.
  return (await context.storage.listSites()).flatMap((site) => site.settings.allowedOrigins);
}

/**
 * CORS for public routes: only the origins a site allows get `Access-Control-Allow-Origin`, so no
 * other website can read a visitor's data through their browser. No credentials: tokens travel in
 * the Authorization header, never in cookies.
 */
export function installSiteCors(app: FastifyInstance, context: AppContext): void {
  // Callback style: most requests (same-origin, server-side, benchmarks) carry no Origin and should
  // not pay for a promise.
  const cors = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    const origin = request.headers.origin;
    if (origin === undefined) return done();
    void reply.header('vary', 'Origin');
    allowedOrigins(context, request).then((allowed) => {
      if (allowed.includes(origin)) {
        void reply.header('access-control-allow-origin', origin);
        void reply.header('access-control-expose-headers', EXPOSED);
      }
      done();
    }, done);
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.siteCors === true) addRouteHook(route, 'onRequest', cors);
  });
  for (const url of ['/v1/sites/:siteKey/*', '/v1/visitor/*', '/v1/visitor']) {
    app.options(url, { config: { siteCors: true }, schema: { hide: true } }, async (_request, reply) => {
      void reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE');
      void reply.header('access-control-allow-headers', 'Authorization, Content-Type, If-None-Match');
      void reply.header('access-control-max-age', '600');
      return reply.status(204).send();
    });
  }
}
