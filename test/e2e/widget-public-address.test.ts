import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';

// A self-hosted Bob made reachable from the business's site: Settings → Connection gives it a
// public address (here 127.0.0.2, standing in for the internet-facing one) and listens beyond
// loopback; the site on another origin loads the widget from that address and chats.
let bob: TestServer;
let browser: Browser;

beforeAll(async () => {
  bob = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await bob?.close();
});

it('the snippet carries the public address, and a page on another origin chats through it', async () => {
  for (const who of [DEMO_ADMIN, DEMO_OWNER]) {
    const s = await login(bob, who);
    await bob.send('POST', '/api/auth/password', { current_password: who.password, new_password: `${who.password}-changed-2026` }, s.bearer);
  }
  const admin = await login(bob, { email: DEMO_ADMIN.email, password: `${DEMO_ADMIN.password}-changed-2026` });
  const owner = await login(bob, { email: DEMO_OWNER.email, password: `${DEMO_OWNER.password}-changed-2026` });
  const publicUrl = `http://127.0.0.2:${bob.port}`;
  expect((await bob.send('PUT', '/api/settings/network', { public_url: publicUrl, listen: 'all' }, admin.bearer)).status).toBe(200);

  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  expect(snippet).toContain(`src="${publicUrl}/widget/`);
  const site = await serveHostPage(`<!doctype html><html lang="en"><title>Business Co</title><h1>Business Co</h1>${snippet}</html>`);
  try {
    const page = await browser.newPage();
    const widgetRequests: string[] = [];
    page.on('request', (r) => widgetRequests.push(r.url()));
    await page.goto(`http://localhost:${site.port}/`);
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    const box = page.getByRole('textbox', { name: 'Write a message…' });
    await box.fill('How much is a tax return?');
    await box.press('Enter');
    await page.getByRole('dialog', { name: 'Chat with Bob' }).getByText('Tax return costs €180.00 each.', { exact: false }).waitFor({ timeout: 5000 });
    // Everything the widget fetched came from the public address.
    const bobRequests = widgetRequests.filter((u) => !u.startsWith(`http://localhost:${site.port}/`));
    expect(bobRequests.length).toBeGreaterThan(2);
    expect(bobRequests.every((u) => u.startsWith(`${publicUrl}/`))).toBe(true);
    await page.close();
  } finally {
    await site.close();
  }

  const check = await (await bob.send('POST', '/api/settings/network/check', {}, admin.bearer)).json();
  expect(check).toMatchObject({ result: 'reachable', url: publicUrl });
});
