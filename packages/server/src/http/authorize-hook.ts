import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { authenticate, authorize } from '../features/auth/service.js';

/**
 * Every route that declares `config.permission` is checked before its input is validated, so an
 * anonymous caller learns nothing about the expected shape of admin requests.
 */
export function installAuthorization(app: FastifyInstance, context: AppContext): void {
  app.addHook('preValidation', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) return;
    request.principal = authorize(await authenticate(context, request), permission, request);
  });
}
