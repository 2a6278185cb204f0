import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';

export { browserAvailable, CHROMIUM, launch, SKIP_REASON } from '../../test-support/chromium.js';

/** A fresh context (empty storage) per test. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1000, height: 700 }, acceptDownloads: true, ...options });
}

/** Where screenshots go (gitignored). */
export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

/** A screenshot path under e2e/artifacts/. */
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
