// A visitor's rights in Mission Control (#22): find a visitor, download their data, erase it with a
// confirmation; the conversation then leaves Live and History. Real server, real Chromium.
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { docShot, SHOTS, signInPage, startMissionControl } from '../helpers/mission-control';
import { DEMO_OWNER, login } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  mc = await startMissionControl();
  // The demo business has been through onboarding (this test is about another page).
  const owner = await login(mc.bob, DEMO_OWNER);
  expect((await mc.bob.send('PATCH', '/api/tenant', { settings: { onboarded: true } }, owner.bearer)).status).toBe(200);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await mc?.close();
});

/**
 * The page at 1280 and 390 px, light and dark: nothing wider than the screen; the shots
 * `visitors-<name>-<width>-<scheme>.png` go to SHOTS only (not the README's docs/screenshots).
 */
async function shots(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      await page.waitForTimeout(100); // layout after the resize
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px`).toBeLessThanOrEqual(width);
      expect(await page.evaluate(() => { const p = document.querySelector('.page')!; return p.scrollWidth - p.clientWidth; }), `${name} at ${width} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/visitors-${name}-${width}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function signIn(who: { email: string; password: string }, hash: string): Promise<Page> {
  const { context, page } = await signInPage(mc, who, hash, { acceptDownloads: true });
  contexts.push(context);
  return page;
}

it('finds a visitor by email, downloads their data, erases them after a confirmation; the conversation leaves Live and History', async () => {
  const key = await demoKey(mc.bob);
  const visitor = sid();
  const other = sid();
  for (const [session_id, message] of [
    [other, 'Do you have opening hours on Sunday?'],
    [visitor, 'Hi, I am lucia.neri@example.org and I want a quote'],
  ] as const) {
    expect((await widgetChat(mc.bob, key, 'http://localhost:3000', { session_id, message })).status).toBe(200);
  }
  const owner = await login(mc.bob, DEMO_OWNER);
  const internal = (await records(mc.bob).session(visitor))!.id;
  expect((await mc.bob.send('POST', `/api/chat/sessions/${internal}/notes`, { body: 'Quote sent by phone' }, owner.bearer)).status).toBe(201);
  const label = new RegExp(`Visitor ${visitor.slice(0, 8)}`);

  const page = await signIn(DEMO_OWNER, 'history');
  await page.getByRole('link', { name: label }).waitFor();

  await page.getByRole('link', { name: 'Visitors', exact: true }).click();
  const search = page.getByRole('search', { name: 'Find a visitor' });
  await search.getByRole('searchbox', { name: 'Find a visitor' }).fill('lucia.neri@example.org');
  await search.getByRole('searchbox').press('Enter');
  const results = page.getByRole('table', { name: 'Conversations found' });
  const row = results.getByRole('row').filter({ hasText: visitor });
  await row.waitFor();
  expect(await results.locator('tbody tr').count()).toBe(1);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page)).toEqual([]);
  }
  await shots(page, 'results');
  await docShot(page, 'mc-visitors-1280-light-en.png');
  await docShot(page, 'mc-visitors-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844 });
  await docShot(page, 'mc-visitors-1280-light-en.png', { lang: 'en', scheme: 'light', width: 1280, height: 800 });

  // The download: that visitor's conversation, with the staff note when asked for.
  await page.getByRole('checkbox', { name: 'Include staff notes in downloads' }).check();
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: `Download the data of ${visitor}` }).click()]);
  expect(download.suggestedFilename()).toMatch(/^bob-visitor-.+\.json$/);
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { session_id: string; messages: { author: string; body: string }[] };
  expect(exported.session_id).toBe(visitor);
  expect(exported.messages.map((m) => m.author)).toEqual(['visitor', 'bot', 'note']);
  expect(JSON.stringify(exported)).not.toContain('Sunday');

  // Erase: the dialog names the conversation; Cancel (the first focus) keeps it.
  await row.getByRole('button', { name: `Erase ${visitor}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Erase this visitor’s data?' });
  await dialog.getByText(visitor).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await shots(page, 'erase-dialog');
  // Keyboard: focus starts on Cancel and Tab keeps it inside the dialog; Escape closes it and
  // gives the focus back to the row's Erase button.
  const focused = () => page.evaluate(() => ({ text: document.activeElement?.textContent ?? '', inDialog: !!document.activeElement?.closest('dialog'), label: document.activeElement?.getAttribute('aria-label') ?? '' }));
  expect(await focused()).toMatchObject({ text: 'Cancel', inDialog: true });
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    expect((await focused()).inDialog, key).toBe(true);
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await expect.poll(async () => (await focused()).label).toBe(`Erase ${visitor}`);
  await row.getByRole('button', { name: `Erase ${visitor}` }).click();
  await dialog.getByRole('button', { name: 'Erase' }).click();
  await page.getByRole('status').filter({ hasText: `Erased ${visitor}: 3 messages deleted` }).waitFor();
  // The row that opened the dialog is gone: the focus is on the outcome, not lost on the page.
  await expect.poll(async () => (await focused()).text).toContain(`Erased ${visitor}`);
  expect(await records(mc.bob).session(visitor)).toBeUndefined();

  // Gone from History and Live; the other visitor stays.
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`Visitor ${other.slice(0, 8)}`) }).waitFor();
  await expect.poll(() => page.getByRole('link', { name: label }).count()).toBe(0);
  await page.getByRole('link', { name: 'Live', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`Visitor ${other.slice(0, 8)}`) }).waitFor();
  await expect.poll(() => page.getByRole('link', { name: label }).count()).toBe(0);
});

it('is not offered to an agent, whom the server refuses too', async () => {
  const owner = await login(mc.bob, DEMO_OWNER);
  const agent = { email: 'agent@business.com', password: 'agent-password-1' };
  expect((await mc.bob.send('POST', '/api/team', { ...agent, name: 'Agent', role: 'agent' }, owner.bearer)).status).toBe(201);
  const page = await signIn(agent, 'visitors');
  await page.getByRole('link', { name: 'History', exact: true }).waitFor();
  expect(await page.getByRole('link', { name: 'Visitors', exact: true }).count()).toBe(0);
  expect(await page.getByRole('search', { name: 'Find a visitor' }).count()).toBe(0);
});
