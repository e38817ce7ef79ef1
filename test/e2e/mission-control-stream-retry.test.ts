// Live keeps its updates when the server refused its stream: with one staff stream allowed per
// user, a second tab is refused (429) and, once the first closes, connects again by itself and
// shows a new visitor without a reload. Real server, real Chromium.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { signInPage, startMissionControl } from '../helpers/mission-control';
import { DEMO_ADMIN } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl({ BOB_MAX_STAFF_STREAMS_PER_USER: '1' });
});
afterAll(() => mc?.close());

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
