import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, type ProblemExtensions } from './app-error.js';

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// Connection-level failures from pg, better-sqlite3 or Node's net: the database is away, not the request wrong.
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P03',
  '08006',
  '08001',
  'SQLITE_BUSY',
]);

// SQLite cannot write right now (disk full, read-only file or mount, I/O error): the operator must
// act, but the request was fine and a retry will succeed once they have, so 503 like an outage.
// better-sqlite3 reports extended codes too (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, …).
const SQLITE_CANNOT_WRITE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/;

function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  return (
    (typeof code === 'string' && (UNAVAILABLE.has(code) || SQLITE_CANNOT_WRITE.test(code))) ||
    (typeof message === 'string' &&
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      ))
  );
}

/** Writes one problem+json response. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode | string,
  detail: string,
  extensions: ProblemExtensions = {},
): FastifyReply {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: `https://candor.dev/problems/${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
      instance: request.url.split('?')[0],
      ...extensions,
    });
}

function translate(error: FastifyError | AppError | Error): {
  status: number;
  code: string;
  detail: string;
  ext: ProblemExtensions;
} {
  if (error instanceof AppError)
    return { status: error.status, code: error.code, detail: error.message, ext: error.extensions };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`,
      message: issue.message ?? 'is invalid',
    }));
    return {
      status: 400,
      code: 'validation_failed',
      detail: `The request ${error.validationContext ?? 'body'} is invalid: ${errors
        .slice(0, 3)
        .map((e) => `${e.path}: ${e.message}`)
        .join('; ')}`,
      ext: { errors },
    };
  }
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'payload_too_large',
        detail: 'The body is too large: send a smaller batch.',
        ext: {},
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'unsupported_media_type',
        detail: 'Send JSON with Content-Type: application/json.',
        ext: {},
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'bad_request', detail: 'The body is not valid JSON.', ext: {} };
    default:
      break;
  }
  if (fastifyError.statusCode === 429) {
    return { status: 429, code: 'rate_limited', detail: 'Too many requests: wait a minute and retry.', ext: {} };
  }
  if (isUnavailable(error)) {
    return {
      status: 503,
      code: 'database_unavailable',
      detail: 'The database is unavailable; retry shortly.',
      ext: {},
    };
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, code: 'bad_request', detail: fastifyError.message, ext: {} };
  }
  return { status: 500, code: 'internal', detail: 'An unexpected error occurred; it has been logged.', ext: {} };
}

/** The one error handler: every failure becomes problem+json, and a bad request is never a 500. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const { status, code, detail, ext } = translate(error);
    if (status >= 500) {
      // The error's message may quote SQL parameters; log its code and stack frame names only.
      request.log.error(
        // Above `info` the request's logger is the app's (http/logger.ts), so the id is written here.
        {
          ...(request.log === request.server.log ? { reqId: request.id } : {}),
          route: request.routeOptions.url,
          errorCode: (error as { code?: unknown }).code,
          errorName: error.name,
          status,
        },
        'request failed',
      );
    }
    if (status === 429) void reply.header('retry-after', '60');
    return sendProblem(request, reply, status, code, detail, ext);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      404,
      'not_found',
      `No route ${request.method} ${request.url.split('?')[0]}: see /docs.`,
    ),
  );
}
