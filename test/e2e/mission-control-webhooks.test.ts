import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SHOTS, startMissionControl } from '../helpers/mission-control';
import { eventually } from '../helpers/eventually';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, type Session } from '../helpers/server';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let receiver: Receiver;
let context: BrowserContext;
let owner: Session;
beforeAll(async () => {
  mc = await startMissionControl({ BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms' });
  receiver = await startReceiver();
  owner = await setOnboarded(mc.bob, true);
});
afterAll(async () => {
  await context?.close();
  await receiver?.close();
  await mc?.close();
});

async function endpointOf(url: string): Promise<{ waiting: number }> {
  const list = (await (await mc.bob.fetch('/api/webhooks', { headers: owner.bearer })).json()) as { data: { url: string; waiting: number }[] };
  return list.data.find((e) => e.url === url)!;
}

async function signIn(locale: string): Promise<Page> {
  context = await mc.browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${mc.bob.url}/app/#/webhooks`);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: /Sign in|Accedi/ }).click();
  return page;
}

it('an owner adds an endpoint, copies the secret shown once, sends a test, and reads the delivery log', async () => {
  const page = await signIn('en-US');
  await page.getByText('0 of 3 integrations in use (your plan)').waitFor();
  const form = page.getByRole('form', { name: 'Add endpoint' });
  await form.getByLabel('Endpoint URL').fill(receiver.url);
  await form.getByLabel('Description (optional)').fill('Our CRM');
  await form.getByLabel(/A persona changes/).uncheck();
  await form.getByRole('button', { name: 'Add endpoint' }).click();

  const secret = await page.getByTestId('webhook-secret').textContent();
  expect(secret).toMatch(/^whsec_/);
  receiver.trust(secret!);
  await page.getByText('1 of 3 integrations in use (your plan)').waitFor();
  const card = page.getByRole('article', { name: receiver.url });
  await card.getByText(`whsec_…${secret!.slice(-4)}`).waitFor();
  await page.screenshot({ path: `${SHOTS}/mc-webhooks-secret.png` });
  await page.getByRole('button', { name: 'I have saved it' }).click();
  expect(await page.getByTestId('webhook-secret').count()).toBe(0);

  await card.getByRole('button', { name: 'Send test' }).click();
  await card.getByText(/Test delivered: HTTP 204 in \d+ ms/).waitFor();
  expect(receiver.received.at(-1)).toMatchObject({ type: 'webhook.test', verifiedWith: secret });

  // A real event: a visitor starts a conversation; it appears in the log as delivered.
  await mc.bob.send('POST', '/api/chat', { session_id: 'webhook-e2e', message: 'Hello', business_id: 'business-co' });
  await card.getByRole('button', { name: 'Deliveries' }).click();
  const row = card.getByRole('row', { name: /session\.created/ });
  await row.getByText('Delivered').waitFor({ timeout: 8000 });
  await row.getByRole('button', { name: 'Details' }).click();
  await card.getByText('Request body').waitFor();
  await card.getByText(/HTTP 204/).first().waitFor();
  await page.screenshot({ path: `${SHOTS}/mc-webhooks.png`, fullPage: true });
  expect(receiver.received.some((r) => r.type === 'session.created' && r.verifiedWith === secret)).toBe(true);

  // Turned off by Bob when the receiver says 410, with the reason on the card; turned back on.
  receiver.answer(() => ({ status: 410 }));
  await mc.bob.send('POST', '/api/chat', { session_id: 'webhook-e2e-2', message: 'Hi', business_id: 'business-co' });
  await card.getByText('Turned off by Bob').waitFor({ timeout: 8000 });
  await card.getByText(/410 Gone/).waitFor();
  receiver.answer(() => ({ status: 204 }));
  await card.getByRole('button', { name: 'Turn on' }).click();
  await card.getByText('On', { exact: true }).waitFor();

  // Paused by a person: events wait for it, and the card says how many.
  await card.getByRole('button', { name: 'Turn off' }).click();
  await card.getByText('Off', { exact: true }).waitFor();
  const before = receiver.received.length;
  await mc.bob.send('POST', '/api/chat', { session_id: 'webhook-e2e-3', message: 'Anyone there?', business_id: 'business-co' });
  const pill = card.getByText(/^\d+ events waiting$/);
  await pill.waitFor({ timeout: 8000 });
  // The card shows what the server counts: session.created, message.created for the visitor and Bob, …
  await eventually(async () => {
    const { waiting } = await endpointOf(receiver.url);
    return waiting >= 3 && (await pill.textContent()) === `${waiting} events waiting`;
  }, 8000, 'the waiting count on the card');
  await page.screenshot({ path: `${SHOTS}/mc-webhooks-waiting.png` });
  expect(receiver.received.length).toBe(before);
});

it('speaks Italian and refuses a bad URL with the server\'s reason', async () => {
  const page = await signIn('it-IT');
  await page.getByText(/integrazioni in uso/).waitFor();
  const form = page.getByRole('form', { name: 'Aggiungi endpoint' });
  await form.getByLabel("URL dell'endpoint").fill('http://user:pw@127.0.0.1:9/x');
  await form.getByRole('button', { name: 'Aggiungi endpoint' }).click();
  await form.getByRole('alert').getByText(/user name or password/).waitFor();
  // The endpoint paused in the first test still has its events waiting.
  const { waiting } = await endpointOf(receiver.url);
  expect(waiting).toBeGreaterThan(0);
  await page.getByRole('article', { name: receiver.url }).getByText(`${waiting} eventi in attesa`).waitFor();
  await page.screenshot({ path: `${SHOTS}/mc-webhooks-it.png` });
});
