import scalarReference from '@scalar/fastify-api-reference';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * What the reference page may load: only this server. The Scalar bundle is served from `/docs/js/`,
 * the OpenAPI document from `/docs/openapi.json`; inline script and styles are the page's own
 * bootstrap and the styles the bundle injects. A self-hosted privacy product makes no third-party
 * requests, and this header makes the browser hold the page to that even if a later Scalar version
 * adds a font or a CDN default.
 */
export const API_REFERENCE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Without Scalar's default fonts (fetched from its font host) the page uses the system's.
const SYSTEM_FONTS = `:root {
  --scalar-font: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans TC", sans-serif;
  --scalar-font-code: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
}`;

/** Serves the OpenAPI reference at `/docs/` from this server alone: no fonts, scripts or styles from elsewhere. */
export async function registerApiReference(app: FastifyInstance): Promise<void> {
  await app.register(scalarReference, {
    routePrefix: '/docs',
    logLevel: 'warn',
    configuration: {
      withDefaultFonts: false,
      // Scalar's AI agent opens on localhost and asks the vendor's registry (through its proxy) for
      // curated APIs on load; the developer tools bar is another vendor surface. Neither belongs here.
      agent: { disabled: true },
      showDeveloperTools: 'never',
      customCss: SYSTEM_FONTS,
      metaData: { title: 'Candor API reference' },
    },
    hooks: {
      onRequest: (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        void reply.header('content-security-policy', API_REFERENCE_CSP);
        done();
      },
    },
  });
}
