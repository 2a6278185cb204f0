import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { installAuthorization } from './authorize-hook.js';

/** Where a feature registers its routes: admin routes in the admin scope, visitor-facing ones outside it. */
export interface RouteScopes {
  readonly public: FastifyInstance;
  readonly admin: FastifyInstance;
}

/** Admin scopes opened so far; a plugin nested in one is a child object of it (Fastify's encapsulation). */
const adminScopes = new WeakSet<object>();

function insideAdminScope(instance: object): boolean {
  for (let scope: object | null = instance; scope !== null; scope = Object.getPrototypeOf(scope) as object | null) {
    if (adminScopes.has(scope)) return true;
  }
  return false;
}

/**
 * Refuses, as it is registered, a route that declares a permission outside the admin scope: such a
 * route would have no session parsing and no authorization check, so it must not start at all.
 * Install it on the root app before any route.
 */
export function refusePermissionsOutsideAdminScope(app: FastifyInstance): void {
  app.addHook('onRoute', function (this: FastifyInstance, route) {
    if (route.config?.permission === undefined || insideAdminScope(this)) return;
    throw new Error(
      `${String(route.method)} ${route.url} declares permission "${route.config.permission}" but is registered ` +
        'outside the admin scope: register it on scopes.admin so it is authenticated and authorized.',
    );
  });
}

/**
 * Opens the encapsulated scope (a plain plugin, not fastify-plugin) that admin routes live in, and
 * calls `register` inside it with both scopes. The cookie parser and the authorization hook exist
 * only there: public hot paths (snapshot, reports, SSE, SDK files) never run a hook they do not use.
 * Registration happens inside the plugin body because a plugin registered on a scope after that
 * scope has loaded would be attached to the root instead.
 */
export async function registerRouteScopes(
  app: FastifyInstance,
  context: AppContext,
  register: (scopes: RouteScopes) => void,
): Promise<void> {
  await app.register(async (admin) => {
    await admin.register(fastifyCookie);
    adminScopes.add(admin);
    installAuthorization(admin, context);
    register({ public: app, admin });
  });
}
