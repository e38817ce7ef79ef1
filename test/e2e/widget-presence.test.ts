// Presence in a conversation (issue #23) across two browsers: a visitor's widget on a customer's
// site and a staff member's Live page. Typing both ways, seen receipts both ways, timestamps, the
// unread badge on the closed launcher, and formatted agent messages rendered safely.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHostPage } from '../helpers/browser';
import { records } from '../helpers/db';
import { docShot, signInPage, startMissionControl } from '../helpers/mission-control';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, login, type Session, type TestServer } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let bob: TestServer;
let owner: Session;
let site: Awaited<ReturnType<typeof serveHostPage>>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mc = await startMissionControl();
  ({ bob } = mc);
  await setOnboarded(bob, true);
  owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  site = await serveHostPage(`<!doctype html><html lang="en"><head><title>Business Co</title></head><body><h1>Business Co</h1>${snippet}</body></html>`);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await site?.close();
  await mc?.close();
});

const panel = (page: Page) => page.getByRole('dialog', { name: 'Chat with Bob' });
const shadow = (page: Page) => page.locator('bob-widget');

describe('presence in a conversation: widget and Live', () => {
  it('typing, seen, timestamps, the unread badge and safe formatting, both ways', async () => {
    // The visitor asks for a person.
    const visitorContext = await mc.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(visitorContext);
    const visitor = await visitorContext.newPage();
    await visitor.goto(`http://localhost:${site.port}/`);
    await visitor.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel(visitor).getByText('Hi! How can I help you today?').waitFor();
    await panel(visitor).getByRole('button', { name: 'Talk to a person' }).click();
    await panel(visitor).getByText('A person from the team will join shortly').waitFor();
    const externalId = await visitor.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('bob:'))![1]);
    const id = (await records(bob).session(externalId))!.id;

    // Timestamps on every message: short time, the full date in the title.
    const times = shadow(visitor).locator('.at time');
    await expect.poll(() => times.count()).toBeGreaterThanOrEqual(2);
    const first = times.first();
    expect(await first.textContent()).toMatch(/^\d{1,2}:\d{2}/);
    expect(await first.getAttribute('title')).toContain(String(new Date().getFullYear()));
    expect(await first.getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // Staff open the conversation in Live: the visitor sees "Seen" under their message.
    const { context: staffContext, page: staff } = await signInPage(mc, DEMO_OWNER, `live/${id}`);
    contexts.push(staffContext);
    await staff.getByText('I would like to talk to a person').waitFor();
    await shadow(visitor).getByText('Seen', { exact: false }).waitFor({ timeout: 5000 });
    expect(await shadow(visitor).locator('.at.visitor .seen').count()).toBe(1);
    // Live shows times too.
    expect(await staff.locator('.transcript time.when').count()).toBeGreaterThan(0);

    // Staff type: the widget says who is typing.
    await staff.getByRole('textbox', { name: 'Reply to the visitor…' }).fill('Hello, I am ');
    const typingNote = panel(visitor).getByRole('status').filter({ hasText: /is typing…/ });
    await typingNote.waitFor({ timeout: 5000 });

    // The visitor types: Live says so.
    await panel(visitor).getByRole('textbox', { name: 'Write a message…' }).fill('I have a question about');
    await staff.getByText('Visitor is typing…').waitFor({ timeout: 5000 });
    await docShot(visitor, 'widget-presence-typing-1280.png');
    await docShot(visitor, 'widget-presence-typing-390.png', { width: 390, height: 844 });
    await visitor.setViewportSize({ width: 1280, height: 800 });

    // A formatted agent message: bold and a link, rendered safely; hostile markup stays text.
    await staff.getByRole('textbox', { name: 'Reply to the visitor…' }).fill('See **our hours** at https://shop.example/hours\n- <img src=x onerror="window.pwned=1">\n- [click](javascript:window.pwned=2)');
    await staff.getByRole('button', { name: 'Send', exact: true }).click();
    const bubble = panel(visitor).locator('.msg.agent').last();
    await bubble.getByText('our hours').waitFor({ timeout: 5000 });
    expect(await bubble.locator('strong').textContent()).toBe('our hours');
    const link = bubble.locator('a');
    expect(await link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe('https://shop.example/hours');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await bubble.locator('li').count()).toBe(2);
    expect(await bubble.locator('img').count()).toBe(0);
    await bubble.getByText('<img src=x onerror="window.pwned=1">').waitFor();
    expect(await visitor.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // The typing indicator went with the message.
    await typingNote.waitFor({ state: 'detached', timeout: 7000 });
    // Live renders it by the same rules.
    const staffBubble = staff.locator('.transcript .bubble.agent').last();
    await staffBubble.locator('a[href="https://shop.example/hours"][target="_blank"][rel="noopener noreferrer"]').waitFor({ timeout: 5000 });
    expect(await staffBubble.locator('strong').textContent()).toBe('our hours');
    expect(await staffBubble.locator('img, a[href^="javascript"]').count()).toBe(0);

    // The widget is open and visible: staff see "Seen by the visitor".
    await staff.getByText('Seen by the visitor').waitFor({ timeout: 5000 });
    await docShot(staff, 'mc-live-presence-1280-light-en.png');
    await docShot(staff, 'mc-live-presence-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844 });

    // The visitor closes the widget; two replies arrive: the launcher counts them.
    await panel(visitor).getByRole('button', { name: 'Close chat' }).click();
    for (const message of ['Are you still there?', 'I can help with your booking.']) {
      expect((await bob.send('POST', '/api/chat/message', { session_id: externalId, message }, owner.bearer)).status).toBe(201);
    }
    const launcher = visitor.getByRole('button', { name: /Chat with Bob \(new messages: 2\)/ });
    await launcher.waitFor({ timeout: 5000 });
    expect(await shadow(visitor).locator('.badge').textContent()).toBe('2');
    await docShot(visitor, 'widget-presence-badge-1280.png');
    await docShot(visitor, 'widget-presence-badge-390.png', { width: 390, height: 844 });
    await launcher.click();
    await panel(visitor).getByText('I can help with your booking.').waitFor();
    expect(await shadow(visitor).locator('.badge').isHidden()).toBe(true);
    await visitor.getByRole('button', { name: 'Chat with Bob', exact: true }).waitFor();
  });

  it('flashes the title of a hidden tab and restores it once seen again', async () => {
    const context = await mc.browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    // The tab is in the background: the page reports itself hidden until told otherwise.
    await page.addInitScript(() => {
      let hidden = true;
      Object.defineProperty(document, 'hidden', { get: () => hidden });
      Object.defineProperty(document, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible') });
      (window as unknown as { show: () => void }).show = () => {
        hidden = false;
        document.dispatchEvent(new Event('visibilitychange'));
      };
    });
    await page.goto(`http://localhost:${site.port}/`);
    await page.getByRole('button', { name: 'Chat with Bob' }).click({ timeout: 10_000 });
    await panel(page).getByRole('button', { name: 'Talk to a person' }).click({ timeout: 10_000 });
    await panel(page).getByText('A person from the team will join shortly').waitFor({ timeout: 5000 });
    const externalId = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('bob:'))![1]);
    expect((await bob.send('POST', '/api/chat/message', { session_id: externalId, message: 'Hello from the team' }, owner.bearer)).status).toBe(201);
    await panel(page).getByText('Hello from the team').waitFor({ timeout: 5000 });
    await expect.poll(() => page.title()).toBe('(1) New message');
    // It flashes: the page's own title comes back in turn, then the notice again.
    await expect.poll(() => page.title()).toBe('Business Co');
    await expect.poll(() => page.title()).toBe('(1) New message');
    await page.evaluate(() => (window as unknown as { show: () => void }).show());
    await expect.poll(() => page.title()).toBe('Business Co');
    // Seen: the flashing has stopped (a flash would have come within a second).
    await page.waitForTimeout(1500);
    expect(await page.title()).toBe('Business Co');
  });
});
