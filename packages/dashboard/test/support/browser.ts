import type { Page } from 'playwright-core';

export { browserAvailable, CHROMIUM, launch } from '../../../../test-support/chromium.js';

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
