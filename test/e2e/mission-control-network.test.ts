import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NetworkSettings } from '../../src/shared/schemas/network';
import { SHOTS, startMissionControl } from '../helpers/mission-control';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_ADMIN, DEMO_OWNER, login } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let context: BrowserContext | undefined;
const admin = { ...DEMO_ADMIN };
beforeAll(async () => {
  mc = await startMissionControl();
  await setOnboarded(mc.bob, true);
});
afterAll(async () => {
  await context?.close();
  await mc?.close();
});

type View = { width?: number; colorScheme?: 'light' | 'dark'; locale?: string };

/** A fresh browser signed in as the admin (by the session cookie), on Settings → Connection. */
async function openConnection(view: View = {}): Promise<Page> {
  await context?.close();
  const session = await login(mc.bob, admin);
  context = await mc.browser.newContext({ viewport: { width: view.width ?? 1280, height: view.width === 390 ? 1800 : 1000 }, locale: view.locale ?? 'en-US', colorScheme: view.colorScheme ?? 'light' });
  const [name, value] = session.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: mc.bob.url }]);
  const page = await context.newPage();
  await page.goto(`${mc.bob.url}/app/#/settings/connection`);
  return page;
}

async function networkSettings(): Promise<NetworkSettings> {
  const session = await login(mc.bob, admin);
  const res = await mc.bob.fetch('/api/settings/network', { headers: session.bearer });
  expect(res.status).toBe(200);
  return (await res.json()) as NetworkSettings;
}

const loopbackWarning = (url: string) => `Visitors on the internet cannot reach ${url}: it is this computer's own (loopback) address.`;

