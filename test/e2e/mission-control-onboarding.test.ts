import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { SHOTS, startMissionControl } from '../helpers/mission-control';
import { DEMO_ADMIN, login, type Session, type TestServer } from '../helpers/server';

let bob: TestServer;
let browser: Browser;
let context: BrowserContext;
let admin: Session;

let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  ({ bob, browser } = mc);
  admin = await login(bob, DEMO_ADMIN);
});
afterAll(() => mc?.close());
beforeEach(async () => {
  await context?.close();
});

let n = 0;
/** A new business created by the platform admin, as in production: its owner has a password or an invite link. */
async function newBusiness(opts: { password?: string } = {}) {
  n += 1;
  const slug = `trattoria-${n}-${Date.now().toString(36)}`;
  const email = `mario${n}.${Date.now().toString(36)}@trattoria.it`;
  const res = await bob.send('POST', '/api/tenants', { name: `Trattoria Da Mario ${n}`, slug, plan_id: 'pro', owner_email: email, owner_name: 'Mario', ...(opts.password ? { owner_password: opts.password } : {}) }, admin.bearer);
  expect(res.status).toBe(201);
  const created = await res.json();
  return { ...created, slug, email, name: `Trattoria Da Mario ${n}` } as { tenant: { id: string }; owner: { id: string; invite_url: string | null }; widget_key: { id: string }; slug: string; email: string; name: string };
}

async function openPage(path: string): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.dismiss()); // a native confirm() must never be what guards a destructive save
  await page.goto(path.startsWith('http') ? path : `${bob.url}/app/#/${path}`);
  return page;
}

