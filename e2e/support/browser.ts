import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); never a downloaded browser. */
export const CHROMIUM = process.env['CANDOR_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Whether the browser suite can run. In CI a missing Chromium fails the suite (it must never pass
 * by skipping); elsewhere the suite skips and says why.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI'] === 'true')
    throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium).`);
  return false;
}

/** Reason shown when the suite skips outside CI. */
export const SKIP_REASON = `Chromium not found at ${CHROMIUM}; install it with "apt-get install -y chromium" (CI fails instead of skipping)`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium with the machine's required flags. `launch` gives every run a fresh temporary
 * user-data-dir of its own (Playwright refuses a `--user-data-dir` argument here).
 */
export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

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
