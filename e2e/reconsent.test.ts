// Issue 15 item 5 in Debian Chromium against the real server: when the marketer changes a purpose's
// text (its version) or adds a purpose after a visitor chose, the visitor is asked again about that
// purpose only, their other choices keep working, and the ledger records which text they answered.
import type { Snapshot } from '@candor/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, newContext, SKIP_REASON } from './support/browser.js';
import { openProbed, type ProbeRecord } from './support/probe.js';
import { NONCE, startStack, type Stack } from './support/stack.js';

const available = browserAvailable();
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  stack = await startStack();
  stack.setPage('zh', { lang: 'zh-Hant' });
  // A site whose CMP answers on every page view (OneTrust-style callback): Candor never prompts.
  stack.setPage('cmp', {
    attributes: `data-timeout="15000" data-consent-source="callback" data-consent-map='${JSON.stringify({ C0002: 'measurement', C0004: ['personalization', 'sync'] })}'`,
    headScript: `<script nonce="${NONCE}">window.activeGroups = ['C0001', 'C0002', 'C0004']; window.candorConfig.consentSource = { read: () => Object.fromEntries(window.activeGroups.map((g) => [g, true])), subscribe: () => {} };</script>`,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface CandorWindow {
  __probe: ProbeRecord;
  candor: {
    ready: Promise<void>;
    ask(field: string): Promise<unknown>;
    consent: { get(): { reask: string[]; granted: Record<string, boolean>; history: { recordId?: string }[] } };
  };
}
const prompt = (page: Page) => page.locator('.candor-prompt');
const heroText = (page: Page) => page.locator('[data-candor-slot="hero"]').textContent();
/** The purposes the open prompt lists, by the names the visitor reads. */
const listed = async (page: Page): Promise<string[]> => {
  await prompt(page).waitFor();
  return prompt(page).locator('.candor-purpose strong').allTextContents();
};
const consentView = (page: Page) => page.evaluate(() => (window as never as CandorWindow).candor.consent.get());
/** Waits until the ledger has answered `count` choices made on this device (their record ids came back). */
const recorded = (page: Page, count: number) =>
  page.waitForFunction(
    (n) => (window as never as CandorWindow).candor.consent.get().history.filter((e) => e.recordId).length >= n,
    count,
  );
const open = async (context: BrowserContext, name: string): Promise<Page> => {
  const page = await openProbed(context, stack.url(name));
  await page.evaluate(() => (window as never as CandorWindow).candor.ready);
  return page;
};

const admin = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object): Promise<unknown> => {
  const response = await stack.t.app.inject({
    method,
    url: `/v1/admin/sites/${stack.t.siteKey}${url}`,
    ...(payload === undefined ? {} : { payload }),
    headers: stack.t.as.owner.headers,
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as unknown;
};
/** Publishes the drafts as the marketer does: lint, acknowledge the warnings, publish. */
const publish = async (): Promise<void> => {
  const lint = (await admin('POST', '/lint')) as { findings: { fingerprint: string; severity: string }[] };
  const acknowledge = lint.findings.filter((f) => f.severity === 'warning').map((f) => f.fingerprint);
  await admin('POST', '/publish', { acknowledge });
};
let edits = 0;
/** The marketer rewrites a purpose's description (a new text version) and publishes; returns the new version. */
const changeText = async (id: string): Promise<string> => {
  const draft = (await admin('GET', `/drafts/purposes/${id}`)) as { description: Record<string, string> };
  edits += 1;
  const description = {
    en: `${draft.description['en'] ?? ''} (revised ${edits})`,
    'zh-Hant': `${draft.description['zh-Hant'] ?? ''}（第 ${edits} 次修訂）`,
  };
  await admin('PUT', `/drafts/purposes/${id}`, { ...draft, description });
  await publish();
  return liveVersionOf(id);
};
const liveVersionOf = async (id: string): Promise<string> => {
  const snapshot = (await (await fetch(`${stack.api}/v1/sites/${stack.t.siteKey}/snapshot`)).json()) as Snapshot;
  const version = snapshot.purposes.find((purpose) => purpose.id === id)?.textVersion;
  if (version === undefined) throw new Error(`no text version for ${id}`);
  return version;
};
/** Today's ledger records as the privacy officer exports them. */
const ledgerToday = async (): Promise<Record<string, unknown>[]> => {
  const day = new Date().toISOString().slice(0, 10);
  const file = (await admin('GET', `/ledger/export?from=${day}&to=${day}`)) as {
    document: { entries: { payload: string | null }[] };
  };
  return file.document.entries.flatMap((entry) =>
    entry.payload === null ? [] : [JSON.parse(entry.payload) as Record<string, unknown>],
  );
};
const ledgerRecord = async (consentId: string): Promise<Record<string, unknown> | undefined> =>
  (await ledgerToday()).find((record) => record['consentId'] === consentId);
const lastRecordId = async (page: Page): Promise<string> => (await consentView(page)).history.at(-1)?.recordId ?? '';

describe.skipIf(!available)(`re-consent: ${available ? 'Chromium' : SKIP_REASON}`, { timeout: 120_000 }, () => {
  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  it('a changed purpose is asked again alone; the other choices keep working; the ledger names the new text', async () => {
    const context = await newContext(browser);
    const page = await open(context, 'index');
    await prompt(page).locator('[data-candor-action="accept_all"]').click();
    const answered = page.evaluate(() => (window as never as CandorWindow).candor.ask('role'));
    await page.locator('[data-candor-question="role"] input[value="developer"]').check();
    await page.locator('[data-candor-question="role"] [data-candor-action="answer"]').click();
    await answered;
    await recorded(page, 1);
    expect(await heroText(page)).toBe('Build faster');

    const version = await changeText('measurement');
    await page.reload();
    await page.evaluate(() => (window as never as CandorWindow).candor.ready);
    expect(await listed(page)).toEqual(['Measurement']);
    expect(await prompt(page).textContent()).toContain(
      'Example Shop changed or added these purposes since you chose; your other choices stand.',
    );
    expect(await prompt(page).textContent()).toContain('(revised');
    // Meanwhile the changed purpose is denied and every other choice stands: the personalized hero stays.
    const meanwhile = await consentView(page);
    expect(meanwhile.reask).toEqual(['measurement']);
    expect(meanwhile.granted).toMatchObject({ personalization: true, sync: true, measurement: false });
    expect(await heroText(page)).toBe('Build faster');

    await prompt(page).locator('[data-candor-action="accept_all"]').click();
    await recorded(page, 2);
    const record = await ledgerRecord(await lastRecordId(page));
    expect(record?.['action']).toBe('reprompt');
    expect(record?.['purposeVersions']).toEqual({ measurement: version });
    expect(record?.['purposes']).toMatchObject({ personalization: 'granted', measurement: 'granted', sync: 'granted' });
    expect((await consentView(page)).granted['measurement']).toBe(true);
    // Answered: the next page view asks nothing.
    await page.reload();
    await page.evaluate(() => (window as never as CandorWindow).candor.ready);
    expect(await prompt(page).count()).toBe(0);
    expect(await heroText(page)).toBe('Build faster');
    await context.close();
  });

  it('a visitor who refused everything is asked only about the changed purpose', async () => {
    const context = await newContext(browser);
    const page = await open(context, 'index');
    await prompt(page).locator('[data-candor-action="reject_all"]').click();
    await recorded(page, 1);
    const version = await changeText('sync');
    await page.reload();
    expect(await listed(page)).toEqual(['Sync across devices']);
    await prompt(page).locator('[data-candor-action="reject_all"]').click();
    await recorded(page, 2);
    const record = await ledgerRecord(await lastRecordId(page));
    expect(record?.['purposeVersions']).toEqual({ sync: version });
    expect(record?.['purposes']).toMatchObject({ personalization: 'denied', measurement: 'denied', sync: 'denied' });
    await context.close();
  });

  it('a purpose added after the choice is asked alone, in zh-Hant on a zh-Hant page', async () => {
    const context = await newContext(browser, { locale: 'en-US' });
    const page = await open(context, 'zh');
    await prompt(page).locator('[data-candor-action="accept_all"]').click();
    await recorded(page, 1);
    await admin('PUT', '/drafts/purposes/offers', {
      id: 'offers',
      class: 'behavioural',
      name: { en: 'Partner offers', 'zh-Hant': '合作夥伴優惠' },
      description: { en: 'Shows offers from our partners.', 'zh-Hant': '顯示合作夥伴的優惠。' },
      legalBasis: 'consent',
    });
    await publish();
    await page.reload();
    expect(await listed(page)).toEqual(['合作夥伴優惠']);
    expect(await prompt(page).textContent()).toContain('Example Shop 已變更或新增下列用途；您其他的選擇不變。');
    expect(await prompt(page).locator('[data-candor-action="accept_all"]').textContent()).toBe('全部接受');
    await prompt(page).locator('[data-candor-action="save"]').click();
    await recorded(page, 2);
    const record = await ledgerRecord(await lastRecordId(page));
    expect(record?.['purposeVersions']).toEqual({ offers: await liveVersionOf('offers') });
    expect(record?.['purposes']).toMatchObject({
      offers: 'denied',
      personalization: 'granted',
      measurement: 'granted',
    });
    await context.close();
  });

  it('a choice answering a text changed meanwhile is refused (409): the SDK loads the new snapshot and asks again', async () => {
    const context = await newContext(browser);
    const page = await open(context, 'index');
    await prompt(page).waitFor();
    const ledgerAnswers: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/v1/visitor/consent')) ledgerAnswers.push(response.status());
    });
    // The marketer publishes while the visitor reads the prompt.
    const version = await changeText('personalization');
    await prompt(page).locator('[data-candor-action="accept_all"]').click();
    expect(await listed(page)).toEqual(['Personalization']);
    expect(ledgerAnswers).toEqual([409]);
    // Until answered, the changed purpose is off; what the visitor accepted of the rest stands.
    expect((await consentView(page)).granted).toMatchObject({ personalization: false, measurement: true });
    await prompt(page).locator('[data-candor-action="accept_all"]').click();
    await recorded(page, 1);
    expect(ledgerAnswers).toEqual([409, 201]);
    const record = await ledgerRecord(await lastRecordId(page));
    expect(record?.['purposeVersions']).toEqual({ personalization: version });
    expect(record?.['purposes']).toMatchObject({ personalization: 'granted', measurement: 'granted' });
    await context.close();
  });

  it('a ledger that keeps refusing (409) with nothing to re-ask raises LEDGER_FAILED once, never a prompt loop', async () => {
    const context = await newContext(browser);
    // A server that answers 409 whatever the texts: reloading the snapshot finds nothing changed.
    let refused = 0;
    await context.route('**/v1/visitor/consent', (route) => {
      refused += 1;
      return route.fulfill({ status: 409, contentType: 'application/problem+json', body: '{"status":409}' });
    });
    const page = await open(context, 'index');
    await prompt(page).locator('[data-candor-action="reject_all"]').click();
    await page.waitForFunction(() => (window as never as CandorWindow).__probe.candorErrors.includes('LEDGER_FAILED'));
    expect(refused).toBe(1);
    expect(await prompt(page).count()).toBe(0);
    // The choice stays on the device: nothing optional is granted.
    expect((await consentView(page)).granted).toMatchObject({ personalization: false, measurement: false });
    await context.close();
  });

  it('with a CMP as consent source Candor never prompts, even after a purpose changes', async () => {
    const context = await newContext(browser);
    const page = await open(context, 'cmp');
    await page.waitForFunction(() => (window as never as CandorWindow).candor.consent.get().granted['measurement']);
    await changeText('measurement');
    await page.reload();
    await page.evaluate(() => (window as never as CandorWindow).candor.ready);
    // The CMP's unchanged answer is taken afresh for the changed purpose; no Candor prompt appears.
    await page.waitForFunction(
      () => (window as never as CandorWindow).candor.consent.get().granted['measurement'] === true,
    );
    expect((await consentView(page)).reask).toEqual([]);
    expect(await prompt(page).count()).toBe(0);
    await context.close();
  });
});
