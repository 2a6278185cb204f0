import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { authenticate, authorize } from '../features/auth/service.js';
import { addRouteHook } from './route-hooks.js';

/**
 * Every route that declares `config.permission` is checked before its input is validated, so an
 * anonymous caller learns nothing about the expected shape of admin requests. Install it before
 * any route is registered: the check is attached to each route as it is added.
 */
export function installAuthorization(app: FastifyInstance, context: AppContext): void {
  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission;
    if (permission === undefined) return;
    addRouteHook(route, 'preValidation', async (request: FastifyRequest) => {
      request.principal = authorize(await authenticate(context, request), permission, request);
    });
  });
}
