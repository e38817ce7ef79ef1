import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoKey, publicChat, sid, widgetChat } from '../helpers/chat';
import { SHOTS, startMissionControl } from '../helpers/mission-control';
import { navPages, setOnboarded, signInAs, visit, type Scheme } from '../helpers/mission-control-pages';
import { DEMO_ADMIN } from '../helpers/server';
import type { Lang } from '../../src/renderer/src/i18n';

// Every Mission Control page as the README shows it: wide and on a phone, light and dark,
// English and Italian. Each view must load without a page error or a failed request, and fit
// the screen; the PNGs land in test-results/screenshots (copied into docs/screenshots).
let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  await setOnboarded(mc.bob, true);
  // Something to look at: a platform visitor, a business visitor on the widget, one handoff.
  await publicChat(mc.bob, { session_id: sid(), message: 'How much is Enterprise?' });
  const s = sid();
  await widgetChat(mc.bob, await demoKey(mc.bob), 'http://localhost:3000', { session_id: s, message: 'How much is a tax return?' });
  await widgetChat(mc.bob, await demoKey(mc.bob), 'http://localhost:3000', { session_id: s, message: 'I want to talk to a person' });
});
afterAll(() => mc?.close());

const VIEWS: { width: number; scheme: Scheme; lang: Lang }[] = [
  { width: 1280, scheme: 'light', lang: 'en' },
  { width: 1280, scheme: 'dark', lang: 'it' },
  { width: 390, scheme: 'light', lang: 'it' },
  { width: 390, scheme: 'dark', lang: 'en' },
];

it.each(VIEWS)('every page at $width px, $scheme, $lang: no errors, nothing wider than the screen', async ({ width, scheme, lang }) => {
  const { context, page } = await signInAs(mc.browser, mc.bob, DEMO_ADMIN, { lang, scheme });
  try {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('response', (r) => r.status() >= 500 && problems.push(`${r.status()} ${r.url()}`));
    for (const path of await navPages(page)) {
      await visit(page, path, lang);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/mc-${path}-${width}-${scheme}-${lang}.png` });
    }
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});
