import type { z } from 'zod';
import { ApiError, parseProblem } from './api-error.js';

/** What the client needs from its surroundings; tests pass a fake `fetch`. */
export interface ApiClientOptions {
  /** Origin and prefix of the API; '' in the browser (same origin as /admin). */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  /** The CSRF token of the session (sent on every state-changing request). */
  readonly csrfToken: () => string | undefined;
  /** Called on 401 so the app can return to the sign-in screen. */
  readonly onUnauthenticated?: () => void;
}

/** One request: the response is validated against `schema`, so a shape drift fails loudly, not silently. */
export interface RequestOptions<T> {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly schema?: z.ZodType<T>;
}

/** A typed JSON client for the Candor admin API. */
export interface ApiClient {
  request<T = undefined>(method: string, path: string, options?: RequestOptions<T>): Promise<T>;
}

const SAFE = new Set(['GET', 'HEAD']);

/** Builds the client: cookie session (same origin), CSRF header on writes, problem+json into `ApiError`. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  return {
    async request<T>(method: string, path: string, request: RequestOptions<T> = {}): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      const csrf = options.csrfToken();
      if (!SAFE.has(method) && csrf !== undefined) headers['x-csrf-token'] = csrf;
      const response = await options.fetch(options.baseUrl + path + queryString(request.query), {
        method,
        headers,
        credentials: 'same-origin',
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      const text = await response.text();
      const json: unknown = text === '' ? undefined : safeJson(text);
      if (!response.ok) {
        if (response.status === 401) options.onUnauthenticated?.();
        throw new ApiError(response.status, parseProblem(json));
      }
      return (request.schema === undefined ? undefined : request.schema.parse(json)) as T;
    },
  };
}

function queryString(query: RequestOptions<unknown>['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
