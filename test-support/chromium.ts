import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); never a downloaded browser. */
export const CHROMIUM = process.env['CANDOR_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Whether a browser suite can run. In CI a missing Chromium fails the suite (it must never pass by
 * skipping); elsewhere the suite skips and says why.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI'] === 'true')
    throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium).`);
  return false;
}

/** Reason shown when a browser suite skips outside CI. */
export const SKIP_REASON = `Chromium not found at ${CHROMIUM}; install it with "apt-get install -y chromium" (CI fails instead of skipping)`;

// The flags this machine needs: without the background-networking ones Chromium keeps dialling
// Google's hosts, which the closed network refuses.
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
 * Launches Chromium with the machine's required flags, for every browser suite (e2e, journeys,
 * dashboard). Playwright gives each launch a fresh temporary profile (it refuses `--user-data-dir`).
 */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
