import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

// A business's own site (a second origin) with the Widget Setup snippet pasted in.
const HOST_CSS = `
  * { color: rgb(0, 128, 0) !important; font-family: "Comic Sans MS", cursive !important; }
  button { background: rgb(255, 0, 0) !important; font-size: 40px !important; border-radius: 0 !important; }
  div { border: 3px dotted purple !important; }
`;
let bob: TestServer;
let browser: Browser;
let owner: Session;
let site: Awaited<ReturnType<typeof serveHostPage>>;
const SHOTS = 'test-results/screenshots'; // copied into docs/screenshots for the README

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/widget.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  fs.mkdirSync(SHOTS, { recursive: true });
  bob = await startTestServer();
  owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  site = await serveHostPage(`<!doctype html><html lang="en"><head><title>Business Co</title><style>${HOST_CSS}</style></head>
    <body><h1>Business Co</h1><button id="host-button">Host button</button>${snippet}</body></html>`);
  browser = await launchBrowser(['shop.customer.test']);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await bob?.close();
});

async function visit(origin = `http://localhost:${site.port}`, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: 'Chat with Bob' }).waitFor();
  return { page, context };
}

const panel = (page: Page) => page.getByRole('dialog', { name: 'Chat with Bob' });
async function ask(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Write a message…' });
  await box.fill(text);
  await box.press('Enter');
}

