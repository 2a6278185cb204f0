import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Permission } from '@candor/schema';
import type { RandomSource } from '@candor/stats';
import type { ServerConfig } from './config.js';
import type { AppContext } from './context.js';
import type { Keyring } from './crypto/keyring.js';
import { installJsonBodyParser } from './http/json-body.js';
import { registerAuthRoutes } from './features/auth/routes.js';
import { registerBanditRoutes } from './features/bandit/routes.js';
import { registerDashboardAssetRoutes } from './features/dashboard-assets/routes.js';
import { registerDemoRoutes } from './features/demo/routes.js';
import { registerDraftRoutes } from './features/drafts/routes.js';
import { registerEditorRoutes } from './features/editor/routes.js';
import { registerHealthRoutes } from './features/health/routes.js';
import { registerPrivacyPageRoutes } from './features/privacy-page/routes.js';
import { registerPrivacyReportRoutes } from './features/privacy-report/routes.js';
import { createSnapshotCache } from './features/publish/snapshot-cache.js';
import { registerPublishRoutes } from './features/publish/routes.js';
import { registerLiveUpdateRoutes, type LiveUpdateLimits } from './features/publish/live-updates.js';
import { registerReportRoutes } from './features/reports/routes.js';
import { secureRandom } from './features/results/privacy-release.js';
import { registerResultRoutes } from './features/results/routes.js';
import { registerSdkAssetRoutes } from './features/sdk-assets/routes.js';
import { registerSiteRoutes } from './features/sites/routes.js';
import { registerVisitorAdminRoutes, registerVisitorRoutes } from './features/visitors/routes.js';
import { createWebhookDispatcher } from './features/webhooks/dispatcher.js';
import { registerWebhookRoutes } from './features/webhooks/routes.js';
import { registerApiReference } from './http/api-reference.js';
import { registerRouteScopes, refusePermissionsOutsideAdminScope } from './http/admin-scope.js';
import { loggerOptions, requestLoggingOptions, type LogDestination } from './http/logger.js';
import { installMetrics } from './http/metrics.js';
import { installProblemHandler } from './http/problem-handler.js';
import { installSiteCors } from './http/site-cors.js';
import type { Storage } from './storage/storage.js';

/** What `buildApp` needs: a migrated storage, the data keys and the config; the rest has defaults. */
export interface AppOptions {
  readonly config: ServerConfig;
  readonly storage: Storage;
  readonly keyring: Keyring;
  readonly clock?: () => number;
  /** Differential-privacy noise source; defaults to the CSPRNG. */
  readonly noiseRandom?: RandomSource;
  /** Log sink; tests pass a stream they read, production stdout. */
  readonly logStream?: LogDestination;
  /** Replaces `fetch` for webhook deliveries (tests). */
  readonly fetch?: typeof fetch;
  readonly webhookBackoffMs?: readonly number[];
  /** Bounds of the live-update streams (tests shorten the tick and lower the caps). */
  readonly liveUpdateLimits?: LiveUpdateLimits;
}

/** The Candor HTTP app with its context, so callers (CLI, tests) can reach the services too. */
export interface CandorApp {
  readonly app: FastifyInstance;
  readonly context: AppContext;
  /** Every route with the permission it declares, so the role matrix test covers new routes by itself. */
  readonly routes: readonly RouteEntry[];
  /** The live-update streams this node holds (a gauge for metrics and tests). */
  readonly liveUpdates: { readonly open: () => number };
}

/** One registered route. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly permission: Permission | undefined;
}

/** Builds the Fastify app (not listening): in-process tests call `app.inject`, `main.ts` calls `listen`. */
export async function buildApp(options: AppOptions): Promise<CandorApp> {
  const clock = options.clock ?? Date.now;
  const app = Fastify({
    logger: {
      ...loggerOptions(options.config.logLevel),
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
    },
    ...requestLoggingOptions(options.config.logLevel),
    // Only the listed proxies' X-Forwarded-For is believed (config.ts: `true` is refused).
    trustProxy: options.config.trustProxy === false ? false : [...options.config.trustProxy],
    // The largest admin body (a whole experience with HTML) fits well under 1 MiB; reports get 64 KiB.
    bodyLimit: 1024 * 1024,
  });
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, permission: route.config?.permission });
    }
  });
  refusePermissionsOutsideAdminScope(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Fail fast instead of queueing: a slow Redis must not hold requests; the limiters fall back.
  const redis =
    options.config.redisUrl === undefined
      ? undefined
      : new Redis(options.config.redisUrl, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 1000,
          commandTimeout: 500,
        });
  redis?.on('error', () => undefined);
  if (redis !== undefined) await redisReady(redis, app.log);
  const context: AppContext = {
    ...(redis === undefined ? {} : { redis }),
    storage: options.storage,
    keyring: options.keyring,
    config: options.config,
    clock,
    noiseRandom: options.noiseRandom ?? secureRandom,
    snapshots: createSnapshotCache(options.storage, Date.now, options.config.snapshotCacheMs),
    webhooks: createWebhookDispatcher({
      storage: options.storage,
      keyring: options.keyring,
      clock,
      log: app.log,
      allowPrivate: options.config.webhookAllowPrivate,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.webhookBackoffMs === undefined ? {} : { backoffMs: options.webhookBackoffMs }),
    }),
  };

  installProblemHandler(app);
  installJsonBodyParser(app);
  await app.register(fastifyRateLimit, {
    global: false,
    // Several nodes share one count through Redis; if it fails, requests pass rather than fail.
    ...(redis === undefined ? {} : { redis, nameSpace: `${options.config.redisPrefix}rate:`, skipOnError: true }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Candor API',
        version: '0.1.0',
        description:
          'Privacy-respecting personalization and experimentation: admin, public snapshot, visitor rights and measurement.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'candor_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await registerApiReference(app);
  installMetrics(app);
  installSiteCors(app, context);
  registerHealthRoutes(app, context);
  // Admin routes (sessions, cookies, permissions) in their own scope; everything else is public.
  await registerRouteScopes(app, context, (scopes) => {
    registerAuthRoutes(scopes.admin, context);
    registerSiteRoutes(scopes.admin, context);
    registerDraftRoutes(scopes.admin, context);
    registerEditorRoutes(scopes, context);
    registerPublishRoutes(scopes, context);
    registerVisitorAdminRoutes(scopes.admin, context);
    registerReportRoutes(scopes, context);
    registerResultRoutes(scopes.admin, context);
    registerBanditRoutes(scopes.admin, context);
    registerPrivacyReportRoutes(scopes.admin, context);
    registerWebhookRoutes(scopes.admin, context);
  });
  const liveUpdates = registerLiveUpdateRoutes(app, context, options.liveUpdateLimits);
  registerVisitorRoutes(app, context);
  registerPrivacyPageRoutes(app, context);
  registerSdkAssetRoutes(app, context);
  registerDashboardAssetRoutes(app, context);
  registerDemoRoutes(app, context);

  const stopListening = await options.storage.onSnapshot((siteId) => context.snapshots.invalidate(siteId));
  app.addHook('onClose', async () => {
    await stopListening();
    await context.webhooks.stop();
    await redis?.quit().catch(() => undefined);
  });
  return { app, context, routes, liveUpdates };
}

/** Waits up to a second for Redis; a node that starts without it counts limits alone until it is back. */
async function redisReady(redis: Redis, log: FastifyInstance['log']): Promise<void> {
  if (redis.status === 'ready') return;
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true))),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref()),
  ]);
  if (!ready) log.warn('Redis not reachable at start: rate limits count on this node until it is');
}
