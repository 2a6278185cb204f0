import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A Prometheus registry per app (not the global one), so two apps in one test process never collide. */
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
  // Every request passes here, so: a callback hook (no promise per response), and one bound child
  // per series found by a string key (prom-client hashes and validates a labels object per call).
  // Series stay bounded: routes × methods × statuses.
  const counters = new Map<string, ReturnType<typeof requests.labels>>();
  const timers = new Map<string, ReturnType<typeof duration.labels>>();
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the URL: URLs would make one series per visitor or site key.
    const route = request.routeOptions.url ?? 'unmatched';
    const series = `${request.method} ${route}`;
    const withStatus = `${reply.statusCode} ${series}`;
    let counter = counters.get(withStatus);
    if (counter === undefined) {
      counter = requests.labels(request.method, route, String(reply.statusCode));
      counters.set(withStatus, counter);
    }
    let timer = timers.get(series);
    if (timer === undefined) {
      timer = duration.labels(request.method, route);
      timers.set(series, timer);
    }
    counter.inc();
    timer.observe(reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
