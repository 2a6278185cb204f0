import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { createApiClient } from './client.js';
import { createCandorApi } from './endpoints.js';

interface Call {
  readonly url: string;
  readonly init: RequestInit;
}

function fakeFetch(status: number, body: unknown, calls: Call[]): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const text = body === undefined ? '' : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status });
  }) as typeof fetch;
}

describe('the admin API client', () => {
  it('sends the CSRF token on writes only, and validates responses', async () => {
    const calls: Call[] = [];
    const api = createCandorApi(
      createApiClient({
        baseUrl: '',
        fetch: fakeFetch(200, { findings: [] }, calls),
        csrfToken: () => 'csrf-1',
      }),
    );
    await expect(api.lint('shop')).resolves.toEqual({ findings: [] });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(calls[0]?.url).toBe('/v1/admin/sites/shop/lint');
    expect(headers['x-csrf-token']).toBe('csrf-1');
    expect(calls[0]?.init.credentials).toBe('same-origin');
  });

  it('does not send the token on reads', async () => {
    const calls: Call[] = [];
    const api = createCandorApi(
      createApiClient({ baseUrl: '', fetch: fakeFetch(200, [], calls), csrfToken: () => 't' }),
    );
    await api.snapshots('shop');
    expect((calls[0]?.init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('turns problem+json into an ApiError with the code and tells the app on 401', async () => {
    let signedOut = false;
    const problem = {
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Sign in first.',
      code: 'unauthenticated',
    };
    const api = createCandorApi(
      createApiClient({
        baseUrl: '',
        fetch: fakeFetch(401, problem, []),
        csrfToken: () => undefined,
        onUnauthenticated: () => {
          signedOut = true;
        },
      }),
    );
    const error = await api.me().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('unauthenticated');
    expect((error as ApiError).message).toBe('Sign in first.');
    expect(signedOut).toBe(true);
  });

  it('refuses a response whose shape drifted', async () => {
    const api = createCandorApi(
      createApiClient({ baseUrl: '', fetch: fakeFetch(200, [{ version: 'one' }], []), csrfToken: () => undefined }),
    );
    await expect(api.snapshots('shop')).rejects.toThrow();
  });

  it('validates requests with the schema package before sending', () => {
    const api = createCandorApi(createApiClient({ baseUrl: '', fetch: fakeFetch(200, {}, []), csrfToken: () => 't' }));
    expect(() => api.createApiKey('', ['read'])).toThrow();
  });

  it('encodes path segments and query parameters', async () => {
    const calls: Call[] = [];
    const api = createCandorApi(
      createApiClient({ baseUrl: 'http://x', fetch: fakeFetch(200, [], calls), csrfToken: () => 't' }),
    );
    await api.aggregates('shop', 'hero dev');
    await api.audit('shop', 42);
    expect(calls[0]?.url).toBe('http://x/v1/admin/sites/shop/aggregates?experience=hero+dev');
    expect(calls[1]?.url).toBe('http://x/v1/admin/sites/shop/audit?limit=100&before=42');
  });
});
