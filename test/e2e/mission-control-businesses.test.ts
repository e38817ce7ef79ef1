import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { eventually } from '../helpers/eventually';
import { SHOTS, startMissionControl } from '../helpers/mission-control';
import { DEMO_ADMIN, login, type TestServer } from '../helpers/server';

let bob: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;
let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  ({ bob, browser } = mc);
});
afterAll(() => mc?.close());
afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function signInAdmin(opts: { width?: number; locale?: string } = {}): Promise<Page> {
  context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 800 }, locale: opts.locale ?? 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bob.url });
  const page = await context.newPage();
  await page.goto(`${bob.url}/app/#/businesses`);
  const it = opts.locale?.startsWith('it');
  await page.getByLabel('Email').fill(DEMO_ADMIN.email);
  await page.getByLabel('Password').fill(DEMO_ADMIN.password);
  await page.getByRole('button', { name: it ? 'Accedi' : 'Sign in' }).click();
  await page.getByRole('link', { name: it ? 'Attività' : 'Businesses', exact: true }).and(page.locator('[aria-current="page"]')).waitFor();
  return page;
}

/** The conversation's row in Live (its link carries the internal id). */
const liveRow = async (page: Page, externalId: string) => {
  const id = (await records(bob).session(externalId))!.id;
  return page.locator(`.list a[href="#/live/${id}"]`);
};

/** Nothing on the page scrolls sideways: neither the window nor the page's own scroller. */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => [document.documentElement, ...document.querySelectorAll<HTMLElement>('.page, .content')].some((el) => el.scrollWidth > el.clientWidth + 1));

describe('Mission Control: Businesses (platform admin)', () => {
  it('creates a business with an invite link, changes its plan, and opens another business\'s Live as admin', async () => {
    const page = await signInAdmin();
    await page.getByRole('heading', { name: 'Businesses', exact: true }).waitFor();
    const business = page.getByRole('row', { name: 'Business Co' });
    await business.getByText('customer@business.com').waitFor();

    // Create: the id is suggested from the name; the plans are the published pricebook's, with prices.
    const form = page.getByRole('form', { name: 'Create business' });
    await form.getByLabel('Business').fill('Trattoria da Gino');
    expect(await form.getByLabel('Id (in links and the API)').inputValue()).toBe('trattoria-da-gino');
    const planOptions = await form.getByLabel('Plan').locator('option').allTextContents();
    const pricebook = await (await bob.fetch('/api/pricebook')).json();
    expect(planOptions).toEqual(pricebook.plans.map((p: { name: string; price_month: number }) => `${p.name} — $${p.price_month}/month`));
    await form.getByLabel('Plan').selectOption('base');
    await form.getByLabel('Owner email').fill('gino@trattoria.example');
    await form.getByLabel('Owner name').fill('Gino Rossi');
    await form.getByRole('button', { name: 'Create business' }).click();

    // The invite link is shown once, with a Copy button.
    const shown = page.getByTestId('invite-link');
    await shown.waitFor();
    await page.getByText('It is shown only this once').waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(await shown.textContent());
    expect(link).toMatch(/\/app\/#\/invite\/.+/);
    const gino = page.getByRole('row', { name: 'Trattoria da Gino' });
    await gino.getByText('gino@trattoria.example').waitFor();
    await page.screenshot({ path: `${SHOTS}/mc-businesses.png` });

    // The new owner accepts the invitation and signs in.
    const token = link.split('/invite/')[1]!;
    const accepted = await bob.send('POST', '/api/auth/accept-invite', { token, password: 'gino-chosen-pass' });
    expect(accepted.ok).toBe(true);
    const owner = await login(bob, { email: 'gino@trattoria.example', password: 'gino-chosen-pass' });
    expect(owner.user).toMatchObject({ role: 'owner', name: 'Gino Rossi' });
    const tenant = await (await bob.fetch('/api/tenant', { headers: owner.bearer })).json();
    expect(tenant).toMatchObject({ slug: 'trattoria-da-gino', name: 'Trattoria da Gino', plan_id: 'base' });

    // Change plan: pick, then confirm in the dialog.
    await gino.getByLabel('Plan for Trattoria da Gino').selectOption('pro');
    await gino.getByRole('button', { name: 'Change plan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the plan of Trattoria da Gino?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Change plan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => (await records(bob).tenant('trattoria-da-gino'))?.plan_id === 'pro', 5000, 'plan pro');
    expect((await (await bob.fetch('/api/tenant', { headers: owner.bearer })).json()).plan_id).toBe('pro');
    const audit = (await records(bob).audit()).filter((a) => a.action === 'tenant.updated').at(-1)!;
    expect([audit.actor_email, JSON.parse(audit.after!).plan_id]).toEqual([DEMO_ADMIN.email, 'pro']);

    // View as admin: Live shows Business Co's conversations only, under a banner, until going back.
    const theirs = sid();
    const ours = sid();
    await publicChat(bob, { session_id: theirs, business_id: 'business-co', message: 'Siete aperti domenica?' });
    await publicChat(bob, { session_id: ours, business_id: 'office16852-platform', message: 'How much is Pro?' });
    await business.getByRole('button', { name: 'View Business Co as admin' }).click();
    const banner = page.getByRole('region', { name: 'Viewing Business Co as platform admin' });
    await banner.waitFor();
    expect(page.url()).toContain('#/live');
    await (await liveRow(page, theirs)).waitFor();
    expect(await (await liveRow(page, ours)).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/mc-view-as-admin.png` });
    // Keyboard: focus lands on the banner, the next Tab on its way back.
    expect(await banner.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Back to your own' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await banner.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Businesses', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Live', exact: true }).click();
    await (await liveRow(page, ours)).waitFor();
  });

  it('speaks Italian and fits a 390 px phone without sideways scroll', async () => {
    const page = await signInAdmin({ width: 390, locale: 'it-IT' });
    await page.getByRole('heading', { name: 'Attività', exact: true }).waitFor();
    const business = page.getByRole('row', { name: 'Business Co' });
    await business.getByText('customer@business.com').waitFor();
    await page.getByRole('form', { name: 'Crea attività' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/mc-businesses-390-it.png`, fullPage: true });
    await business.getByRole('button', { name: 'Apri Business Co come admin' }).click();
    const banner = page.getByRole('region', { name: 'Stai vedendo Business Co come admin della piattaforma' });
    await banner.waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await banner.getByRole('button', { name: 'Torna alla tua' }).click();
    await banner.waitFor({ state: 'detached' });
  });
});
