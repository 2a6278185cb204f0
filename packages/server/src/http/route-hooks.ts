import type { RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preValidation';

/**
 * Adds a hook to one route as it is registered (from an `onRoute` hook). Route-level hooks cost
 * only the routes that need them: a global no-op hook took about a tenth of a small route's
 * requests per second, which the public snapshot route cannot spare.
 */
export function addRouteHook<Name extends HookName>(route: RouteOptions, name: Name, hook: RouteOptions[Name]): void {
  const existing = route[name];
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as Record<HookName, unknown>)[name] = [...list, hook];
}
