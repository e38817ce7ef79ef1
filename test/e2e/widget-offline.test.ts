// When nobody is there (#23), end to end: the business is closed now, so the widget (English page)
// asks for an email and a message; the request shows in Live → Requests; the owner answers; the
// local SMTP server receives the email; the visitor comes back and finds the reply in the widget.
// Real server, real Chromium, a second origin for the site, a local SMTP server on 127.0.0.1.
import fs from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { axeViolations } from '../helpers/axe';
import { serveHostPage } from '../helpers/browser';
import { docShot, signInPage, startMissionControl } from '../helpers/mission-control';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, login, type TestServer } from '../helpers/server';
import { startSmtp, type LocalSmtp } from '../helpers/smtp';

const SMTP_PASSWORD = 'smtp-pass-1234';
const ALWAYS_CLOSED = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let bob: TestServer;
let browser: Browser;
let smtp: LocalSmtp;
let site: Awaited<ReturnType<typeof serveHostPage>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/widget.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  // The test's mail server listens on loopback: allowed only with BOB_ALLOW_PRIVATE_SMTP=1.
  mc = await startMissionControl({ BOB_ALLOW_PRIVATE_SMTP: '1' });
  ({ bob, browser } = mc);
  await setOnboarded(bob, true);
  smtp = await startSmtp(SMTP_PASSWORD);
  const owner = await login(bob, DEMO_OWNER);
  expect((await bob.send('PATCH', '/api/tenant', { settings: { hours: ALWAYS_CLOSED, timezone: 'UTC' } }, owner.bearer)).status).toBe(200);
  expect((await bob.send('PUT', '/api/settings/email', { host: '127.0.0.1', port: smtp.port, secure: false, user: '', from: 'shop@business.example' }, owner.bearer)).status).toBe(200);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  site = await serveHostPage(`<!doctype html><html lang="en"><head><title>Business Co</title></head><body><main><h1>Business Co</h1></main>${snippet}</body></html>`);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await site?.close();
  await smtp?.close();
  await mc?.close();
});

