import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { SHOTS, startMissionControl } from '../helpers/mission-control';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_ADMIN, DEMO_OWNER } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let fake: FakeOpenAi;
let context: BrowserContext | undefined;
beforeAll(async () => {
  mc = await startMissionControl();
  fake = await startFakeOpenAi({ mode: { kind: 'reply', text: 'OK' } });
  await setOnboarded(mc.bob, true);
});
afterAll(async () => {
  await context?.close();
  await fake?.close();
  await mc?.close();
});

async function signIn(who: { email: string; password: string }): Promise<Page> {
  await context?.close();
  context = await mc.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${mc.bob.url}/app/#/settings`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

it('an admin connects a model, tests it and turns it on; the owner sees which model answers', async () => {
  const page = await signIn(DEMO_ADMIN);
  await page.getByText('No model: the built-in responder answers.').waitFor();
  const form = page.getByRole('form', { name: 'Model provider' });
  await form.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await form.getByLabel('Model', { exact: true }).fill('fake-model');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await form.getByText(/^Not connected:/).waitFor();

  await form.getByLabel('Base URL').fill(fake.url);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await form.getByText(/Connected: fake-model answered in \d+ ms/).waitFor();
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Answering with fake-model at ${fake.url}.`).waitFor();
  await page.screenshot({ path: `${SHOTS}/mc-settings-model.png`, fullPage: true });

  // Visitors now get the model's words.
  fake.setMode({ kind: 'reply', text: 'Hello from the model. A tax return is €180.00.' });
  const res = await mc.bob.send('POST', '/api/chat', { session_id: 'model-e2e', message: 'Hi', business_id: 'business-co' });
  expect(((await res.json()) as { reply: string }).reply).toBe('Hello from the model. A tax return is €180.00.');

  const ownerPage = await signIn(DEMO_OWNER);
  await ownerPage.getByText(`Answering with fake-model at ${fake.url}.`).waitFor();
  expect(await ownerPage.getByRole('form', { name: 'Model provider' }).count()).toBe(0);
});
