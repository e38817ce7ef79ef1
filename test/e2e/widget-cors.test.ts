import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKey } from '../helpers/chat';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';

// A customer's site on a second origin calls Bob with fetch, exactly as the seed's example does;
// the browser itself enforces CORS.
let bob: TestServer;
let browser: Browser;
let site: Awaited<ReturnType<typeof serveHostPage>>;

beforeAll(async () => {
  bob = await startTestServer();
  site = await serveHostPage('<!doctype html><title>Customer site</title><h1>Shop</h1>');
  browser = await launchBrowser(['shop.customer.test']);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await bob?.close();
});

async function chatFrom(pageUrl: string) {
  const page = await browser.newPage();
  await page.goto(pageUrl);
  const result = await page.evaluate(
    async ({ api, key }) => {
      try {
        const res = await fetch(`${api}/api/widget/chat`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Widget-Key': key },
          // crypto.randomUUID() exists only in secure contexts; plain-http customer sites lack it.
          body: JSON.stringify({ session_id: `e2e-${Math.random().toString(36).slice(2)}`, message: 'How much is a tax return?' }),
        });
        return { ok: true, status: res.status, body: await res.json() };
      } catch (err) {
        return { ok: false, error: String(err) };
      }
    },
    { api: bob.url, key: await demoKey(bob) },
  );
  await page.close();
  return result;
}

describe('the widget path in a real browser', () => {
  it('works from an allowed origin (http://localhost:*)', async () => {
    const r = await chatFrom(`http://localhost:${site.port}/`);
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(r.body.reply).toContain('€180.00');
  });

  it('is blocked by the browser from an origin not on the allowlist', async () => {
    const r = await chatFrom(`http://shop.customer.test:${site.port}/`);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/Failed to fetch/);
    // The browser stopped at the preflight (no Access-Control-Allow-Origin): the POST never left it.
    const widgetCalls = bob.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.path === '/api/widget/chat');
    expect(widgetCalls.filter((l) => l.method === 'OPTIONS').length).toBeGreaterThanOrEqual(2);
    expect(widgetCalls.filter((l) => l.method === 'POST').length).toBe(1); // the allowed origin's, in the test above
  });

  it('keeps POST /api/chat for same-origin pages only', async () => {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${site.port}/`);
    const crossSite = await page.evaluate(async (api) => {
      try {
        await fetch(`${api}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ session_id: 'x1', message: 'hi' }) });
        return 'readable';
      } catch {
        return 'blocked';
      }
    }, bob.url);
    expect(crossSite).toBe('blocked');
    await page.goto(`${bob.url}/docs`); // a page of Bob's own, whose CSP allows connect-src 'self'
    const same = await page.evaluate(async () => {
      const res = await fetch('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ session_id: 'x2', message: 'How much is Pro?' }) });
      return { status: res.status, body: await res.json() };
    });
    expect(same.status).toBe(200);
    expect(same.body.reply).toContain('$249');
    await page.close();
  });
});
