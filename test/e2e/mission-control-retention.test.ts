// Retention (#22) in Mission Control: the owner keeps conversations 90 days from the business
// profile; after a run, Usage says how many went this month. The server's clock moves (TestClock).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { launchBrowser } from '../helpers/browser';
import { publicChat, sid } from '../helpers/chat';
import { signInPage } from '../helpers/mission-control';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, TestClock, type TestServer } from '../helpers/server';

const clock = new TestClock();
let bob: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;
beforeAll(async () => {
  bob = await startTestServer({ clock });
  browser = await launchBrowser();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await bob?.close();
});

it('sets 90 days on the business profile, and Usage counts what a run removed this month', async () => {
  const old = sid();
  expect((await publicChat(bob, { session_id: old, business_id: 'business-co', message: 'an old question' })).status).toBe(200);
  clock.advance(100 * 86_400_000);
  expect((await publicChat(bob, { session_id: sid(), business_id: 'business-co', message: 'a new question' })).status).toBe(200);

  // The business is set up already (the first-login wizard is another test's).
  const owner = await login(bob, DEMO_OWNER);
  expect((await bob.send('PATCH', '/api/tenant', { settings: { onboarded: true } }, owner.bearer)).status).toBe(200);
  let page: Page;
  ({ context, page } = await signInPage({ bob, browser }, DEMO_OWNER, 'profile'));
  const form = page.getByRole('form', { name: 'Keep conversations' });
  await form.getByLabel('Keep conversations for').selectOption({ label: '90 days' });
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').getByText('Saved').waitFor();
  expect(await axeViolations(page)).toEqual([]);

  expect((await (await bob.fetch('/api/tenant', { headers: owner.bearer })).json()).settings.retention_days).toBe(90);
  const admin = await login(bob, DEMO_ADMIN);
  const run = await (await bob.send('POST', '/api/retention/run', {}, admin.bearer)).json();
  expect(run).toMatchObject({ sessions_removed: 1 });

  await page.goto(`${bob.url}/app/#/usage`);
  await page.getByText('1 conversation removed under the retention policy this month').waitFor();
  await page.getByText('Retention: conversations are removed 90 days after their last message.').waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('combobox', { name: 'Language' }).selectOption('it');
  await page.getByText('1 conversazione eliminata secondo la politica di conservazione questo mese').waitFor();
});

it('lets the platform admin set the longest retention on the Businesses page, shown to the owner as a cap', async () => {
  await context?.close();
  let page: Page;
  ({ context, page } = await signInPage({ bob, browser }, DEMO_ADMIN, 'businesses'));
  const form = page.getByRole('form', { name: 'Longest retention' });
  await form.getByLabel('Maximum for every business').fill('365');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').getByText('Saved').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  const admin = await login(bob, DEMO_ADMIN);
  expect(await (await bob.fetch('/api/settings/retention', { headers: admin.bearer })).json()).toEqual({ max_days: 365 });

  await context.close();
  ({ context, page } = await signInPage({ bob, browser }, DEMO_OWNER, 'profile'));
  await page.getByRole('form', { name: 'Keep conversations' }).getByText('The platform keeps conversations at most 365 days.').waitFor();
});
