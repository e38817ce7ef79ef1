// The widget's "Delete this conversation" (#22), in Italian: a confirmation, then the conversation is
// erased on Bob and the widget starts a fresh one. Real server, real Chromium, a second origin.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { axeViolations } from '../helpers/axe';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { records } from '../helpers/db';
import { DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';

let bob: TestServer;
let browser: Browser;
let site: Awaited<ReturnType<typeof serveHostPage>>;

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/widget.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  bob = await startTestServer();
  const owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  site = await serveHostPage(`<!doctype html><html lang="it"><head><title>Business Co</title></head><body><main><h1>Business Co</h1></main>${snippet}</body></html>`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await bob?.close();
});

it('erases the visitor\'s own conversation after a confirmation, then starts afresh', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`http://localhost:${site.port}/`);
  await page.getByRole('button', { name: 'Chatta con Bob' }).click();
  const panel = page.getByRole('dialog', { name: 'Chatta con Bob' });
  const box = panel.getByRole('textbox', { name: 'Scrivi un messaggio…' });
  await box.fill('Il mio numero è 333 1234567, richiamatemi');
  await box.press('Enter');
  await expect.poll(async () => (await records(bob).sessions()).filter((s) => s.channel === 'widget').map((s) => s.message_count)).toEqual([2]);
  const first = (await records(bob).sessions()).find((s) => s.channel === 'widget')!.external_id;

  // Cancel keeps everything.
  await panel.getByRole('button', { name: 'Elimina questa conversazione' }).click();
  const confirm = panel.getByRole('alertdialog', { name: 'Elimina questa conversazione' });
  await confirm.getByText('Non si può annullare').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  // How it looks, wide and on a phone (the panel then takes the screen).
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    await expect(panel.locator('.log').evaluate((l) => l.scrollWidth - l.clientWidth)).resolves.toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screenshots/widget-erase-confirm-${width}-it.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await confirm.getByRole('button', { name: 'Annulla' }).click();
  await confirm.waitFor({ state: 'detached' });
  expect(await records(bob).session(first)).toBeTruthy();

  // Keyboard only: the button opens the question on Annulla; Escape cancels it (the panel stays
  // open, the focus goes back to the button); again, then Tab to Elimina and Enter.
  const active = () => page.evaluate(() => document.querySelector('bob-widget')!.shadowRoot!.activeElement?.textContent || document.querySelector('bob-widget')!.shadowRoot!.activeElement?.getAttribute('aria-label'));
  await panel.getByRole('button', { name: 'Elimina questa conversazione' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(active).toBe('Annulla');
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  await expect(panel.isVisible()).resolves.toBe(true);
  await expect.poll(active).toBe('Elimina questa conversazione');
  await page.keyboard.press('Enter');
  await expect.poll(active).toBe('Annulla');
  await page.keyboard.press('Tab');
  await expect.poll(active).toBe('Elimina');
  await page.keyboard.press('Enter');
  await panel.getByText('La conversazione è stata eliminata.').waitFor();
  expect(await records(bob).session(first)).toBeUndefined();
  expect(await panel.getByText('333 1234567').count()).toBe(0);

  // A fresh conversation, with a new session id, that survives a reload.
  await box.fill('Buongiorno');
  await box.press('Enter');
  await expect.poll(async () => (await records(bob).sessions()).filter((s) => s.channel === 'widget').length).toBe(1);
  const second = (await records(bob).sessions()).find((s) => s.channel === 'widget')!.external_id;
  expect(second).not.toBe(first);
  await page.reload();
  await page.getByRole('button', { name: 'Chatta con Bob' }).click();
  await panel.getByText('Buongiorno').waitFor();
  expect(await panel.getByText('333 1234567').count()).toBe(0);
  await context.close();
});
