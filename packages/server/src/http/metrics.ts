import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type CounterChild = ReturnType<Counter<'method' | 'route' | 'status'>['labels']>;
type TimerChild = ReturnType<Histogram<'method' | 'route'>['labels']>;

/** One route's series, bound once: a request only looks up its method and status and adds numbers. */
export interface RouteSeries {
  record(method: string, status: number, seconds: number): void;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by the metrics `onRoute` hook; never declared by a route itself. */
    metricsSeries?: RouteSeries;
  }
}

/**
 * The series of one route pattern (never a URL: that would be one series per visitor or site key).
 * prom-client hashes and validates a labels object on every `labels()` call, so each
 * (method, status) child is bound once and kept; series stay bounded: routes × methods × statuses.
 */
function routeSeries(
  requests: Counter<'method' | 'route' | 'status'>,
  duration: Histogram<'method' | 'route'>,
  route: string,
): RouteSeries {
  const byMethod = new Map<string, { timer: TimerChild; byStatus: Map<number, CounterChild> }>();
  return {
    record(method, status, seconds) {
      let forMethod = byMethod.get(method);
      if (forMethod === undefined) {
        forMethod = { timer: duration.labels(method, route), byStatus: new Map() };
        byMethod.set(method, forMethod);
      }
      let counter = forMethod.byStatus.get(status);
      if (counter === undefined) {
        counter = requests.labels(method, route, String(status));
        forMethod.byStatus.set(status, counter);
      }
      counter.inc();
      forMethod.timer.observe(seconds);
    },
  };
}

/**
 * A Prometheus registry per app (not the global one), so two apps in one test process never
 * collide. Install it before any route: each route gets its series as it is registered.
 */
export function installMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'candor_' });
  const requests = new Counter({
    name: 'candor_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'candor_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  // One series object per route pattern (GET and its HEAD share it), built at registration.
  const byRoute = new Map<string, RouteSeries>();
  app.addHook('onRoute', (route) => {
    let series = byRoute.get(route.url);
    if (series === undefined) {
      series = routeSeries(requests, duration, route.url);
      byRoute.set(route.url, series);
    }
    route.config = { ...route.config, metricsSeries: series };
  });
  const unmatched = routeSeries(requests, duration, 'unmatched');
  // Every request passes here: a callback hook (no promise per response) reading the route's
  // precomputed series, with no string built per request.
  app.addHook('onResponse', (request, reply, done) => {
    const series = request.routeOptions.config.metricsSeries ?? unmatched;
    series.record(request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
