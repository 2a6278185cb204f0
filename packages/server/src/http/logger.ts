import type { DestinationStream, LoggerOptions } from 'pino';

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
