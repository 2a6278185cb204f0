import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { signIn, type AdminApi } from '../support/admin-api.js';
import { browserAvailable, launch, SKIP_REASON } from '../support/browser.js';
import { ensureBundles, startCandor, type CandorProcess, type Dialect } from '../support/candor-process.js';
import type { Lang } from './demo-oracle.js';
import { marketerJourney } from './marketer-journey.js';
import { visitorJourney, type ConsentPath } from './visitor-journey.js';

// Every consent path once; the language loop sits where the texts are (prompt, explanations, the
// page's status lines): "Accept all" in both languages, the other paths alternating between them.
const PATHS: readonly (readonly [ConsentPath, Lang])[] = [
  ['accept_all', 'en'],
  ['accept_all', 'zh-Hant'],
  ['reject_all', 'zh-Hant'],
  ['personalization_only', 'en'],
  ['measurement_only', 'zh-Hant'],
  ['gpc', 'en'],
  ['dnt', 'zh-Hant'],
  ['withdraw_later', 'en'],
  ['erase', 'zh-Hant'],
];

/**
 * The journeys on one storage dialect: the real server started as `npm start` starts it, the
 * marketer first (they sign in with the banner's one-time login), then one visitor per consent path.
 * Tests run in order within the file: each reads the results before and after its own visitor.
 */
export function defineJourneys(dialect: Dialect, skipReason: string | undefined): void {
  const available = browserAvailable() && skipReason === undefined;
  let server: CandorProcess;
  let browser: Browser;
  let session: AdminApi | undefined;
  const env = {
    get browser() {
      return browser;
    },
    get banner() {
      return server.banner;
    },
    admin: async (): Promise<AdminApi> => (session ??= await signIn(server.banner)),
  };

  beforeAll(async () => {
    if (!available) return;
    ensureBundles();
    server = await startCandor(dialect);
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  describe.skipIf(!available)(
    `journeys on ${dialect}: ${available ? 'Chromium against `candor start`' : (skipReason ?? SKIP_REASON)}`,
    { timeout: 120_000 },
    () => {
      it(
        'a marketer creates a field, an audience and an experience with a holdout, previews, publishes, and sees their visitor in the results',
        () => marketerJourney(env),
        180_000,
      );
      for (const [path, lang] of PATHS)
        it(`a visitor (${path}, ${lang}): consent, answer, "Why?" holds to the decision, convert, counted as chosen`, () =>
          visitorJourney(env, path, lang));
    },
  );
}
