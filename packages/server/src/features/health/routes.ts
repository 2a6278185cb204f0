import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { sendProblem } from '../../http/problem-handler.js';

const READY_TIMEOUT_MS = 1000;

/** The date `/.well-known/gpc.json` reports: when Candor's GPC handling last changed. */
export const GPC_LAST_UPDATE = '2026-11-29';

/** Liveness, readiness (the database answers within a second) and the GPC support file. */
export function registerHealthRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([context.storage.ping(), timeout]);
      return { status: 'ready', database: context.storage.dialect };
    } catch {
      return sendProblem(request, reply, 503, 'database_unavailable', 'The database does not answer; retry shortly.');
    } finally {
      clearTimeout(timer);
    }
  });
  // docs/privacy.md §1: the site honours Global Privacy Control.
  app.get('/.well-known/gpc.json', { schema: { hide: true } }, async (_request, reply) => {
    // Any origin may read it: checkers and browsers fetch it from other sites.
    void reply.header('cache-control', 'public, max-age=86400').header('access-control-allow-origin', '*');
    return { gpc: true, lastUpdate: GPC_LAST_UPDATE };
  });
}
