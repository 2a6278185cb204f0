import fc from 'fast-check';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installMetrics } from './metrics.js';

const STATUSES = [200, 204, 404, 429, 500] as const;

describe('per-route metrics bound at registration', () => {
  it('counts every request under its route pattern, method and status, and the rest as unmatched', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ site: fc.constantFrom('a', 'b', 'c'), status: fc.constantFrom(...STATUSES) }), {
          maxLength: 25,
        }),
        fc.nat({ max: 3 }),
        async (requests, strays) => {
          const app = Fastify();
          const registry = installMetrics(app);
          app.get('/v1/sites/:siteKey/thing', async (request, reply) =>
            reply.status(Number((request.query as { status: string }).status)).send(),
          );
          for (const { site, status } of requests) {
            await app.inject({ url: `/v1/sites/${site}/thing?status=${status}` });
          }
          for (let i = 0; i < strays; i += 1) await app.inject({ url: `/nowhere/${i}` });
          const counts = (await registry.getSingleMetric('candor_http_requests_total')?.get())?.values ?? [];
          const total = (route: string, status: number) =>
            counts
              .filter((value) => value.labels['route'] === route && value.labels['status'] === String(status))
              .reduce((sum, value) => sum + value.value, 0);
          for (const status of STATUSES) {
            expect(total('/v1/sites/:siteKey/thing', status)).toBe(
              requests.filter((request) => request.status === status).length,
            );
          }
          expect(total('unmatched', 404)).toBe(strays);
          // No series ever carries a URL.
          expect(counts.every((value) => !String(value.labels['route']).includes('/a/'))).toBe(true);
          await app.close();
        },
      ),
      { numRuns: 15 },
    );
  });
});
