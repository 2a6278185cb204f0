import type { Page, Request } from 'playwright-core';
import { expect } from 'vitest';
import { armFigures, JOURNEY_PASSWORD, reportToday } from '../support/admin-api.js';
import { newContext } from '../support/browser.js';
import { convertOnDemo, type JourneyEnv } from './visitor-journey.js';

const STORY = '"We moved 40 spreadsheets into Trellis in an afternoon." — Lena, operations lead';

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

/**
 * A marketer on a fresh install, through the dashboard only: sign in with the start banner's one-time
 * login (and replace it), add a question, an audience and an experience with a holdout, preview it
 * as a visitor, publish (acknowledging the warnings); then a visitor in their own browser accepts,
 * answers, is shown what their decision says and starts a trial; the marketer's results show exactly
 * that visitor (no demo figures in a new experience) and the privacy report counts their choice.
 */
export async function marketerJourney(env: JourneyEnv): Promise<void> {
  const { banner } = env;
  // The README promises the banner names the dashboard; a soft check, so the rest of the journey still runs.
  expect.soft(banner.adminUrl, 'the start banner prints the /admin URL').toBeDefined();
  const adminUrl = banner.adminUrl ?? `${banner.url}/admin/`;
  const marketer = await newContext(env.browser, { viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  const page = await marketer.newPage();
  const screen = (path: string) => page.goto(`${banner.url}/admin${path}`);

  await page.goto(adminUrl);
  await fill(page, 'Email', banner.email);
  await fill(page, 'Password', banner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await fill(page, 'One-time password', banner.password);
  await fill(page, 'New password', JOURNEY_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();

  await screen('/sites/demo/fields/new');
  await fill(page, 'Key', 'goal');
  await fill(page, 'Label — English', 'reason for visiting');
  await fill(page, 'Label — Traditional Chinese', '您來這裡的目的');
  await fill(page, 'Question — English', 'What brings you to Trellis?');
  await fill(page, 'Question — Traditional Chinese', '您為什麼來看 Trellis？');
  await fill(page, 'Why we ask — English', 'To show the story closest to your move.');
  await fill(page, 'Why we ask — Traditional Chinese', '為了顯示最接近您情況的故事。');
  await fill(page, 'What you get — English', 'A customer story that fits.');
  await fill(page, 'What you get — Traditional Chinese', '一個符合您需求的客戶故事。');
  const options = [
    ['migrate', 'Moving off spreadsheets', '從試算表搬過來'],
    ['evaluate', 'Comparing tools', '比較工具'],
  ] as const;
  for (const [index, [value, en, zh]] of options.entries()) {
    await page.getByRole('button', { name: 'Add an option' }).click();
    await fill(page, `Value ${index + 1}`, value);
    await fill(page, `English ${index + 1}`, en);
    await fill(page, `Traditional Chinese ${index + 1}`, zh);
  }
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  await screen('/sites/demo/audiences/new');
  await fill(page, 'Id', 'spreadsheet-movers');
  await fill(page, 'Name', 'Moving off spreadsheets');
  await page.getByRole('button', { name: 'Add a condition' }).click();
  await page.getByLabel('Field 1', { exact: true }).selectOption('goal');
  await page.getByLabel('Operator 1', { exact: true }).selectOption('$eq');
  await page.getByLabel('Value 1', { exact: true }).selectOption('migrate');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  await screen('/sites/demo/experiences/new');
  await fill(page, 'Id', 'spreadsheet-story');
  await fill(page, 'Name', 'Story for teams leaving spreadsheets');
  await page.getByLabel('Moving off spreadsheets (spreadsheet-movers)').check();
  await fill(page, 'Holdout (%)', '10');
  await fill(page, 'Name (Variant 1)', 'Spreadsheet story');
  await page.getByRole('button', { name: 'Add slot content' }).click();
  await fill(page, 'Slot (Variant 1, 1)', 'customer-story');
  await fill(page, 'English (Variant 1, 1)', STORY);
  await fill(
    page,
    'Traditional Chinese (Variant 1, 1)',
    '「我們一個下午就把 40 份試算表搬進了 Trellis。」— Lena，營運主管',
  );
  await page.getByLabel('Started a free trial (signup)').first().check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  // Preview as a visitor who answered "migrate" and allowed personalization.
  await screen('/sites/demo/preview');
  await page.getByLabel('reason for visiting (goal)').selectOption('migrate');
  await page.getByLabel('Personalization (personalization)').check();
  const preview = page.getByRole('region', { name: 'Slot "customer-story"' });
  await expect
    .poll(() => preview.getByTestId('main-reason').textContent())
    .toMatch(/reason for visiting|Moving off spreadsheets/);

  await screen('/sites/demo/publish');
  await page.getByTestId('diff').getByText('spreadsheet-story').first().waitFor();
  for (const box of await page.getByRole('checkbox', { name: /I have read this and accept it/ }).all())
    await box.check();
  const publish = page.getByRole('button', { name: 'Publish', exact: true });
  await expect.poll(() => publish.isEnabled()).toBe(true);
  await publish.click();
  await page.getByText(/Published version \d+\./).waitFor();

  const api = await env.admin();
  const choicesBefore = (await reportToday(api, 'demo')).actions['accept_all'] ?? 0;

  // A visitor, in a browser of their own, accepts, answers and starts a trial.
  const visitor = await newContext(env.browser, { locale: 'en-US' });
  const reports: Request[] = [];
  visitor.on('request', (request) => {
    if (request.method() === 'POST' && /\/v1\/sites\/demo\/reports$/.test(request.url())) reports.push(request);
  });
  const demo = await visitor.newPage();
  await demo.goto(banner.demoUrl);
  const prompt = demo.locator('.candor-prompt');
  await prompt.locator('[data-candor-action="accept_all"]').click();
  await prompt.waitFor({ state: 'detached' });
  // The site asks the new question where it wants, through the public API (as the demo's own buttons do).
  await demo.evaluate(() => {
    const area = document.querySelector('#question-area');
    void (window as unknown as { candor: { ask(field: string, into: Element | null): Promise<unknown> } }).candor.ask(
      'goal',
      area,
    );
  });
  const question = demo.locator('[data-candor-question="goal"]');
  await question.locator('input[value="migrate"]').check();
  await question.locator('[data-candor-action="answer"]').click();
  const decision = await demo.waitForFunction(() => {
    const candor = (
      window as unknown as {
        candor: {
          decide(
            slot: string,
          ): { experienceId: string | null; enrolled: boolean; variant: { id: string } | null } | undefined;
        };
      }
    ).candor;
    const seen = candor.decide('customer-story');
    return seen?.experienceId === 'spreadsheet-story'
      ? { enrolled: seen.enrolled, variant: seen.variant?.id ?? null }
      : false;
  });
  const { enrolled, variant } = (await decision.jsonValue()) as { enrolled: boolean; variant: string | null };
  expect(enrolled).toBe(true);
  const story = demo.locator('[data-candor-slot="customer-story"]');
  await story.scrollIntoViewIfNeeded();
  if (variant !== null) await expect.poll(() => story.textContent()).toContain('We moved 40 spreadsheets into Trellis');
  else expect(await story.textContent()).not.toContain('We moved 40 spreadsheets into Trellis');
  await convertOnDemo(demo, true);
  await demo.goto('about:blank');
  const answers = await Promise.all(reports.map((request) => request.response()));
  const statuses = answers.flatMap((answer) => (answer === null ? [] : [answer.status()]));
  expect(statuses, 'every report the visitor sent was accepted').toEqual(statuses.map(() => 200));
  await visitor.close();

  // The results show exactly this visitor: the new experience has no demo figures to hide behind.
  const arm = variant ?? '$holdout';
  const read = async () => {
    const { arms } = await armFigures(api, 'demo', 'spreadsheet-story', 'signup');
    return Object.fromEntries([...arms].filter(([, figures]) => figures.n > 0));
  };
  await expect.poll(read, { timeout: 20_000 }).toEqual({ [arm]: { n: 1, conversions: 1 } });
  const results = await armFigures(api, 'demo', 'spreadsheet-story', 'signup');
  expect(results.demoData, 'a real visitor in a new experience is not demo data').toBe(false);
  await screen('/sites/demo/results');
  await page.getByLabel('Experience', { exact: true }).selectOption('spreadsheet-story');
  await expect.poll(() => page.getByTestId('verdict').textContent()).toMatch(/\w/);
  expect(await page.getByTestId('demo-data').count(), 'the results page labels a real visitor as demo data').toBe(0);

  // The privacy report counts the visitor's "Accept all".
  expect((await reportToday(api, 'demo')).actions['accept_all'] ?? 0).toBe(choicesBefore + 1);
  await marketer.close();
}
