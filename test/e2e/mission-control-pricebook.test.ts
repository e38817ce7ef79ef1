import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
  ({ context, page } = await signInPage(mc, DEMO_ADMIN, hash));
  // The page must never fall back to the browser's own confirm().
  page.on('dialog', (d) => void d.dismiss());
  return page;
}

const headers = (table: ReturnType<Page['getByRole']>) =>
  Promise.all([table.locator('thead th').allInnerTexts(), table.locator('tbody th').allInnerTexts()]);

it('the admin drafts a price change, reads $249 → $259 in the draft and the dialog, and an open page shows the published price without reload', async () => {
  const page = await signIn('pricebook');
  const published = page.getByRole('table', { name: 'Published version 1' });
  await published.getByRole('cell', { name: '$249' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'New draft' }).click();

  const draft = page.getByRole('table', { name: 'Draft version 2' });
  await draft.waitFor();
  // One layout: the draft has the published table's columns and rows, in the same order.
  expect(await headers(draft)).toEqual(await headers(published));

  await draft.getByLabel('Pro List price (month)').fill('259');
  const changes = page.getByRole('region', { name: 'Changes from the published version' });
  await changes.getByText('$249 → $259').waitFor();
  await page.screenshot({ path: `${SHOTS}/pricebook-draft.png` });

  // The in-app confirmation shows the same diff; focus starts on Cancel and Escape closes it.
  await page.getByRole('button', { name: 'Publish' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish version 2?' });
  await dialog.getByText('$249 → $259').waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
  await page.screenshot({ path: `${SHOTS}/pricebook-publish-dialog.png` });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(async () => {
    const admin = await login(mc.bob, DEMO_ADMIN);
    const v = await (await mc.bob.fetch('/api/pricebook/versions', { headers: admin.bearer })).json();
    return v.data.find((p: { version: number }) => p.version === 2)?.plans.find((p: { id: string }) => p.id === 'pro').price_month;
  }).toBe(259);

  // Someone else publishes: this page, left open, shows the new price on its own.
  const other = await login(mc.bob, DEMO_ADMIN);
  expect((await mc.bob.send('POST', '/api/pricebook/versions/2/publish', {}, other.bearer)).status).toBe(200);
  const now = page.getByRole('table', { name: 'Published version 2' });
  await now.getByRole('cell', { name: '$259' }).waitFor({ timeout: 5000 });
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
});
