import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { publicLimit, SiteKeyParams } from './routes.js';
import { snapshotEtag } from './snapshot-cache.js';

/** How many live-update streams a node keeps, and how long each lives. */
export interface LiveUpdateLimits {
  /** Streams one address may hold open at once (a visitor's tabs, a server SDK's workers). */
  readonly perAddress: number;
  /** Streams this node holds at most: past it a new one is told to come back later (503). */
  readonly total: number;
  /**
   * A stream ends after this long and the client reconnects (the `retry` it was sent): long-lived
   * connections then spread again over the nodes a load balancer adds or restarts.
   */
  readonly lifetimeMs: number;
  /**
   * Every tick a stream gets a comment line (proxies close idle connections) and the live version is
   * read again: a publish no node announced (the CLI on SQLite) still arrives within a tick.
   */
  readonly tickMs: number;
}

export const DEFAULT_LIVE_UPDATE_LIMITS: LiveUpdateLimits = {
  perAddress: 8,
  total: 5_000,
  lifetimeMs: 10 * 60_000,
  tickMs: 25_000,
};

/** What a client waits before reconnecting after a stream ends. */
const RETRY_MS = 5_000;

/** The one event a stream carries: the site's live snapshot changed to this version. */
export interface SnapshotEvent {
  readonly version: number;
  readonly etag: string;
  readonly publishedAt: number;
}

interface Stream {
  readonly siteId: string;
  readonly siteKey: string;
  readonly address: string;
  lastVersion: number | undefined;
  /** A re-read of the live version is under way: a second change waits for the next one. */
  checking: boolean;
  recheck: boolean;
  readonly reply: FastifyReply;
  /** The next tick, and the end of the stream's lifetime. */
  tick?: NodeJS.Timeout;
  end?: NodeJS.Timeout;
}

/** Formats one server-sent event (its id is the version, so a reconnect says what it last saw). */
export function formatSnapshotEvent(event: SnapshotEvent): string {
  return `id: ${event.version}\nevent: snapshot\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Live updates: `GET /v1/sites/:siteKey/updates` is a server-sent-events stream that tells an SDK
 * (browser, server or edge) that the site published, so it fetches the new signed snapshot at once
 * rather than when its cache expires. The stream carries only the version and ETag — never the
 * snapshot — so what an SDK uses is still only what it fetched and verified. A publish on any node
 * reaches every node's streams through the snapshot cache's invalidation, which PostgreSQL's
 * LISTEN/NOTIFY fans out.
 */
export function registerLiveUpdateRoutes(
  app: FastifyInstance,
  context: AppContext,
  limits: LiveUpdateLimits = DEFAULT_LIVE_UPDATE_LIMITS,
): { readonly open: () => number } {
  const bySite = new Map<string, Set<Stream>>();
  const perAddress = new Map<string, number>();
  let open = 0;

  const send = (stream: Stream, text: string): void => {
    if (!stream.reply.raw.writableEnded) stream.reply.raw.write(text);
  };

  const check = async (stream: Stream): Promise<void> => {
    if (stream.checking) {
      stream.recheck = true;
      return;
    }
    stream.checking = true;
    try {
      do {
        stream.recheck = false;
        const snapshot = (await context.snapshots.live(stream.siteKey))?.snapshot;
        if (snapshot === undefined || snapshot.version === stream.lastVersion) continue;
        stream.lastVersion = snapshot.version;
        const event = { version: snapshot.version, etag: snapshotEtag(snapshot), publishedAt: snapshot.publishedAt };
        send(stream, formatSnapshotEvent(event));
      } while (stream.recheck);
    } catch {
      // The database is away: the next tick or publish tries again; the client keeps its snapshot.
    } finally {
      stream.checking = false;
    }
  };

  const close = (stream: Stream): void => {
    clearTimeout(stream.tick);
    clearTimeout(stream.end);
    const streams = bySite.get(stream.siteId);
    if (streams?.delete(stream) === true) {
      open -= 1;
      const left = (perAddress.get(stream.address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(stream.address);
      else perAddress.set(stream.address, left);
      if (streams.size === 0) bySite.delete(stream.siteId);
    }
    if (!stream.reply.raw.writableEnded) stream.reply.raw.end();
  };

  const stopListening = context.snapshots.onChange((siteId) => {
    const targets = siteId === '*' ? [...bySite.values()].flatMap((set) => [...set]) : [...(bySite.get(siteId) ?? [])];
    for (const stream of targets) void check(stream);
  });
  // Before the server stops accepting: open streams would otherwise hold `close()` until they end.
  app.addHook('preClose', async () => {
    stopListening();
    for (const streams of [...bySite.values()]) for (const stream of [...streams]) close(stream);
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/sites/:siteKey/updates',
    {
      schema: {
        tags: ['public'],
        summary: 'Live updates: a server-sent-events stream announcing each new snapshot version',
        description:
          'Each event is `snapshot` with `{version, etag, publishedAt}`; the first is the current version. ' +
          'Fetch `/v1/sites/{siteKey}/snapshot` when the version is newer than the one held.',
        params: SiteKeyParams,
      },
      config: { siteCors: true, rateLimit: publicLimit(context) },
    },
    async (request, reply) => {
      const live = await context.snapshots.live(request.params.siteKey);
      if (live === undefined) throw new AppError('not_found', `No site with key "${request.params.siteKey}".`);
      const address = request.ip;
      if ((perAddress.get(address) ?? 0) >= limits.perAddress) {
        throw new AppError(
          'rate_limited',
          `This address already holds ${limits.perAddress} live-update streams; close one or poll the snapshot with its ETag.`,
        );
      }
      if (open >= limits.total) {
        void reply.header('retry-after', String(RETRY_MS / 1000));
        throw new AppError('busy', 'This node holds as many live-update streams as it may; try again shortly.');
      }
      const lastEventId = Number(request.headers['last-event-id']);
      const stream: Stream = {
        siteId: live.site.id,
        siteKey: request.params.siteKey,
        address,
        lastVersion: Number.isSafeInteger(lastEventId) ? lastEventId : undefined,
        checking: false,
        recheck: false,
        reply,
      };
      open += 1;
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      let streams = bySite.get(stream.siteId);
      if (streams === undefined) bySite.set(stream.siteId, (streams = new Set()));
      streams.add(stream);

      reply.hijack();
      reply.raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        // Never stored by a CDN or a browser; proxies pass each event on at once.
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      send(stream, `retry: ${RETRY_MS}\n\n`);
      request.raw.on('close', () => close(stream));
      const tick = (): void => {
        send(stream, ': tick\n\n');
        void check(stream);
        stream.tick = setTimeout(tick, limits.tickMs);
      };
      stream.tick = setTimeout(tick, limits.tickMs);
      stream.end = setTimeout(() => close(stream), limits.lifetimeMs);
      await check(stream);
    },
  );
  return { open: () => open };
}
