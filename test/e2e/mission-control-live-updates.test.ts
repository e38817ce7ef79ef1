// Live misses no change: a visitor who writes while the list's first load is on its way shows up
// (the load read the server before); a stream the server refused (one staff stream allowed per
// user: the second tab gets a 429) connects again by itself once the first tab closes, and shows
// a new visitor without a reload. Real server, real Chromium.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { signInPage, startMissionControl } from '../helpers/mission-control';
import { DEMO_ADMIN } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl({ BOB_MAX_STAFF_STREAMS_PER_USER: '1' });
});
afterAll(() => mc?.close());

it('a visitor who writes while the list is first loading shows up without a reload', async () => {
  const { context, page } = await signInPage(mc, DEMO_ADMIN, 'personas');
  const visitor = sid();
  // The list's first load reads the server, then the visitor writes, and only after the change
  // reached the page does the (now old) answer arrive: what a slow first load on a busy machine does.
  let held = false;
  await page.route(/\/api\/chat\/sessions\?limit=50$/, async (route) => {
    if (held) return route.fallback();
    held = true;
    const before = await route.fetch();
    await publicChat(mc.bob, { session_id: visitor, message: 'Hello while the list loads' });
    await page.waitForTimeout(500); // the change's events reach the page
    await route.fulfill({ response: before });
  });
  await page.getByRole('link', { name: 'Live', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`Visitor ${visitor.slice(0, 8)}`) }).waitFor({ timeout: 10_000 });
  expect(held).toBe(true);
  await context.close();
});

it('a refused staff stream is tried again, and Live updates once it connects', async () => {
  const first = await signInPage(mc, DEMO_ADMIN, 'live');
  const refused: number[] = [];
  const second = await mc.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', storageState: await first.context.storageState() });
  const page = await second.newPage();
  page.on('response', (r) => void (r.url().endsWith('/api/events') && r.status() === 429 && refused.push(r.status())));
  await page.goto(`${mc.bob.url}/app/#/live`);
  await page.locator('.list').waitFor();
  await expect.poll(() => refused.length, { timeout: 10_000 }).toBeGreaterThan(0);

  await first.context.close(); // its stream ends: the slot is free
  await page.getByRole('status').getByText('Live').waitFor({ timeout: 20_000 });
  const visitor = sid();
  await publicChat(mc.bob, { session_id: visitor, message: 'Hello after the retry' });
  await page.getByRole('link', { name: new RegExp(`Visitor ${visitor.slice(0, 8)}`) }).waitFor({ timeout: 10_000 });
  await second.close();
});
