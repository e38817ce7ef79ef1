import { SHOTS, startMissionControl } from '../helpers/mission-control';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_ADMIN, DEMO_OWNER, login, type TestServer } from '../helpers/server';

let bob: TestServer;
let browser: Browser;

let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  ({ bob, browser } = mc);
});
afterAll(() => mc?.close());

async function openApp(lang = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  // The only failure expected is the first "am I signed in?" probe.
  page.on('response', (r) => {
    const probe = r.url().endsWith('/api/auth/me') && r.status() === 401;
    if (r.status() >= 400 && !probe) problems.push(`${r.status()} ${r.url()}`);
  });
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(`${bob.url}/app/`);
  return page;
}

describe('Mission Control sign-in', () => {
  it('signs the admin in, survives a reload, and signs out', async () => {
    const page = await openApp();
    await page.getByRole('heading', { name: 'Bob Mission Control' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/login.png` });
    await page.getByLabel('Email').fill(DEMO_ADMIN.email);
    await page.getByLabel('Password').fill(DEMO_ADMIN.password);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('banner').getByText('Office Admin').waitFor();
    await page.getByRole('link', { name: 'Pricebook' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/home-admin.png` });

    await page.reload();
    await page.getByRole('banner').getByText('Office Admin').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((page as Page & { problems: string[] }).problems).toEqual([]);
    await page.context().close();
  });

  it('shows a clear error for a wrong password, in Italian for an Italian browser', async () => {
    const page = await openApp('it-IT');
    await page.getByLabel('Email').fill(DEMO_OWNER.email);
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Email o password non corrette.');
    await page.screenshot({ path: `${SHOTS}/login-error-it.png` });
    await page.context().close();
  });

  it('hides platform sections from a tenant owner', async () => {
    await setOnboarded(bob, true);
    const page = await openApp();
    await page.getByLabel('Email').fill(DEMO_OWNER.email);
    await page.getByLabel('Password').fill(DEMO_OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('banner').getByText('Business Co Owner').waitFor();
    const nav = await page.getByRole('navigation', { name: 'Mission Control' }).textContent();
    expect(nav).toContain('Personas');
    // The published prices are visible; editing them is the platform's.
    await page.getByRole('link', { name: 'Pricebook' }).click();
    await page.getByRole('heading', { name: /Published version/ }).waitFor();
    expect(await page.getByRole('button', { name: 'New draft' }).count()).toBe(0);
    await page.context().close();
  });

  it('lets an invited member choose a password from the link and sign in', async () => {
    const owner = await login(bob, DEMO_OWNER);
    const added = await (await bob.send('POST', '/api/team', { email: 'marta@business.com', name: 'Marta', role: 'agent' }, owner.bearer)).json();
    const link = new URL(added.invite_url);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${bob.url}/app/${link.hash}`);
    await page.getByText('Business Co').first().waitFor();
    await page.getByLabel('New password (at least 10 characters)').fill('marta-password-1');
    await page.getByLabel('Repeat the password').fill('marta-password-1');
    await page.getByRole('button', { name: 'Set password' }).click();
    // Accepting signs her in: she lands in Mission Control without a second sign-in.
    await page.getByRole('banner').getByText('Marta').waitFor();
    expect((await login(bob, { email: 'marta@business.com', password: 'marta-password-1' })).user.role).toBe('agent');
    await page.goto(`${bob.url}/app/${link.hash}`);
    await page.getByRole('alert').getByText(/not valid any more/).waitFor();
    await context.close();
  });
});
