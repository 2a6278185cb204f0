import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error.js';

/**
 * Deepest nesting of arrays and objects a JSON body may have. A condition may nest 32 deep
 * (core's CONDITION_LIMITS) inside an audience inside a draft, so 64 refuses no real body; the
 * lint still refuses conditions past 32. Without a bound, a 1 MiB body of `{"a":{"a":…}}` passes
 * JSON.parse and then overflows the stack in validation (a 500 instead of a 400).
 */
export const MAX_JSON_DEPTH = 64;

/** The deepest array/object nesting of a JSON text, found without parsing it (strings are skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i += 1;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth -= 1;
  }
  return deepest;
}

/** Fastify's own JSON parser (refusing `__proto__` and `constructor.prototype`), behind a depth bound. */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(new AppError('bad_request', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
