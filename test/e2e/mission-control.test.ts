import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RENDERER_DIR } from '../../src/server/server';
import { launchBrowser } from '../helpers/browser';
import { demoKey, publicChat, sid } from '../helpers/chat';
import { DEMO_ADMIN, DEMO_OWNER, startTestServer, type TestServer } from '../helpers/server';
import { SseClient } from '../helpers/sse';

const SHOTS = 'test-results/screenshots';
let bob: TestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_RENDERER_DIR}/index.html`)) throw new Error('Mission Control is not built: run `npm run build` (npm test does it)');
  fs.mkdirSync(SHOTS, { recursive: true });
  bob = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await bob?.close();
});
beforeEach(async () => {
  await context?.close();
});

async function signIn(who: { email: string; password: string }, path = 'live'): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bob.url });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${bob.url}/app/#/${path}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status').getByText('Live').waitFor();
  return page;
}

describe('Mission Control', () => {
  it('shows a new visitor in Live without a reload; the admin takes over and the visitor gets the reply', async () => {
    const page = await signIn(DEMO_ADMIN);
    const session_id = sid();
    const started = Date.now();
    await publicChat(bob, { session_id, message: 'voglio parlare con un operatore' });
    const row = page.getByRole('link', { name: /waiting/ });
    await row.waitFor({ timeout: 2000 });
    expect(Date.now() - started).toBeLessThan(2000);
    await page.screenshot({ path: `${SHOTS}/live.png` });
    await row.click();

    const internalId = bob.db.prepare('SELECT id FROM chat_sessions WHERE external_id = ?').pluck().get(session_id) as string;
    // The visitor side: the same stream the widget listens to (platform tenant's demo key).
    const visitor = await SseClient.open(`${bob.url}/api/widget/stream?session_id=${session_id}&key=${demoKey(bob, 'office16852-platform')}`, { Origin: 'http://localhost:3000' });
    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByText('With a person').first().waitFor();
    await page.getByRole('textbox', { name: 'Reply to the visitor…' }).fill('Ciao! Sono dell’ufficio, come posso aiutarti?');
    await page.getByRole('button', { name: 'Send' }).click();
    const got = await visitor.next((e) => e.event === 'message' && e.data.author === 'agent', 2000);
    expect(got.data.body).toBe('Ciao! Sono dell’ufficio, come posso aiutarti?');
    visitor.close();
    await page.getByRole('textbox', { name: /Internal note/ }).fill('Wants a quote for 12 seats');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Wants a quote for 12 seats').waitFor();
    await page.screenshot({ path: `${SHOTS}/live-transcript.png` });
    expect(bob.db.prepare(`SELECT status FROM chat_sessions WHERE id = ?`).pluck().get(internalId)).toBe('agent');
  });

  it('saves a persona edit and the next bot reply uses the new name', async () => {
    const page = await signIn(DEMO_OWNER, 'personas');
    await page.getByRole('link', { name: 'Personas' }).click();
    const name = page.getByLabel(/^Name/);
    await name.waitFor();
    await name.fill('Giulia');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved').waitFor();
    await page.screenshot({ path: `${SHOTS}/personas.png` });
    const reply = await (await publicChat(bob, { session_id: sid(), business_id: 'business-co', message: 'hello' })).json();
    expect(reply.persona.name).toBe('Giulia');
    expect(reply.reply).toContain('Giulia');
  });

  it('creates a widget key for a new site and copies the snippet', async () => {
    const page = await signIn(DEMO_OWNER, 'widget');
    await page.getByRole('link', { name: 'Widget' }).click();
    const create = page.getByRole('form', { name: 'Create key' });
    await create.getByLabel('Label').fill('Shop');
    await create.getByLabel('Allowed sites (one per line)').fill('https://shop.business.example');
    await create.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('article', { name: 'Shop' }).waitFor();
    const key = bob.db.prepare(`SELECT allowed_origins FROM widget_keys WHERE label = 'Shop'`).pluck().get();
    expect(JSON.parse(key as string)).toEqual(['https://shop.business.example']);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip).toMatch(/^<script src="http:\/\/127\.0\.0\.1:\d+\/widget\/[0-9a-f-]{36}\/widget\.js" async><\/script>$/);
    await page.screenshot({ path: `${SHOTS}/widget.png` });
  });

  it('publishes a pricebook draft and the public pricebook changes', async () => {
    const page = await signIn(DEMO_ADMIN, 'pricebook');
    await page.getByRole('link', { name: 'Pricebook' }).click();
    await page.getByRole('button', { name: 'New draft' }).click();
    const price = page.getByLabel('Pro List price (month)');
    await price.fill('259', { timeout: 5000 });
    await page.getByRole('cell', { name: '$259' }).waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${SHOTS}/pricebook.png` });
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { name: 'Published version 2' }).waitFor({ timeout: 5000 });
    const pb = await (await bob.fetch('/api/pricebook')).json();
    expect(pb.plans.find((p: { id: string }) => p.id === 'pro').price_month).toBe(259);
  });
});