async function signIn(who: { email: string; password: string }, path = 'live'): Promise<Page> {
  const page = await openPage(path);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

const keyOrigins = async (keyId: string) => (await records(bob).widgetKeys()).find((k) => k.id === keyId)!.allowed_origins;

/** Fills the wizard with valid answers (every greeting field asked) and finishes. */
async function onboard(page: Page, site: string) {
  await page.getByRole('heading', { name: 'Set up Bob for your site' }).waitFor();
  await page.getByLabel('Which sites will show the chat?').fill(site);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What should your assistant be called?').fill('Giulia');
  await page.getByRole('button', { name: 'Next' }).click();
  const greetings = page.getByLabel(/What should it say first/);
  await greetings.first().waitFor();
  for (const field of await greetings.all()) await field.fill('Ciao! Sono Giulia.');
  await page.getByRole('button', { name: 'Finish and get the snippet' }).click();
  await page.getByTestId('snippet').waitFor();
}

describe('Mission Control: a new business from invite to widget', () => {
  it('an invited owner sees the business named, sets a password and lands signed in on onboarding', async () => {
    const biz = await newBusiness();
    const page = await openPage(biz.owner.invite_url!.replace(/^https?:\/\/[^/]+/, bob.url));
    await page.getByText(biz.name).waitFor({ timeout: 5000 });
    await page.getByLabel('New password (at least 10 characters)').fill('mario-chosen-pass');
    await page.getByLabel('Repeat the password').fill('mario-chosen-pass');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Set up Bob for your site' }).waitFor({ timeout: 5000 });
    expect(await page.getByLabel('Password', { exact: true }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/invite-owner-onboarding.png` });
  });

  it('an invited agent lands signed in on Live; after signing out the login form has their email', async () => {
    const biz = await newBusiness({ password: 'owner-password-1' });
    const res = await bob.send('POST', `/api/team?business_id=${biz.slug}`, { email: `agent.${biz.email}`, name: 'Luca', role: 'agent' }, admin.bearer);
    expect(res.status).toBe(201);
    const { invite_url } = await res.json();
    const page = await openPage(invite_url.replace(/^https?:\/\/[^/]+/, bob.url));
    await page.getByText(biz.name).waitFor({ timeout: 5000 });
    await page.getByLabel('New password (at least 10 characters)').fill('luca-chosen-pass');
    await page.getByLabel('Repeat the password').fill('luca-chosen-pass');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('link', { name: 'Live' }).and(page.locator('[aria-current="page"]')).waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByLabel('Email').inputValue()).toBe(`agent.${biz.email}`);
  });

  it('checks each site as it is typed, offers https:// for a bare host, asks both greetings and renames the persona in its instructions', async () => {
    const biz = await newBusiness({ password: 'owner-password-1' });
    const page = await signIn({ email: biz.email, password: 'owner-password-1' });
    await page.getByRole('heading', { name: 'Set up Bob for your site' }).waitFor();
    const sites = page.getByLabel('Which sites will show the chat?');
    await sites.fill('trattoria dot it');
    const problem = page.getByText(/isn’t a web address/);
    await problem.waitFor({ timeout: 2000 });
    expect(await page.getByText(/scheme:\/\//).count()).toBe(0);
    await sites.fill('www.trattoria.it');
    await page.getByRole('button', { name: 'Use https://www.trattoria.it' }).click();
    expect(await sites.inputValue()).toBe('https://www.trattoria.it');
    await problem.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('What should your assistant be called?').fill('Giulia');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('What should it say first? (English)').fill('Hello! I am Giulia from Da Mario.');
    await page.getByLabel('What should it say first? (Italian)').fill('Ciao! Sono Giulia di Da Mario.');
    await page.screenshot({ path: `${SHOTS}/onboarding-greetings.png` });
    await page.getByRole('button', { name: 'Finish and get the snippet' }).click();
    await page.getByTestId('snippet').waitFor();

    expect(await keyOrigins(biz.widget_key.id)).toEqual(['https://www.trattoria.it']);
    const settings = JSON.parse((await records(bob).tenants()).find((t) => t.id === biz.tenant.id)!.settings);
    expect(settings).toMatchObject({ greeting: 'Hello! I am Giulia from Da Mario.', greeting_it: 'Ciao! Sono Giulia di Da Mario.', onboarded: true });
    const owner = await login(bob, { email: biz.email, password: 'owner-password-1' });
    const persona = (await (await bob.fetch('/api/personas', { headers: owner.bearer })).json()).data[0];
    expect(persona.name).toBe('Giulia');
    expect(persona.systemPrompt).toMatch(/^You are Giulia, /);
    expect(persona.systemPrompt).not.toContain('Bob');
  });

  it('the Widget page shows the sites saved by onboarding, and clearing them asks in-app first', async () => {
    const biz = await newBusiness({ password: 'owner-password-1' });
    const page = await signIn({ email: biz.email, password: 'owner-password-1' });
    await onboard(page, 'https://www.trattoria.it');
    expect(await keyOrigins(biz.widget_key.id)).toEqual(['https://www.trattoria.it']);
    const key = page.getByRole('article').first();
    const box = key.getByLabel('Allowed sites (one per line)');
    await expect.poll(() => box.inputValue(), { timeout: 3000 }).toBe('https://www.trattoria.it');
    expect(await key.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);

    await box.fill('');
    await key.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor({ timeout: 2000 });
    expect(await dialog.textContent()).toMatch(/stop working on every site/);
    await page.screenshot({ path: `${SHOTS}/widget-empty-sites-dialog.png` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await keyOrigins(biz.widget_key.id)).toEqual(['https://www.trattoria.it']);

    // Confirmed on purpose, the empty list is saved.
    await key.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove all sites' }).click();
    await expect.poll(() => keyOrigins(biz.widget_key.id)).toEqual([]);
  });

  it('the live preview stays on the Widget page: leaving it removes the widget and Live’s buttons are free', async () => {
    const biz = await newBusiness({ password: 'owner-password-1' });
    const page = await signIn({ email: biz.email, password: 'owner-password-1' });
    await onboard(page, 'https://www.trattoria.it');
    await page.getByRole('button', { name: 'Show live preview' }).click();
    await page.locator('[data-bob-widget]').waitFor({ state: 'attached', timeout: 5000 });
    expect((await widgetChat(bob, await demoKey(bob, biz.slug), 'https://www.trattoria.it', { session_id: sid(), message: 'voglio parlare con un operatore' })).status).toBe(200);
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByRole('link', { name: 'Live' }).and(page.locator('[aria-current="page"]')).waitFor();
    expect(await page.locator('[data-bob-widget]').count()).toBe(0);
    expect(await page.locator('script[data-bob-preview]').count()).toBe(0);
    await page.getByRole('link', { name: /waiting/ }).click();
    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByRole('textbox', { name: 'Reply to the visitor…' }).fill('Ciao!');
    // A trial click fails when another element (the widget's launcher) would receive it.
    await page.getByRole('button', { name: 'Send' }).click({ trial: true, timeout: 2000 });
    await page.getByRole('textbox', { name: /Internal note/ }).fill('Asked for a table');
    await page.getByRole('button', { name: 'Add note' }).click({ trial: true, timeout: 2000 });
    // Back on the Widget page the preview can be shown again.
    await page.getByRole('link', { name: 'Widget' }).click();
    await page.getByRole('button', { name: 'Show live preview' }).click();
    await page.locator('[data-bob-widget]').waitFor({ state: 'attached', timeout: 5000 });
  });
});