it('keeps Bob on this computer while the demo passwords work, then opens it, checks it from outside and closes it again', async () => {
  const port = mc.bob.port;
  let page = await openConnection();
  let section = page.getByRole('region', { name: 'Connection' });
  await section.getByText(`Bob answers at ${mc.bob.url}.`).waitFor();
  await section.getByText(loopbackWarning(mc.bob.url)).waitFor();
  await section.getByText('Bob stays on this computer until the demo passwords are changed', { exact: false }).first().waitFor();
  expect(await section.getByLabel('Everyone — the internet').isDisabled()).toBe(true);
  expect(await section.getByLabel('My local network').isDisabled()).toBe(true);
  expect(await section.getByLabel('Use the address Bob listens on').isChecked()).toBe(true);
  await section.screenshot({ path: `${SHOTS}/mc-settings-connection-demo-passwords.png` });

  // A public address would make Bob reachable beyond this computer: refused, and nothing changes.
  await section.getByLabel('Use the address Bob listens on').uncheck();
  await section.getByLabel('Public address').fill('https://chat.example.com');
  await section.getByRole('button', { name: 'Save' }).click();
  await section.getByRole('alert').getByText('Bob stays on this computer until the demo passwords are changed: give every demo account its own password first.').waitFor();
  expect((await networkSettings()).public_url_source).toBe('listening');

  // Every demo account gets its own password: the admin under Your account (the owner through the API).
  await page.getByRole('link', { name: /Office Admin/ }).click();
  const account = page.getByRole('form', { name: 'Change password' });
  await account.getByLabel('Current password').fill(DEMO_ADMIN.password);
  await account.getByLabel('New password (at least 10 characters)').fill(`${DEMO_ADMIN.password}-changed-1`);
  await account.getByLabel('New password again').fill(`${DEMO_ADMIN.password}-changed-x`);
  await account.getByRole('alert').getByText('The two new passwords differ.').waitFor();
  expect(await account.getByRole('button', { name: 'Change password' }).isDisabled()).toBe(true);
  await account.getByLabel('New password again').fill(`${DEMO_ADMIN.password}-changed-1`);
  await account.getByRole('button', { name: 'Change password' }).click();
  await account.getByRole('status').getByText('Password changed.', { exact: false }).waitFor();
  await page.screenshot({ path: `${SHOTS}/mc-account.png` });
  admin.password = `${DEMO_ADMIN.password}-changed-1`;
  expect((await mc.bob.send('POST', '/api/auth/login', DEMO_ADMIN)).status).toBe(401);
  const s = await login(mc.bob, DEMO_OWNER);
  expect((await mc.bob.send('POST', '/api/auth/password', { current_password: DEMO_OWNER.password, new_password: `${DEMO_OWNER.password}-changed-1` }, s.bearer)).status).toBe(204);

  page = await openConnection();
  section = page.getByRole('region', { name: 'Connection' });
  await section.getByText(`Bob answers at ${mc.bob.url}.`).waitFor();
  expect(await section.getByText('Bob stays on this computer', { exact: false }).count()).toBe(0);
  await section.getByLabel('Everyone — the internet').check();
  await section.getByLabel('Use the address Bob listens on').uncheck();
  await section.getByLabel('Public address').fill(`http://127.0.0.2:${port}`);
  await section.getByRole('button', { name: 'Save' }).click();
  await section.getByRole('status').getByText('Saved').waitFor();
  const opened = await networkSettings();
  expect(opened).toMatchObject({ listen: 'all', public_url: `http://127.0.0.2:${port}`, public_url_source: 'settings', public_url_kind: 'loopback', port });
  expect((await fetch(`http://127.0.0.2:${port}/api/health`)).status).toBe(200);
  // 127.0.0.2 is still this computer: the page says visitors cannot use it.
  await section.getByText(loopbackWarning(`http://127.0.0.2:${port}`)).waitFor();

  await section.getByRole('button', { name: 'Check from the internet' }).click();
  await section.getByText(new RegExp(`^✓ Reachable: this Bob answered at http://127\\.0\\.0\\.2:${port} in \\d+ ms\\.$`)).waitFor();

  // The snippet carries the public address, with the warning and a way to fix it.
  await page.goto(`${mc.bob.url}/app/#/widget`);
  expect(await page.getByTestId('snippet').textContent()).toContain(`http://127.0.0.2:${port}`);
  const warning = page.getByText("Visitors on the internet cannot reach this address: it is this computer's own (loopback) address.");
  await warning.waitFor();
  await page.setViewportSize({ width: 390, height: 800 });
  expect(await warning.evaluate((el) => el.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.getByRole('link', { name: 'Set a public address in Settings → Connection' }).click();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Connection');

  // An address where nothing answers: said within the check's 5 s, with the fix.
  section = page.getByRole('region', { name: 'Connection' });
  await section.getByLabel('Public address').fill('http://127.0.0.1:9');
  const started = Date.now();
  await section.getByRole('button', { name: 'Check from the internet' }).click();
  await section.getByText(`Not reachable at http://127.0.0.1:9. Nothing answered: forward port ${port} on your router to this computer`, { exact: false }).waitFor({ timeout: 6000 });
  expect(Date.now() - started).toBeLessThan(5500);

  // Back to this computer only: 127.0.0.2 stops answering.
  await section.getByLabel('This computer only').check();
  await section.getByLabel('Use the address Bob listens on').check();
  await section.getByRole('button', { name: 'Save' }).click();
  await section.getByRole('status').getByText('Saved').waitFor();
  expect(await networkSettings()).toMatchObject({ listen: 'loopback', public_url: mc.bob.url, public_url_source: 'listening', port });
  await expect(fetch(`http://127.0.0.2:${port}/api/health`)).rejects.toThrow();
});

it('screenshots Settings → Connection wide and narrow, light and dark, in English and Italian', async () => {
  for (const locale of ['en-US', 'it-IT'])
    for (const colorScheme of ['light', 'dark'] as const)
      for (const width of [1280, 390]) {
        const page = await openConnection({ width, colorScheme, locale });
        const en = locale === 'en-US';
        const section = page.getByRole('region', { name: en ? 'Connection' : 'Connessione' });
        await section.getByRole('button', { name: en ? 'Check from the internet' : 'Verifica da internet' }).click();
        await section.getByText(en ? /Reachable: this Bob answered/ : /Raggiungibile: questo Bob ha risposto/).waitFor();
        // Nothing wider than the window, at phone width too.
        expect(await section.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
        await section.screenshot({ path: `${SHOTS}/mc-settings-connection-${width}-${colorScheme}-${locale.slice(0, 2)}.png` });
      }
}, 90_000); // eight screenshots, each after a check from outside
