import type { BrowserContext, Page } from 'playwright-core';
/**
 * An init script (runs before any page script, outside the page's CSP) that records, for every
 * animation frame until the page settles, what each slot shows and whether it is visible, plus
 * CSP violations, page errors and errors Candor reports. Frames are the paint opportunities, so
 * `frames` is the paint-time content.
 */
export const PROBE = `(() => {
  const record = { frames: [], violations: [], errors: [], candorErrors: [] };
  window.__probe = record;
  window.candorConfig = { onError: (error) => record.candorErrors.push(error.code) };
  document.addEventListener('securitypolicyviolation', (event) => record.violations.push(event.violatedDirective + ' ' + event.blockedURI));
  window.addEventListener('error', (event) => record.errors.push(String(event.message)));
  performance.mark('probe-start');
  const frame = () => {
    const slots = Array.from(document.querySelectorAll('[data-candor-slot]')).map((el) => ({
      slot: el.getAttribute('data-candor-slot'),
      text: el.textContent,
      visible: getComputedStyle(el).visibility === 'visible',
    }));
    if (slots.length > 0) record.frames.push({ t: performance.now(), slots });
    if (record.frames.length < 120) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

/** What the probe collected. */
export interface ProbeRecord {
  readonly frames: { t: number; slots: { slot: string; text: string; visible: boolean }[] }[];
  readonly violations: string[];
  readonly errors: string[];
  readonly candorErrors: string[];
}

/** Every text a slot showed while visible, in frame order. */
export function paintedTexts(record: ProbeRecord, slot: string): string[] {
  return record.frames.flatMap((frame) =>
    frame.slots.filter((entry) => entry.slot === slot && entry.visible).map((entry) => entry.text),
  );
}

/**
 * Opens a page with the probe installed and waits until Candor has decided the hero slot (the
 * moment every browser suite starts asserting from). `timeout` bounds that wait, in ms.
 */
export async function openProbed(
  context: BrowserContext,
  url: string,
  options: { readonly timeout?: number } = {},
): Promise<Page> {
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(
    () => document.querySelector('[data-candor-slot="hero"]')?.hasAttribute('data-candor-state'),
    undefined,
    options.timeout === undefined ? {} : { timeout: options.timeout },
  );
  return page;
}
