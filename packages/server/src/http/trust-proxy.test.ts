// Issue 11, item 9: with CANDOR_TRUST_PROXY=true any X-Forwarded-For was believed, so 30 wrong logins
// from "rotating" claimed addresses never met the login limit. Only listed proxies are believed now.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

// Each test signs in three admins and checks up to ten wrong passwords (scrypt): slow on a loaded machine.
describe('CANDOR_TRUST_PROXY', { timeout: 30_000 }, () => {
  it('refuses `true` at start with what to set instead, and refuses entries that are not addresses', () => {
    expect(() => loadConfig({ CANDOR_TRUST_PROXY: 'true' })).toThrow(
      /would believe any X-Forwarded-For.*CANDOR_TRUST_PROXY=127\.0\.0\.1/,
    );
    expect(() => loadConfig({ CANDOR_TRUST_PROXY: '10.0.0.0/8,proxy.internal' })).toThrow(/"proxy\.internal" is not/);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ CANDOR_TRUST_PROXY: ' 10.0.0.0/8, 192.168.1.10 ,loopback,::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
      'loopback',
      '::1',
    ]);
  });

  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  }, 30_000);
  const wrongLogin = (app: TestApp, remoteAddress: string, forwardedFor: string) =>
    app.app
      .inject({
        method: 'POST',
        url: '/v1/admin/login',
        remoteAddress,
        headers: { 'x-forwarded-for': forwardedFor },
        payload: { email: 'owner@example.com', password: 'not the password' },
      })
      .then((response) => response.statusCode);

  it('30 wrong logins from rotating claimed addresses, sent past the proxy, are limited as one caller', async () => {
    t = await createTestApp({ config: loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_TRUST_PROXY: '10.0.0.0/8' }) });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) statuses.push(await wrongLogin(t, '203.0.113.9', `198.51.100.${i + 1}`));
    // The login route allows 10 a minute per address; the header is not the caller's to choose.
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(10).every((status) => status === 429)).toBe(true);
  });

  it('through a listed proxy each client is counted by the address the proxy saw, so one cannot starve another', async () => {
    t = await createTestApp({ config: loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_TRUST_PROXY: '10.0.0.0/8' }) });
    const attacker: number[] = [];
    for (let i = 0; i < 12; i += 1) attacker.push(await wrongLogin(t, '10.0.0.7', '198.51.100.66'));
    expect(attacker.slice(-2)).toEqual([429, 429]);
    // Another visitor behind the same proxy still reaches the login check.
    expect(await wrongLogin(t, '10.0.0.7', '198.51.100.77')).toBe(401);
    // A spoofed hop in front of the real one changes nothing: the proxy appends the address it saw.
    expect(await wrongLogin(t, '10.0.0.7', '192.0.2.1, 198.51.100.66')).toBe(429);
  });
});
