import negotiate from '@fastify/accept-negotiator';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One body in every encoding a browser may ask for, compressed once rather than per request. */
export interface Precompressed {
  readonly identity: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
}

/**
 * Brotli (best ratio unless told otherwise) and gzip level 9: the cost is paid once per publish or
 * build, not per request.
 */
export async function precompress(
  identity: Buffer,
  options: { readonly brotliQuality?: number } = {},
): Promise<Precompressed> {
  const [br, gz] = await Promise.all([
    brotli(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    gzipAsync(identity, { level: 9 }),
  ]);
  return { identity, br, gzip: gz };
}

const ENCODINGS: ('br' | 'gzip')[] = ['br', 'gzip'];

/**
 * Negotiated encodings by Accept-Encoding value: browsers send a handful of distinct strings, so
 * parsing each once saves the parse per request. Bounded: a client sending endless variants only
 * empties it.
 */
const negotiated = new Map<string, 'br' | 'gzip' | null>();
const NEGOTIATED_MAX = 64;

function encodingFor(header: string): 'br' | 'gzip' | null {
  let encoding = negotiated.get(header);
  if (encoding === undefined) {
    encoding = negotiate(header, ENCODINGS) as 'br' | 'gzip' | null;
    if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
    negotiated.set(header, encoding);
  }
  return encoding;
}

/**
 * Sends the best encoding the request's Accept-Encoding allows (identity when it allows none).
 * The bytes a client ends up with are always `identity`'s, so a signature over them still verifies.
 */
export function sendPrecompressed(request: FastifyRequest, reply: FastifyReply, body: Precompressed): FastifyReply {
  varyOnEncoding(reply);
  const header = request.headers['accept-encoding'];
  const encoding = typeof header === 'string' && header !== '' ? encodingFor(header) : null;
  if (encoding === null) return reply.send(body.identity);
  return reply.header('content-encoding', encoding).send(body[encoding]);
}

/** Adds Accept-Encoding to the Vary header, keeping what is there (site CORS varies on Origin). */
export function varyOnEncoding(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  // Most requests carry no Origin, so nothing has set Vary yet.
  if (current === undefined) {
    void reply.header('vary', 'Accept-Encoding');
    return;
  }
  const values = typeof current === 'string' && current !== '' ? current.split(/\s*,\s*/) : [];
  if (!values.some((value) => value.toLowerCase() === 'accept-encoding')) values.push('Accept-Encoding');
  void reply.header('vary', values.join(', '));
}