it('closed now: the widget takes an email and a message, Live → Requests answers it by email, and the visitor sees the reply on the next visit', async () => {
  // The visitor, on the business's site.
  const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  contexts.push(visitor);
  const page = await visitor.newPage();
  await page.goto(`http://localhost:${site.port}/`);
  await page.getByRole('button', { name: /^Chat with / }).click();
  const panel = page.getByRole('dialog', { name: /^Chat with / });
  // Closed: Bob still answers; asking for a person brings the form.
  await panel.getByRole('button', { name: 'Talk to a person' }).click();
  const form = panel.getByRole('form', { name: 'Send request' });
  await form.getByText('We are closed right now.').waitFor();
  // No contact: said, nothing sent.
  await form.getByRole('textbox', { name: 'Your message' }).fill('Do you ship to Milan?');
  await form.getByRole('button', { name: 'Send request' }).click();
  await form.getByRole('alert').getByText('Give an email address or a phone number.').waitFor();
  await form.getByRole('textbox', { name: 'Email' }).fill('visitor@example.com');
  await docShot(page, 'widget-offline-1280.png');
  await docShot(page, 'widget-offline-390.png', { width: 390, height: 844 });
  await page.setViewportSize({ width: 1280, height: 800 });
  await form.getByRole('button', { name: 'Send request' }).click();
  await panel.getByText('Thank you! We will answer you as soon as we can').waitFor();

  // The owner, in Live: "Requests (1)", opened by keyboard.
  const { context: staff, page: mcPage } = await signInPage(mc, DEMO_OWNER, 'live');
  contexts.push(staff);
  const toggle = mcPage.getByRole('button', { name: 'Requests (1)' });
  await toggle.focus();
  await mcPage.keyboard.press('Enter');
  await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
  const queue = mcPage.getByRole('region', { name: 'Requests to answer' });
  const item = queue.getByRole('listitem').filter({ hasText: 'visitor@example.com' });
  await item.getByText('Do you ship to Milan?').waitFor();
  await item.getByText('outside opening hours').waitFor();
  await expect(item.getByRole('link', { name: 'Open the conversation' }).getAttribute('href')).resolves.toMatch(/^#\/live\/[0-9a-f-]{36}$/);
  for (const scheme of ['light', 'dark'] as const) {
    await mcPage.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(mcPage), scheme).toEqual([]);
  }
  await docShot(mcPage, 'mc-live-requests-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844, show: mcPage.locator('section.requests-queue') });
  await docShot(mcPage, 'mc-live-requests-1280-light-en.png', { lang: 'en', scheme: 'light', width: 1280, height: 800 });

  // The reply, typed and sent from the keyboard.
  const reply = item.getByRole('textbox', { name: 'Reply to visitor@example.com' });
  await reply.fill('Yes, in two days.');
  await reply.press('Tab');
  await mcPage.keyboard.press('Enter');
  await queue.getByRole('status').getByText('Sent by email and added to the conversation.').waitFor();
  await queue.getByText('No requests waiting.').waitFor();
  await mcPage.getByRole('button', { name: 'Requests (0)' }).waitFor();
  await queue.getByRole('checkbox', { name: 'Show answered requests' }).check();
  await queue.getByRole('listitem').filter({ hasText: 'visitor@example.com' }).getByText(/^Answered /).waitFor();

  // The email, at the local SMTP server.
  await expect.poll(() => smtp.mails.length).toBe(1);
  expect(smtp.mails[0]!.to).toEqual(['visitor@example.com']);
  expect(smtp.mails[0]!.from).toBe('shop@business.example');
  expect(smtp.mails[0]!.data).toContain('Yes, in two days.');

  // The visitor comes back: the reply is in the widget.
  await page.reload();
  await page.getByRole('button', { name: /^Chat with / }).click();
  await panel.getByText('Yes, in two days.').waitFor();
  await panel.getByText('Do you ship to Milan?').waitFor();
});

it('Business profile → Email: saved, tested, a failing server said clearly in the test and in Live\'s reply (nothing stored)', async () => {
  const { context, page } = await signInPage(mc, DEMO_OWNER, 'profile');
  contexts.push(context);
  const form = page.getByRole('form', { name: 'Email' });
  await expect.poll(() => form.getByLabel('SMTP server').inputValue()).toBe('127.0.0.1');
  await expect(form.getByLabel('Password', { exact: true }).getAttribute('placeholder')).resolves.toBeNull(); // none saved in beforeAll
  await form.getByLabel('User name').fill('bob');
  await form.getByLabel('Password', { exact: true }).fill(SMTP_PASSWORD);
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').getByText('Saved').waitFor();
  await expect.poll(() => form.getByLabel('Password', { exact: true }).getAttribute('placeholder')).toBe('saved — leave empty to keep');
  expect(await form.getByLabel('Password', { exact: true }).inputValue()).toBe('');

  await form.getByLabel('Send a test to').fill('me@example.com');
  await form.getByRole('button', { name: 'Send test' }).click();
  await form.getByText('Test email sent.').waitFor();
  await expect.poll(() => smtp.mails.some((m) => m.to.includes('me@example.com'))).toBe(true);

  // The handoff timeout, on the same page.
  const timeout = page.getByRole('form', { name: 'Nobody takes the handoff' });
  await timeout.getByLabel('Offer to answer later after (minutes)').fill('12');
  await timeout.getByRole('button', { name: 'Save' }).click();
  await timeout.getByRole('status').getByText('Saved').waitFor();
  const owner = await login(bob, DEMO_OWNER);
  expect((await (await bob.fetch('/api/tenant', { headers: owner.bearer })).json()).settings.handoff_timeout_minutes).toBe(12);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page), scheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // A server that does not answer: the test says so with the SMTP error.
  const gone = await startSmtp();
  const deadPort = gone.port;
  await gone.close();
  await form.getByLabel('Port', { exact: true }).fill(String(deadPort));
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').getByText('Saved').waitFor();
  await form.getByRole('button', { name: 'Send test' }).click();
  await form.getByText(/^Test email not sent: .*ECONNREFUSED/).waitFor();

  // A visitor's request answered while the mail server is down: 502 email_failed, said in the
  // queue, and the request stays open (nothing stored).
  const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  contexts.push(visitor);
  const site_ = await visitor.newPage();
  await site_.goto(`http://localhost:${site.port}/`);
  await site_.getByRole('button', { name: /^Chat with / }).click();
  await site_.getByRole('button', { name: 'Talk to a person' }).click();
  const request = site_.getByRole('form', { name: 'Send request' });
  await request.getByRole('textbox', { name: 'Email' }).fill('second@example.com');
  await request.getByRole('textbox', { name: 'Your message' }).fill('Are you open on Sunday?');
  await request.getByRole('button', { name: 'Send request' }).click();
  await site_.getByText('Thank you! We will answer you as soon as we can').waitFor();

  await page.goto(`${bob.url}/app/#/live`);
  await page.getByRole('button', { name: 'Requests (1)' }).click();
  const item = page.getByRole('region', { name: 'Requests to answer' }).getByRole('listitem').filter({ hasText: 'second@example.com' });
  await item.getByRole('textbox', { name: 'Reply to second@example.com' }).fill('Yes, 10 to 13.');
  await item.getByRole('button', { name: 'Send reply' }).click();
  await item.getByRole('alert').getByText(/^The email could not be sent, nothing was saved: .*ECONNREFUSED/).waitFor();
  await page.getByRole('button', { name: 'Requests (1)' }).waitFor();
  expect(((await (await bob.fetch('/api/callbacks', { headers: owner.bearer })).json()) as { items: { email: string }[] }).items.map((r) => r.email)).toEqual(['second@example.com']);
});
