import { LogController, type FastifyServerOptions } from 'fastify';
import { levels, type DestinationStream, type LoggerOptions } from 'pino';

/**
 * Logger options that keep personal data out of logs: requests are logged by method, route and
 * status only — no IP, no query string, no headers (tokens and cookies live there), no bodies.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: null,
    serializers: {
      req: (request: { method?: string; url?: string; routeOptions?: { url?: string } }) => ({
        method: request.method,
        route: request.routeOptions?.url ?? request.url?.split('?')[0],
      }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
    },
    redact: { paths: ['req.headers', 'headers', 'authorization', 'cookie', 'token', 'password'], remove: true },
  };
}

/** Where logs go: stdout in production, a stream the caller owns in tests (never the console). */
export type LogDestination = DestinationStream;

/**
 * Per-request logging that costs nothing when it is off. Fastify builds a child logger (pino
 * `child`, a new object with its bindings serialised) for every request; when the level is above
 * `info`, its request lines are dropped anyway, and at `warn`/`error` the child only added the
 * request id, which the error handler now writes itself. So above `info` every request shares the
 * app's logger and the request log lines are not even formatted; at `info`, `debug` and `trace`
 * nothing changes.
 */
export function requestLoggingOptions(
  level: string,
): Pick<FastifyServerOptions, 'logController' | 'childLoggerFactory'> {
  const value = levels.values[level] ?? (level === 'silent' ? Infinity : levels.values['info']);
  if (value === undefined || value <= (levels.values['info'] ?? 30)) return {};
  return {
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger) => logger,
  };
}
