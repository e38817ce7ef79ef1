// Issue #23 in the widget: a conversation closed by staff asks for a rating (keyboard only), the
// visitor starts a new conversation and finds the earlier one listed, read-only; a business that
// asks "Bob or a person?" gets the choice before the first message. Real server, real Chromium.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { axeViolations } from '../helpers/axe';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { records } from '../helpers/db';
import { docShot, signInPage } from '../helpers/mission-control';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, startTestServer, type Session, type TestServer } from '../helpers/server';

let bob: TestServer;
let owner: Session;
let browser: Browser;
let site: Awaited<ReturnType<typeof serveHostPage>>;

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/parts/rating.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  bob = await startTestServer();
  owner = await setOnboarded(bob, true); // Usage, not the first-run wizard, when the owner signs in
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  site = await serveHostPage(`<!doctype html><html lang="en"><head><title>Business Co</title></head><body><main><h1>Business Co</h1></main>${snippet}</body></html>`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await bob?.close();
});

const widgetSessions = async () => (await records(bob).sessions()).filter((s) => s.channel === 'widget');

it('asks for a rating when staff close the conversation, then a new conversation lists the earlier one', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`http://localhost:${site.port}/`);
  await page.getByRole('button', { name: 'Chat with Bob' }).click();
  const panel = page.getByRole('dialog', { name: 'Chat with Bob' });
  const box = panel.getByRole('textbox', { name: 'Write a message…' });
  await box.fill('Hello, a question about my invoice');
  await box.press('Enter');
  await expect.poll(async () => (await widgetSessions()).map((s) => s.message_count)).toEqual([2]);
  const first = (await widgetSessions())[0]!.external_id;
  // "Talk to a person" is there while the conversation is with Bob.
  await panel.getByRole('button', { name: 'Talk to a person' }).waitFor();

  expect((await bob.send('POST', `/api/chat/sessions/${first}/close`, {}, owner.bearer)).status).toBe(200);
  const rating = panel.getByRole('group', { name: 'How was this conversation?' });
  await rating.waitFor();
  // Closed: the rating and a new conversation are offered, not a person.
  await panel.getByRole('button', { name: 'Talk to a person' }).waitFor({ state: 'hidden' });
  expect(await axeViolations(page)).toEqual([]);
  await docShot(page, 'widget-rating-1280.png');
  await docShot(page, 'widget-rating-390.png', { width: 390, height: 844 });
  await page.setViewportSize({ width: 1280, height: 800 });
  // Keyboard only: the first star, arrows to the fourth, Tab to the comment, Tab to Send.
  await rating.getByRole('radio', { name: '1 of 5' }).focus();
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Helpful');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await panel.getByText('Thank you for your rating!').waitFor();
  const stored = await (await bob.fetch(`/api/chat/sessions/${first}/rating`, { headers: owner.bearer })).json();
  expect(stored.rating).toMatchObject({ score: 4, comment: 'Helpful', agent_id: null });
  const today = new Date().toISOString().slice(0, 10);
  const usage = await (await bob.fetch(`/api/usage?from=${today}&to=${today}`, { headers: owner.bearer })).json();
  expect(usage.csat).toMatchObject({ count: 1, average: 4, bob: { count: 1, average: 4 } });
  // Usage shows it to the team.
  const { context: mcContext, page: mcPage } = await signInPage({ bob, browser }, DEMO_OWNER, 'usage');
  const csat = mcPage.getByTestId('csat-usage');
  await csat.getByText('Bob').first().waitFor();
  await docShot(mcPage, 'mc-usage-csat-1280-light-en.png', { show: csat });
  await docShot(mcPage, 'mc-usage-csat-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844, show: csat });
  await mcContext.close();

  // After a reload the rated conversation says thanks again; the form does not come back.
  await page.reload();
  await page.getByRole('button', { name: 'Chat with Bob' }).click();
  await panel.getByText('Thank you for your rating!').waitFor();
  await panel.getByRole('button', { name: 'Start a new conversation' }).waitFor();
  expect(await rating.count()).toBe(0);
  expect(await panel.getByRole('button', { name: 'Talk to a person' }).isVisible()).toBe(false);

  // A new conversation: a new session id; the earlier one listed and opened read-only.
  await panel.getByRole('button', { name: 'Start a new conversation' }).click();
  await box.fill('Something else now');
  await box.press('Enter');
  await expect.poll(async () => (await widgetSessions()).length).toBe(2);
  await panel.getByRole('button', { name: 'Earlier conversations' }).click();
  const earlier = panel.getByRole('region', { name: 'Earlier conversations' });
  const item = earlier.locator(`[data-session="${first}"]`);
  await item.waitFor();
  await item.click();
  await earlier.getByText('Hello, a question about my invoice').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await docShot(page, 'widget-earlier-1280.png');
  await docShot(page, 'widget-earlier-390.png', { width: 390, height: 844 });
  await earlier.getByRole('button', { name: 'Close earlier conversations' }).click();
  await earlier.waitFor({ state: 'detached' });
  await panel.getByText('Something else now').waitFor();
  await context.close();
});

it('asks "Bob or a person?" before the first message when the business wants it; a person → handoff', async () => {
  expect((await bob.send('PATCH', '/api/tenant', { settings: { ask_bob_or_person: true } }, owner.bearer)).status).toBe(200);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`http://localhost:${site.port}/`);
  await page.getByRole('button', { name: 'Chat with Bob' }).click();
  const panel = page.getByRole('dialog', { name: 'Chat with Bob' });
  const choice = panel.getByRole('group', { name: 'Chat with Bob or wait for a person?' });
  await choice.waitFor();
  await docShot(page, 'widget-bob-or-person-1280.png');
  await docShot(page, 'widget-bob-or-person-390.png', { width: 390, height: 844 });
  const before = (await widgetSessions()).length;
  await choice.getByRole('button', { name: 'Wait for a person' }).click();
  await expect.poll(async () => (await widgetSessions()).length).toBe(before + 1);
  await expect.poll(async () => (await widgetSessions()).at(-1)!.status).toBe('waiting_for_agent');
  await choice.waitFor({ state: 'detached' });
  await context.close();
});
