// A user created without a password signs in with the generated one-time password: the dashboard
// shows only the change-password screen (the server refuses every other admin route until then),
// and after the change the same session reaches the usual screens.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '@candor/server/testing';
import { browserAvailable, launch, watchPage } from './support/browser.js';
import { startStack, type Stack } from './support/stack.js';

const available = browserAvailable();

describe.skipIf(!available)('one-time password in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('asks for a new password before anything else, then opens the dashboard', async () => {
    const { password } = await createAdmin(stack.server.context, 'new-editor@example.com', 'editor');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${stack.url}/admin/`);
    await page.getByLabel('Email').fill('new-editor@example.com');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);
    // A reload (or a new tab) lands on the same screen: the server's /me says so, not local state.
    await page.reload();
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();

    await page.getByLabel('One-time password', { exact: true }).fill(password);
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The password was not changed' }).waitFor();

    await page.getByLabel('New password', { exact: true }).fill('my own long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Example Shop' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
