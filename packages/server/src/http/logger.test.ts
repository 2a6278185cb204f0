import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { requestLoggingOptions } from './logger.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const lines = (t: TestApp) => t.logs.flatMap((chunk) => chunk.split('\n')).filter((line) => line !== '');

describe('per-request logging', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('builds no per-request child logger exactly when request lines would be dropped', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LEVELS), (level) => {
        const options = requestLoggingOptions(level);
        const quiet = !['trace', 'debug', 'info'].includes(level);
        expect(options.childLoggerFactory !== undefined).toBe(quiet);
        expect(options.logController?.disableRequestLogging ?? false).toBe(quiet);
      }),
    );
  });

  it.each(['info', 'debug'])('logs each request at %s with its id, route and status, never its URL', async (level) => {
    t = await createTestApp({ config: loadConfig({ LOG_LEVEL: level, CANDOR_SCRYPT_LOG_N: '14' }) });
    t.logs.length = 0;
    const response = await t.app.inject({ url: `/v1/sites/${t.siteKey}/keys?visitor=secret` });
    expect(response.statusCode).toBe(200);
    const logged = lines(t).map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = logged.find((entry) => entry['msg'] === 'request completed');
    expect(completed).toMatchObject({ reqId: expect.any(String), res: { statusCode: 200 } });
    const incoming = logged.find((entry) => entry['msg'] === 'incoming request');
    expect(incoming).toMatchObject({ req: { method: 'GET', route: '/v1/sites/:siteKey/keys' } });
    expect(lines(t).join('\n')).not.toContain('secret');
  });

  it('writes no request lines at warn, and the app still answers', async () => {
    t = await createTestApp({ config: loadConfig({ LOG_LEVEL: 'warn', CANDOR_SCRYPT_LOG_N: '14' }) });
    t.logs.length = 0;
    expect((await t.app.inject({ url: `/v1/sites/${t.siteKey}/keys` })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect(lines(t)).toEqual([]);
  });
});
