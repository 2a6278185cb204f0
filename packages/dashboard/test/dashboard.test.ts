// The marketer's workflow in real Chromium against the real server: sign in, define a field, an
// audience, a metric and an experience, preview what a visitor would see, publish through the lint
// report and diff, roll back; then every other screen loads, in both languages, with no serious
// accessibility violation.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, seriousViolations, watchPage } from './support/browser.js';
import { startStack, type Stack } from './support/stack.js';

const available = browserAvailable();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

describe.skipIf(!available)('dashboard in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  const screen = (path: string) => page.goto(`${stack.url}/admin${path}`);
  const heading = () => page.getByRole('heading', { level: 1 });
  const accessible = async (name: string) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    expect(await seriousViolations(page, axeSource), name).toEqual([]);
  };

  beforeAll(async () => {
    stack = await startStack();
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    // A step that cannot happen fails in 10 s and names itself, instead of eating the test's timeout.
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    problems = watchPage(page);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
  });

  it('refuses a wrong password and signs in with the right one', async () => {
    await screen('/');
    await expect(heading().textContent()).resolves.toBe('Sign in to Candor');
    await accessible('sign-in');
    await page.getByLabel('Email').fill(stack.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
    await page.getByLabel('Password').fill(stack.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Example Shop' }).waitFor();
    // Focus moves to the new screen's heading, for keyboard and screen-reader users.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('page-title');
    await accessible('sites');
    // The skip link (first in tab order) moves focus past the navigation to the main content.
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await skip.focus();
    expect(await skip.evaluate((link) => link.getBoundingClientRect().left >= 0)).toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    // A reload keeps this tab signed in (the CSRF token is kept in the tab's sessionStorage).
    await page.reload();
    await page.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
    // A new tab of the same browser is signed in too, and can write: /me hands it the CSRF token.
    const tab = await page.context().newPage();
    await tab.goto(page.url());
    await tab.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
    await expect(tab.evaluate(() => window.sessionStorage.getItem('candor.dashboard.csrf'))).resolves.toMatch(
      /\S{16,}/,
    );
    await tab.close();
  }, 30_000);

  it('switches the whole UI to Traditional Chinese and back', async () => {
    await page.getByLabel('Language', { exact: true }).selectOption('zh-Hant');
    await page.getByRole('heading', { name: '網站', level: 1 }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-Hant');
    await accessible('sites-zh-hant');
    await page.getByLabel('語言', { exact: true }).selectOption('en');
    await page.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
  }, 30_000);

  it('shows the snippet with the pinned signing key', async () => {
    await screen('/sites/shop/settings');
    const snippet = page.getByTestId('snippet');
    await expect.poll(() => snippet.textContent()).toContain('data-public-key="');
    expect(await snippet.textContent()).toContain(`src="${stack.url}/sdk/candor.js" data-site="shop"`);
    await accessible('site-settings');
  }, 30_000);

  it("shows a webhook's delivery log and sends a failed delivery again", async () => {
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push(body);
        response.end('ok');
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    try {
      const address = receiver.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      await screen('/sites/shop/settings');
      await page.getByLabel('URL', { exact: true }).fill(`http://127.0.0.1:${port}/candor`);
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByText('Signing secret (shown once):').waitFor();
      const [hook] = await stack.server.storage.listWebhooks((await stack.server.storage.getSiteByKey('shop'))!.id);
      // A delivery that gave up earlier (the receiver was down then).
      const now = Date.now();
      await stack.server.storage.queueDeliveries([
        {
          id: 'whd_gave_up',
          siteId: hook!.siteId,
          webhookId: hook!.id,
          event: 'snapshot.published',
          body: JSON.stringify({ event: 'snapshot.published', at: now, data: { siteKey: 'shop', version: 1 } }),
          status: 'failed',
          attempts: 5,
          nextAttemptAt: now,
          lastError: 'HTTP 503',
          createdAt: now,
          finishedAt: now,
        },
      ]);
      await page.getByText('Recent deliveries').click();
      const log = page.getByTestId(`deliveries-${hook!.id}`);
      await log.getByText('Gave up').waitFor();
      await log.getByText('HTTP 503').waitFor();
      await accessible('webhook-deliveries');
      await log.getByRole('button', { name: 'Send again' }).click();
      await expect.poll(() => received.length).toBe(1);
      expect(JSON.parse(received[0]!)).toMatchObject({ event: 'snapshot.published', data: { version: 1 } });
      await log.getByText('Delivered').waitFor();
    } finally {
      await new Promise((done) => receiver.close(done));
    }
  }, 30_000);

  it('visibly refuses a sensitive field with the reason, before anything is saved', async () => {
    await screen('/sites/shop/fields/new');
    await page.getByLabel('Key', { exact: true }).fill('religion');
    await page.getByLabel('Label — English', { exact: true }).fill('Your religion');
    const refusal = page.getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('S.religion_belief');
    expect(await refusal.textContent()).toContain('never drive targeting');
    await accessible('field-refused');
    // Drafts may hold it, but publishing is blocked while it is there, with the finding shown.
    await page.getByLabel('Label — Traditional Chinese', { exact: true }).fill('您的宗教');
    await page.getByLabel('Question — English', { exact: true }).fill('What is your religion?');
    await page.getByLabel('Question — Traditional Chinese', { exact: true }).fill('您的宗教是什麼？');
    for (const legend of ['Why we ask', 'What you get']) {
      await page.getByLabel(`${legend} — English`, { exact: true }).fill('x');
      await page.getByLabel(`${legend} — Traditional Chinese`, { exact: true }).fill('x');
    }
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/fields\/religion$/);
    await screen('/sites/shop/publish');
    await page.getByText(/error\(s\) block publishing/).waitFor();
    await page.locator('[data-code="field_sensitive_category"]').first().waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);
    await screen('/sites/shop/fields/religion');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/fields$/);
  }, 30_000);

  it('creates a declared field with answer options', async () => {
    await screen('/sites/shop/fields/new');
    await page.getByLabel('Key', { exact: true }).fill('role');
    await page.getByLabel('Label — English', { exact: true }).fill('Your role');
    await page.getByLabel('Label — Traditional Chinese', { exact: true }).fill('您的職務');
    await page.getByLabel('Question — English', { exact: true }).fill('What is your role?');
    await page.getByLabel('Question — Traditional Chinese', { exact: true }).fill('您的職務是什麼？');
    await page.getByLabel('Why we ask — English', { exact: true }).fill('To show examples for your job.');
    await page.getByLabel('Why we ask — Traditional Chinese', { exact: true }).fill('為了顯示與您工作相關的範例。');
    await page.getByLabel('What you get — English', { exact: true }).fill('Relevant examples.');
    await page.getByLabel('What you get — Traditional Chinese', { exact: true }).fill('相關的範例。');
    for (const [index, [value, en, zh]] of [
      ['developer', 'Developer', '開發者'],
      ['marketer', 'Marketer', '行銷人員'],
    ].entries()) {
      await page.getByRole('button', { name: 'Add an option' }).click();
      await page.getByLabel(`Value ${index + 1}`, { exact: true }).fill(value ?? '');
      await page.getByLabel(`English ${index + 1}`, { exact: true }).fill(en ?? '');
      await page.getByLabel(`Traditional Chinese ${index + 1}`, { exact: true }).fill(zh ?? '');
    }
    await expect(page.getByTestId('refusal').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/fields\/role$/);
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Fields' })
      .getByRole('link', { name: /Your role/ })
      .waitFor();
    await accessible('field-saved');
  }, 30_000);

  it('builds an audience visually, shows the JSON, lint and the explanation a visitor would read', async () => {
    await screen('/sites/shop/audiences/new');
    await page.getByLabel('Id', { exact: true }).fill('developers');
    await page.getByLabel('Name', { exact: true }).fill('Developers');
    await page.getByRole('button', { name: 'Add a condition' }).click();
    await page.getByLabel('Field 1', { exact: true }).selectOption('role');
    await page.getByLabel('Operator 1', { exact: true }).selectOption('$eq');
    await page.getByLabel('Value 1', { exact: true }).selectOption('developer');
    const json = page.getByTestId('condition-json');
    await expect
      .poll(async () => JSON.parse(await json.inputValue()) as unknown)
      .toEqual({ role: { $eq: 'developer' } });
    await page.getByText('No findings: this audience is fine to publish.').waitFor();
    await expect.poll(() => page.getByTestId('main-reason').textContent()).toContain('Developer');
    // Editing the JSON updates the builder and the live lint: an undeclared field is flagged at once.
    await json.fill('{"role": {"$eq": "marketer"}, "shoe_size": {"$gt": 40}}');
    await page.locator('[data-code="condition_undeclared_field"]').waitFor();
    await json.fill('{"role": {"$eq": "developer"}}');
    await expect(page.getByLabel('Value 1', { exact: true }).inputValue()).resolves.toBe('developer');
    await accessible('audience-builder');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/audiences\/developers$/);
  }, 30_000);

  it('creates a metric and an experience with a text variant for the hero slot', async () => {
    await screen('/sites/shop/metrics/new');
    await page.getByLabel('Id', { exact: true }).fill('signup');
    await page.getByLabel('Name', { exact: true }).fill('Signup');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/metrics\/signup$/);

    await screen('/sites/shop/experiences/new');
    await page.getByLabel('Id', { exact: true }).fill('hero-dev');
    await page.getByLabel('Name', { exact: true }).fill('Hero for developers');
    await page.getByLabel('Developers (developers)').check();
    await page.getByLabel('Name (Variant 1)', { exact: true }).fill('Developer hero');
    await page.getByRole('button', { name: 'Add slot content' }).click();
    await page.getByLabel('English (Variant 1, 1)', { exact: true }).fill('Build faster with Candor');
    await page.getByLabel('Traditional Chinese (Variant 1, 1)', { exact: true }).fill('用 Candor 更快開發');
    await page.getByLabel('Signup (signup)').first().check();
    // No holdout: the lift could never be shown, which the linter warns about at publish.
    await page.getByLabel('Holdout (%)').fill('0');
    await page.getByLabel("Set this experience's own analysis plan (frozen at publish)").check();
    await page.getByLabel('Engine').selectOption('sequential');
    await page.getByLabel('Add differential-privacy noise to results').check();
    await page.getByLabel('ε', { exact: true }).fill('1');
    await accessible('experience-editor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/experiences\/hero-dev$/);
    await expect(page.getByLabel('Engine').inputValue()).resolves.toBe('sequential');
  }, 30_000);

  it('previews as a consenting developer, then as the same visitor under GPC', async () => {
    await screen('/sites/shop/preview');
    await page.getByLabel('Your role (role)').selectOption('developer');
    await page.getByLabel('Personalization (personalization)').check();
    await expect.poll(() => page.getByTestId('slot-hero').textContent()).toContain('Developer hero');
    await expect.poll(() => page.getByTestId('main-reason').textContent()).toContain('Developer');
    await accessible('preview');
    await page.getByLabel('Global Privacy Control is on').check();
    await expect.poll(() => page.getByTestId('slot-hero').textContent()).toContain('default content');
    await page.getByLabel('Visitor language').selectOption('zh-Hant');
    await expect.poll(() => page.getByTestId('explanation').getAttribute('lang')).toBe('zh-Hant');
  }, 30_000);

  it('publishes through the lint report and diff, then rolls back as a new version', async () => {
    await screen('/sites/shop/publish');
    await page.getByTestId('diff').getByText('experiences/').first().waitFor();
    expect(await page.getByTestId('diff').textContent()).toContain('hero-dev');
    await page.locator('[data-code="personalization_without_holdout"]').waitFor();
    const publish = page.getByRole('button', { name: 'Publish', exact: true });
    await expect.poll(() => publish.isDisabled()).toBe(true);
    for (const box of await page.getByRole('checkbox', { name: /I have read this and accept it/ }).all())
      await box.check();
    await expect.poll(() => publish.isEnabled()).toBe(true);
    await accessible('publish');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published version 1.').waitFor();
    await page.getByText('The draft matches the live version.').waitFor();

    await screen('/sites/shop/audiences/developers');
    await page.getByLabel('Name', { exact: true }).fill('Software developers');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await screen('/sites/shop/publish');
    await page.getByTestId('diff').getByText('changed: name').waitFor();
    for (const box of await page.getByRole('checkbox', { name: /I have read this and accept it/ }).all())
      await box.check();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published version 2.').waitFor();
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByText('Version 3 now serves the content of v1.').waitFor();
    await expect.poll(() => page.getByTestId('history').textContent()).toContain('v3');
    // The owner takes an older version off the public URL (issue 11, item 8); the live one has no such button.
    await page.getByRole('button', { name: 'Withdraw public copy of v2' }).click();
    await page.getByText('The public copy of v2 is withdrawn.').waitFor();
    await page.getByTestId('history').getByText('Public copy withdrawn').waitFor();
    expect(await page.getByRole('button', { name: 'Withdraw public copy of v3' }).count()).toBe(0);
  }, 45_000);

  it.each([
    ['/sites/shop/purposes/personalization', 'Purposes'],
    ['/sites/shop/results', 'Results'],
    ['/sites/shop/privacy', 'Privacy report'],
    ['/sites/shop/ledger', 'Consent ledger and data-subject requests'],
    ['/sites/shop/audit', 'Audit log'],
    ['/users', 'Users and roles'],
    ['/api-keys', 'API keys'],
  ])(
    'loads %s with no serious accessibility violation',
    async (path, title) => {
      await screen(path);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await accessible(path.replace(/\W+/g, '-').replace(/^-/, ''));
    },
    30_000,
  );

  it('shows the verdict in plain words, and an honest privacy report for a site without visitors yet', async () => {
    await screen('/sites/shop/results');
    // The published experience has no measured visitors yet: the verdict says so, with its caveats.
    await expect.poll(() => page.getByTestId('verdict').textContent()).toMatch(/\w/);
    // Nothing can raise an alarm yet, and the page says so rather than "Holm across 0 alarms".
    await expect
      .poll(() => page.getByTestId('page-correction').textContent())
      .toBe('No comparison has enough data to raise an alarm yet; the error budget is shared once one does.');
    await screen('/sites/shop/privacy');
    // No choice made and nothing measured: said in words, not as empty charts; the trust score still shows.
    await page.getByTestId('privacy-empty').waitFor();
    await expect.poll(() => page.getByTestId('trust-score').textContent()).toMatch(/\d+ \/ 100/);
    expect(await page.getByTestId('demo-data').count()).toBe(0);
    // What the server does serve is shown: the fields by purpose come from the draft.
    await page.getByRole('cell', { name: 'role', exact: true }).waitFor();
  }, 30_000);

  it('reorders experiences by priority, and the new order is what the server keeps', async () => {
    // A second experience on the hero slot, for everyone, saved through the API the editor uses.
    const saved = await page.evaluate(async () => {
      const base = '/v1/admin/sites/shop/drafts/experiences';
      const hero = (await (await fetch(`${base}/hero-dev`)).json()) as Record<string, unknown>;
      const response = await fetch(`${base}/hero-all`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': sessionStorage.getItem('candor.dashboard.csrf') ?? '',
        },
        body: JSON.stringify({ ...hero, id: 'hero-all', name: 'Hero for all', seed: 'hero-all', audiences: [] }),
      });
      return response.status;
    });
    expect(saved).toBe(200);
    await screen('/sites/shop/experiences');
    const list = page.getByRole('navigation', { name: 'Experiences' });
    await list.getByText('Hero for all').waitFor();
    await page.getByText('Order is priority').waitFor();
    const order = async () =>
      (await list.getByRole('link').allTextContents()).flatMap((text) => text.match(/hero-(?:all|dev)/) ?? []);
    // With no order set, experiences list by id; the top one cannot move further up.
    await expect.poll(order).toEqual(['hero-all', 'hero-dev']);
    expect(await page.getByRole('button', { name: 'Move Hero for all up' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Move Hero for developers up' }).click();
    await expect.poll(order).toEqual(['hero-dev', 'hero-all']);
    expect(await page.getByRole('button', { name: 'Move Hero for developers up' }).isDisabled()).toBe(true);
    await accessible('experiences-reorder');
    await page.reload();
    await expect.poll(order).toEqual(['hero-dev', 'hero-all']);
    const kept = await page.evaluate(async () => {
      const draft = (await (await fetch('/v1/admin/sites/shop/drafts')).json()) as {
        draft: { experiences: { id: string }[] };
      };
      return draft.draft.experiences.map((experience) => experience.id);
    });
    expect(kept).toEqual(['hero-dev', 'hero-all']);
  }, 30_000);

  it('turns an experience into a per-audience bandit, and refuses segments alongside privacy noise', async () => {
    await screen('/sites/shop/experiences/hero-all');
    await page.getByLabel('Allocation').selectOption('bandit');
    const segments = page.getByRole('group', { name: /Learn separately for these audiences/ });
    await segments.getByLabel('Developers (developers)').check();
    await accessible('experience-segments');
    // hero-all was copied from hero-dev with privacy noise on: the two do not go together.
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/turn off differential privacy or remove the segments/)
      .first()
      .waitFor();
    await page.getByLabel('Add differential-privacy noise to results').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = await page.evaluate(async () => {
      const response = await fetch('/v1/admin/sites/shop/drafts/experiences/hero-all');
      return ((await response.json()) as { allocation: string; segments?: unknown }).segments;
    });
    expect(saved).toEqual([{ audience: 'developers' }]);
  }, 30_000);

  it('verifies the consent ledger chain and lists the audit trail of this session', async () => {
    await screen('/sites/shop/ledger');
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    await page.getByText(/Chain intact/).waitFor();
    await screen('/sites/shop/audit');
    await page.getByTestId('audit').getByText('snapshot.rollback').waitFor();
  }, 30_000);

  it('creates an API key and shows its secret once', async () => {
    await screen('/api-keys');
    await page.getByLabel('Name', { exact: true }).fill('CI deploy');
    await page.getByRole('button', { name: 'Create a key' }).click();
    await expect.poll(() => page.getByTestId('api-key-secret').textContent()).toMatch(/^cnd_/);
  }, 30_000);

  it('adds a user, changes their role, removes them, and shows each step in the installation audit', async () => {
    await screen('/users');
    await page.getByLabel('Email', { exact: true }).fill('temp-editor@example.com');
    await page.getByLabel('Initial password (12+ characters)').fill('a temporary passphrase');
    await page.getByRole('button', { name: 'Add a user' }).click();
    const role = page.getByLabel('Role of temp-editor@example.com');
    await expect.poll(() => role.inputValue()).toBe('viewer');
    await role.selectOption('editor');
    await page.reload();
    await expect.poll(() => page.getByLabel('Role of temp-editor@example.com').inputValue()).toBe('editor');
    // The signed-in owner cannot remove themself; the button is not offered.
    expect(await page.getByRole('button', { name: `Remove ${stack.email}` }).count()).toBe(0);
    // watchPage accepts the confirmation dialog.
    await page.getByRole('button', { name: 'Remove temp-editor@example.com' }).click();
    await expect.poll(() => page.getByLabel('Role of temp-editor@example.com').count()).toBe(0);

    await screen('/sites/shop/audit');
    await page.getByLabel('Users, roles and API keys').check();
    const audit = page.getByTestId('audit');
    for (const action of ['user.create', 'user.role', 'user.delete', 'api_key.create'])
      await audit.getByText(action, { exact: true }).waitFor();
  }, 30_000);

  it('offers a viewer no write controls and no owner screens', async () => {
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    viewer.setDefaultTimeout(10_000);
    const tab = await viewer.newPage();
    const tabProblems = watchPage(tab);
    await tab.goto(`${stack.url}/admin/sites/shop/fields/role`);
    await tab.getByLabel('Email').fill('viewer@example.com');
    await tab.getByLabel('Password').fill(stack.password);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByText('Your role can read this but not change it.').waitFor();
    expect(await tab.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await tab.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await viewer.close();
    expect(tabProblems).toEqual([]);
  }, 30_000);

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Candor' }).waitFor();
    expect(problems).toEqual([]);
  }, 30_000);
});
