import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from './config.js';
import { startServer } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'candor-banner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sink = (append: (text: string) => void) =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      append(chunk.toString('utf8'));
      done();
    },
  });

describe('the start banner', () => {
  it('prints the dashboard URL the README promises, with the first login, and the URL answers', async () => {
    // The demo is the demo suite's subject; here only the banner is.
    vi.stubEnv('CANDOR_DEMO', 'off');
    let banner = '';
    const config = loadConfig({
      PORT: '0',
      CANDOR_DATA_DIR: dir,
      CANDOR_SCRYPT_LOG_N: '14',
      CANDOR_RETENTION_MINUTES: '0',
      CANDOR_BANDIT_MINUTES: '0',
      CANDOR_ROLLUP_MINUTES: '0',
      LOG_LEVEL: 'warn',
    });
    const server = await startServer(
      config,
      sink((text) => (banner += text)),
      sink(() => undefined),
    );
    try {
      expect(banner).toContain('email:    admin@localhost');
      const dashboard = /dashboard:\s+(\S+)/.exec(banner)?.[1];
      expect(dashboard).toBe(`${server.url}/admin/`);
      // The printed URL is the dashboard's route, not a 404 (the SPA itself may not be built here).
      const answer = await server.app.inject(new URL(dashboard!).pathname);
      expect(answer.statusCode).not.toBe(404);
    } finally {
      await server.stop();
      vi.unstubAllEnvs();
    }
  });
});
