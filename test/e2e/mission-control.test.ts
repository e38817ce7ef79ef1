import { SHOTS, startMissionControl } from '../helpers/mission-control';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoKey, publicChat, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, login, type TestServer } from '../helpers/server';
import { SseClient } from '../helpers/sse';

let bob: TestServer;
let browser: Browser;
let context: BrowserContext;

let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  ({ bob, browser } = mc);
});
afterAll(() => mc?.close());
beforeEach(async () => {
  await context?.close();
});

/** Marks the demo business as onboarded (through the API), for tests that are about other pages. */
async function onboarded(value: boolean) {
  const owner = await login(bob, DEMO_OWNER);
  await bob.send('PATCH', '/api/tenant', { settings: { onboarded: value } }, owner.bearer);
}

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

    const internalId = (await records(bob).session(session_id))!.id;
    // The visitor side: the same stream the widget listens to (platform tenant's demo key).
    const visitor = await SseClient.open(`${bob.url}/api/widget/stream?session_id=${session_id}&key=${await demoKey(bob, 'office16852-platform')}`, { Origin: 'http://localhost:3000' });
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
    expect((await records(bob).sessions()).find((s) => s.id === internalId)?.status).toBe('agent');
    // Another visitor writes meanwhile: their row shows how many messages are new.
    await publicChat(bob, { session_id: sid(), message: 'How much is Base?' });
    await page.getByLabel('2 new').waitFor({ timeout: 2000 });
  });

  it('walks the customer through onboarding to its snippet, inside its own business only', async () => {
    await onboarded(false);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${bob.url}/app/`);
    await page.getByLabel('Email').fill(DEMO_OWNER.email);
    await page.getByLabel('Password').fill(DEMO_OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Set up Bob for your site' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/onboarding.png` });
    await page.getByLabel('Which sites will show the chat?').fill('https://www.business-co.example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('What should your assistant be called?').fill('Bea');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('What should it say first? (English)').fill('Ciao! Sono Bea di Business Co.');
    await page.getByLabel('What should it say first? (Italian)').fill('Ciao! Sono Bea di Business Co.');
    await page.getByRole('button', { name: 'Finish and get the snippet' }).click();
    const snippet = page.getByTestId('snippet');
    await snippet.waitFor();
    const tenantId = (await records(bob).tenant('business-co'))!.id;
    expect(await snippet.textContent()).toContain(`/widget/${tenantId}/widget.js`);
    const origins = (await records(bob).widgetKeys()).find((k) => k.tenant_id === tenantId && k.label.toLowerCase().startsWith('demo'))!.allowed_origins;
    expect(origins).toContain('https://www.business-co.example');
    const config = await (await bob.fetch('/api/widget/config', { headers: { 'X-Widget-Key': await demoKey(bob), Origin: 'https://www.business-co.example' } })).json();
    expect(config).toMatchObject({ persona: { name: 'Bea' }, greeting: 'Ciao! Sono Bea di Business Co.' });
    // Platform routes stay closed to the customer.
    expect(await page.evaluate(async () => (await fetch('/api/pricebook/versions')).status)).toBe(403);
    expect(await page.evaluate(async () => (await fetch('/api/chat/sessions?business_id=office16852-platform')).status)).toBe(404);
  });

  it('saves a persona edit as a draft, publishes it, and the next bot reply uses the new name', async () => {
    await onboarded(true);
    const page = await signIn(DEMO_OWNER, 'personas');
    await page.getByRole('link', { name: 'Personas' }).click();
    const name = page.getByLabel(/^Name/);
    await name.waitFor();
    await name.fill('Giulia');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').getByText('Draft saved').waitFor();
    await page.getByText('Unpublished changes').waitFor();
    // A draft is not what visitors see yet.
    const before = await (await publicChat(bob, { session_id: sid(), business_id: 'business-co', message: 'hello' })).json();
    expect(before.persona.name).not.toBe('Giulia');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('status').getByText(/^Published as version \d+\.$/).waitFor();
    await page.screenshot({ path: `${SHOTS}/personas.png` });
    const reply = await (await publicChat(bob, { session_id: sid(), business_id: 'business-co', message: 'hello' })).json();
    expect(reply.persona.name).toBe('Giulia');
    expect(reply.reply).toContain('Giulia');
  });

  it('creates a widget key for a new site and copies the snippet', async () => {
    await onboarded(true);
    const page = await signIn(DEMO_OWNER, 'widget');
    await page.getByRole('link', { name: 'Widget' }).click();
    const create = page.getByRole('form', { name: 'Create key' });
    await create.getByLabel('Label').fill('Shop');
    await create.getByLabel('Allowed sites (one per line)').fill('https://shop.business.example');
    await create.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('article', { name: 'Shop' }).waitFor();
    const key = (await records(bob).widgetKeys()).find((k) => k.label === 'Shop')?.allowed_origins;
    expect(key).toEqual(['https://shop.business.example']);
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
    await page.getByText('$249 → $259').waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${SHOTS}/pricebook.png` });
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('dialog', { name: 'Publish version 2?' }).getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { name: 'Published version 2' }).waitFor({ timeout: 5000 });
    const pb = await (await bob.fetch('/api/pricebook')).json();
    expect(pb.plans.find((p: { id: string }) => p.id === 'pro').price_month).toBe(259);
  });

  it('renders every page without errors (and screenshots each at 1280×800)', async () => {
    await publicChat(bob, { session_id: sid(), business_id: 'office16852-platform', message: 'How much is Enterprise?' });
    const page = await signIn(DEMO_ADMIN);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('response', (r) => r.status() >= 500 && problems.push(`${r.status()} ${r.url()}`));
    for (const section of ['live', 'history', 'personas', 'widget', 'pricebook', 'team', 'usage', 'audit', 'settings']) {
      await page.goto(`${bob.url}/app/#/${section}`);
      await page.getByRole('link', { name: new RegExp(`^${section}$`, 'i') }).and(page.locator('[aria-current="page"]')).waitFor();
      await page.waitForLoadState('networkidle').catch(() => {});
      await page.getByText('Loading…').first().waitFor({ state: 'detached', timeout: 5000 }); // none left stuck loading
      await page.screenshot({ path: `${SHOTS}/mc-${section}.png` });
    }
    expect(problems).toEqual([]);
  });
});