describe('the widget on a customer\'s site', () => {
  it('opens, answers with the published price, and keeps the conversation across reloads', async () => {
    const { page, context } = await visit();
    await page.screenshot({ path: `${SHOTS}/widget-closed.png` });
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel(page).waitFor();
    await panel(page).getByText('Hi! How can I help you today?').waitFor();
    await ask(page, 'How much is a tax return?');
    await panel(page).getByText(/Tax return costs €180\.00 each/).waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${SHOTS}/widget-open.png` });

    await page.reload();
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel(page).getByText('How much is a tax return?').waitFor();
    await panel(page).getByText(/Tax return costs €180\.00 each/).waitFor();
    await context.close();
  });

  it('sends what the visitor typed before its settings arrived, once they have (a slow server)', async () => {
    const { page, context } = await visit();
    // Hold the real config response until the question is sent: the visitor is faster than the server.
    let release!: () => void;
    const sent = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/widget/config', async (route) => {
      await sent;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await ask(page, 'How much is a tax return?');
    release();
    await panel(page).getByText(/Tax return costs €180\.00 each/).waitFor({ timeout: 5000 });
    await expect.poll(() => panel(page).getByText('How much is a tax return?').count()).toBe(1);
    await context.close();
  });

  it('hands off to a person, and the agent\'s reply arrives live', async () => {
    const { page, context } = await visit();
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel(page).getByText('Hi! How can I help you today?').waitFor();
    await panel(page).getByRole('button', { name: 'Talk to a person' }).click();
    await panel(page).getByText('A person from the team will join shortly').waitFor();
    const externalId = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('bob:'))![1]);

    const started = Date.now();
    const sent = await bob.send('POST', '/api/chat/message', { session_id: externalId, message: 'Ciao, sono Anna di Business Co.' }, owner.bearer);
    expect(sent.status).toBe(201);
    await panel(page).getByText('Ciao, sono Anna di Business Co.').waitFor({ timeout: 2000 });
    expect(Date.now() - started).toBeLessThan(2000);
    await panel(page).getByText('You are chatting with the team').waitFor();
    await context.close();
  });

  it('says once, plainly, that a person is coming after two questions Bob cannot answer', async () => {
    const { page, context } = await visit();
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel(page).getByText('Hi! How can I help you today?').waitFor();
    await ask(page, 'What is the airspeed velocity of an unladen swallow?');
    await panel(page).getByText(/Would you like me to bring in a person/).waitFor();
    await ask(page, 'Can you repaint my boat on Tuesday?');
    await panel(page).getByText('A person from the team will join shortly').waitFor();
    const plain = "I can't answer that either, so I'm bringing in a person from the team: they'll reply here shortly.";
    const bubbles = () => page.locator('bob-widget .msg').allTextContents();
    // Live: the reply and the same message arriving on the visitor's stream make one bubble.
    await page.waitForTimeout(500);
    expect((await bubbles()).filter((b) => /bringing in a person/.test(b))).toEqual([plain]);
    await page.reload();
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel(page).getByText('Can you repaint my boat on Tuesday?').waitFor();
    expect((await bubbles()).filter((b) => /bringing in a person/.test(b))).toEqual([plain]);
    await context.close();
  });

  it('says clearly when the site is not allowed, and nothing it sends succeeds', async () => {
    const { page, context } = await visit(`http://shop.customer.test:${site.port}`);
    const before = bob.logs.length;
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel(page).getByRole('alert').getByText('Chat is not enabled for this site yet.').waitFor();
    await expect(panel(page).getByRole('textbox').isVisible()).resolves.toBe(false);
    const calls = bob.logs.slice(before).map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.path.startsWith('/api/widget/'));
    expect(calls.every((l) => l.method === 'OPTIONS' || l.status >= 400)).toBe(true);
    await context.close();
  });

  it('is untouched by the host page\'s CSS and leaves the host page untouched', async () => {
    const { page, context } = await visit();
    const hostButton = await page.locator('#host-button').evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(hostButton).toBe('rgb(255, 0, 0)');
    const launcher = await page.getByRole('button', { name: 'Chat with Bob' }).evaluate((b) => {
      const s = getComputedStyle(b);
      return { background: s.backgroundColor, radius: s.borderRadius, font: s.fontSize };
    });
    expect(launcher.background).not.toBe('rgb(255, 0, 0)');
    expect(launcher.radius).toBe('50%');
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    const greeting = panel(page).getByText('Hi! How can I help you today?');
    await greeting.waitFor();
    const text = await greeting.evaluate((el) => ({ color: getComputedStyle(el).color, font: getComputedStyle(el).fontFamily }));
    expect(text.color).not.toBe('rgb(0, 128, 0)');
    expect(text.font).not.toMatch(/Comic/);
    // The widget added no global style: the host's elements look exactly as before.
    expect(await page.locator('h1').evaluate((h) => getComputedStyle(h).fontFamily)).toMatch(/Comic/);
    expect(await page.evaluate(() => document.querySelectorAll('head style, link[rel=stylesheet]').length)).toBe(1);
    await context.close();
  });

  it('works with the keyboard alone', async () => {
    const { page, context } = await visit();
    await page.keyboard.press('Tab'); // host button
    await page.keyboard.press('Tab'); // Bob's launcher
    await page.keyboard.press('Enter');
    await panel(page).getByText('Hi! How can I help you today?').waitFor();
    await page.keyboard.type('Quanto costa il tax return?');
    await page.keyboard.press('Enter');
    await panel(page).getByText(/180,00/).waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
    await expect(panel(page).isVisible()).resolves.toBe(false);
    const focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label'));
    expect(focused).toBe('Chat with Bob');
    await context.close();
  });

  it('greets an Italian page in Italian, with the owner\'s own Italian greeting', async () => {
    const res = await bob.send('PATCH', '/api/tenant', { settings: { greeting_it: 'Buongiorno! Come possiamo aiutarla?' } }, owner.bearer);
    expect(res.status).toBe(200);
    const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
    const italian = await serveHostPage(`<!doctype html><html lang="it"><head><title>Business Co</title></head><body><h1>Business Co</h1>${snippet}</body></html>`);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`http://localhost:${italian.port}/`);
      await page.getByRole('button', { name: 'Chatta con Bob' }).click();
      await page.getByRole('dialog', { name: 'Chatta con Bob' }).getByText('Buongiorno! Come possiamo aiutarla?').waitFor();
      // English pages keep the English greeting.
      const en = await visit();
      await en.page.getByRole('button', { name: 'Chat with Bob' }).click();
      await panel(en.page).getByText('Hi! How can I help you today?').waitFor();
      await en.context.close();
    } finally {
      await context.close();
      await italian.close();
    }
  });

  it('fills a phone screen', async () => {
    const { page, context } = await visit(undefined, { width: 390, height: 844 });
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel(page).getByText('Hi! How can I help you today?').waitFor();
    const box = await panel(page).boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/widget-mobile.png` });
    await context.close();
  });
});
