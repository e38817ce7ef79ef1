import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { SHOTS, signInPage, startMissionControl } from '../helpers/mission-control';
import { DEMO_ADMIN, login } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let context: BrowserContext | undefined;
beforeAll(async () => {
  mc = await startMissionControl();
});
afterAll(async () => {
  await context?.close();
  await mc?.close();
});

async function signIn(hash: string): Promise<Page> {
  let page: Page;
  ({ context, page } = await signInPage(mc, DEMO_ADMIN, hash, { timezoneId: 'UTC' }));
  return page;
}

it('names what happened and to whom, links the conversation, and filters by person, action and date', async () => {
  const admin = await login(mc.bob, DEMO_ADMIN);
  // A second person in the team, who signs in: their row is what the person filter removes.
  const marta = { email: 'marta@office16852.com', password: 'marta-password-1' };
  expect((await mc.bob.send('POST', '/api/team', { ...marta, name: 'Marta Bianchi', role: 'agent' }, admin.bearer)).status).toBe(201);
  await login(mc.bob, marta);
  const session_id = sid();
  await publicChat(mc.bob, { session_id, message: 'voglio parlare con un operatore' });
  const id = (await records(mc.bob).session(session_id))!.id;
  expect((await mc.bob.send('POST', `/api/chat/sessions/${id}/takeover`, {}, admin.bearer)).status).toBe(200);

  const page = await signIn('audit');
  const log = page.getByRole('table', { name: 'Audit log' });
  const takeover = log.getByRole('row').filter({ hasText: 'took over the conversation' });
  await takeover.waitFor({ timeout: 10_000 });
  // The conversation is named as Live names it, and opens in History.
  const visitor = takeover.getByRole('link', { name: `Visitor ${session_id.slice(0, 8)}` });
  expect(await visitor.getAttribute('href')).toBe(`#/history/${id}`);
  await log.getByRole('row').filter({ hasText: 'signed in' }).filter({ hasText: 'Marta Bianchi' }).waitFor();
  await log.getByRole('row').filter({ hasText: 'added a team member' }).getByRole('link', { name: 'Marta Bianchi' }).waitFor();
  expect(await log.locator('code').count()).toBe(0);
  await page.screenshot({ path: `${SHOTS}/audit.png` });

  const filters = page.getByRole('search', { name: 'Filter the audit log' });
  await filters.getByLabel('Action', { exact: true }).selectOption({ label: 'Conversations' });
  await expect.poll(() => log.locator('tbody tr').allInnerTexts()).toEqual([expect.stringContaining('took over the conversation')]);
  await filters.getByLabel('Action', { exact: true }).selectOption({ label: 'All actions' });
  await log.getByRole('row').filter({ hasText: 'Marta Bianchi' }).first().waitFor();
  await filters.getByLabel('Person', { exact: true }).selectOption({ label: 'Office Admin' });
  await expect.poll(() => log.getByRole('row').filter({ hasText: 'Marta Bianchi' }).filter({ hasText: 'signed in' }).count()).toBe(0);
  await takeover.waitFor();
  // A range that ended yesterday holds nothing from today.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await filters.getByLabel('To', { exact: true }).fill(yesterday);
  await page.getByText('Nothing recorded yet.').waitFor();
  await filters.getByLabel('To', { exact: true }).fill('');
  await filters.getByLabel('From', { exact: true }).fill(new Date().toISOString().slice(0, 10));
  await takeover.waitFor();

  await page.getByRole('combobox', { name: 'Language' }).selectOption('it');
  const presa = page.getByRole('table', { name: 'Registro attività' }).getByRole('row').filter({ hasText: 'ha preso in carico la conversazione' });
  await presa.getByRole('link', { name: `Visitatore ${session_id.slice(0, 8)}` }).click();
  await page.waitForURL(`**/app/#/history/${id}`);
  await page.getByRole('heading', { name: `Visitatore ${session_id.slice(0, 8)}` }).waitFor();
});
