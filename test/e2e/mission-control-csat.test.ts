// Visitors' ratings in Mission Control (#23): the transcript header shows a conversation's rating
// (in Live as soon as it is given, and in History), Usage shows the period's average and count, for
// Bob alone and per person; light and dark, 1280 and 390 px, and in Italian. Real server, real Chromium.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { SHOTS, startMissionControl } from '../helpers/mission-control';
import { setOnboarded, signInAs, visit } from '../helpers/mission-control-pages';
import { DEMO_OWNER, type Session } from '../helpers/server';

const ORIGIN = 'http://localhost:3000';
let mc: Awaited<ReturnType<typeof startMissionControl>>;
let owner: Session;
let key: string;
const contexts: BrowserContext[] = [];
// A: a person replied, then staff closed it (rated 5 with a comment). B: Bob alone (rated 2).
const A = sid();
const B = sid();

beforeAll(async () => {
  mc = await startMissionControl();
  owner = await setOnboarded(mc.bob, true);
  key = await demoKey(mc.bob);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await mc?.close();
});

const rate = (session_id: string, score: number, comment?: string) =>
  mc.bob.send('POST', '/api/widget/rating', { session_id, score, ...(comment !== undefined && { comment }) }, { 'X-Widget-Key': key, Origin: ORIGIN });
const internal = async (externalId: string) => (await records(mc.bob).session(externalId))!.id;

async function open(opts: Parameters<typeof signInAs>[3]): Promise<Page> {
  const { context, page } = await signInAs(mc.browser, mc.bob, DEMO_OWNER, opts);
  contexts.push(context);
  return page;
}

/** At 1280 and 390 px, light and dark: nothing wider than the screen; `csat-<name>-<width>-<scheme>.png` into SHOTS. */
async function shots(page: Page, name: string, target: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      await page.waitForTimeout(100); // layout after the resize
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px`).toBeLessThanOrEqual(width);
      expect(await page.evaluate(() => { const p = document.querySelector('.page, .transcript')!; return p.scrollWidth - p.clientWidth; }), `${name} at ${width} px`).toBeLessThanOrEqual(0);
      await page.locator(target).screenshot({ path: `${SHOTS}/csat-${name}-${width}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

it('Live shows the rating as soon as the visitor gives it; History shows it too', async () => {
  expect((await widgetChat(mc.bob, key, ORIGIN, { session_id: A, message: 'I would like to talk to a person' })).status).toBe(200);
  expect((await mc.bob.send('POST', '/api/chat/message', { session_id: A, message: 'Hi, I am here to help.' }, owner.bearer)).status).toBe(201);
  const a = await internal(A);

  const page = await open({ path: `live/${a}` });
  const transcript = page.locator('section.transcript');
  await transcript.getByText('Hi, I am here to help.').waitFor();
  expect(await transcript.getByTestId('rating-badge').count()).toBe(0);

  // Closed by staff, rated by the visitor: the header shows it without a reload (csat.submitted).
  expect((await mc.bob.send('POST', `/api/chat/sessions/${A}/close`, {}, owner.bearer)).status).toBe(200);
  expect((await rate(A, 5, 'Quick and kind, thank you. '.repeat(12).trim())).status).toBe(201);
  const badge = transcript.getByTestId('rating-badge');
  await badge.getByText('Rated 5 of 5').waitFor();
  expect(await badge.getByRole('blockquote', { name: 'The visitor’s comment' }).textContent()).toMatch(/^Quick and kind, thank you\./);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page)).toEqual([]);
  }
  await shots(page, 'live-header', 'header.transcript-head');

  // B: Bob alone, closed, rated without a comment; History's transcript shows it.
  expect((await widgetChat(mc.bob, key, ORIGIN, { session_id: B, message: 'What are your opening hours?' })).status).toBe(200);
  expect((await mc.bob.send('POST', `/api/chat/sessions/${B}/close`, {}, owner.bearer)).status).toBe(200);
  expect((await rate(B, 2)).status).toBe(201);
  await visit(page, `history/${await internal(B)}`);
  await transcript.getByTestId('rating-badge').getByText('Rated 2 of 5').waitFor();
  expect(await transcript.getByTestId('rating-badge').getByRole('blockquote').count()).toBe(0);
});

it('Usage shows the average and count, Bob alone and per person; no axe violations, light and dark; fits 390 px', async () => {
  const me = (await (await mc.bob.fetch('/api/auth/me', { headers: owner.bearer })).json()) as { user: { name: string } };
  const page = await open({ path: 'usage' });
  const csat = page.getByRole('region', { name: 'Visitor ratings' });
  await csat.getByText('Average 3.5 of 5 from 2 ratings.').waitFor();
  const rows = await csat.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim())));
  expect(rows).toEqual(expect.arrayContaining([['Bob alone', '1', '2'], [me.user.name, '1', '5']]));
  expect(rows).toHaveLength(2);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page)).toEqual([]);
  }
  await shots(page, 'usage', '[data-testid="csat-usage"]');
  // On a phone the head row is hidden: each number is labelled in its cell.
  await page.setViewportSize({ width: 390, height: 844 });
  const cell = csat.locator('tbody td').first();
  expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Ratings"');
});

it('in Italian: Usage and the transcript header', async () => {
  const page = await open({ path: 'usage', lang: 'it' });
  const csat = page.getByRole('region', { name: 'Valutazioni dei visitatori' });
  await csat.getByText('Media 3,5 su 5 da 2 valutazioni.').waitFor();
  await csat.getByRole('rowheader', { name: 'Solo Bob' }).waitFor();
  await visit(page, `history/${await internal(A)}`, 'it');
  const badge = page.locator('section.transcript').getByTestId('rating-badge');
  await badge.getByText('Valutata 5 su 5').waitFor();
  await badge.getByRole('blockquote', { name: 'Il commento del visitatore' }).waitFor();
});
