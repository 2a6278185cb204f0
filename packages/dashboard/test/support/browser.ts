import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env['CANDOR_CHROMIUM'] ?? '/usr/bin/chromium';

/** Whether the browser suite can run; in CI a missing Chromium fails instead of skipping. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI'] === 'true')
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium".`);
  return false;
}

// The flags this machine needs: without the background-networking ones Chromium keeps dialling
// Google's hosts, which the closed network refuses. Playwright gives each launch a fresh profile dir.
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

/** Launches Chromium with the required flags. */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Problems the page reported: uncaught errors and console errors (a CSP refusal shows up here). */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A 4xx answer the screen handles (a wrong password, an endpoint not served yet) is logged by the
    // browser itself as "Failed to load resource"; the screens' own handling is asserted instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console.error: ${message.text()}`);
    }
  });
  page.on('dialog', (dialog) => void dialog.accept());
  return problems;
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousViolations(page: Page, axeSource: string): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the dashboard's strict CSP stays on for the test.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(' ')}`);
  });
}
