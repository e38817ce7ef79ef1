import { SHOTS, signInPage, startMissionControl } from '../helpers/mission-control';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { inTimeOrder, records } from '../helpers/db';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_ADMIN, DEMO_OWNER, type TestServer } from '../helpers/server';

let bob: TestServer;
let context: BrowserContext | undefined;
let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  ({ bob } = mc);
  // The owner's pages, not the onboarding wizard.
  await setOnboarded(bob, true);
});
afterAll(() => mc?.close());
beforeEach(async () => {
  await context?.close();
  context = undefined;
});

const PHONE = { width: 390, height: 844 };

async function signIn(who: { email: string; password: string }, path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  let page: Page;
  ({ context, page } = await signInPage(mc, who, path, { viewport }));
  return page;
}

/** A visitor's conversation with `turns` questions (and Bob's answers): taller than the window. */
async function longConversation(turns: number, business_id?: string): Promise<{ session_id: string; id: string }> {
  const session_id = sid();
  for (let i = 0; i < turns; i++) await publicChat(bob, { session_id, business_id, message: `Question ${i + 1}: how much is Pro?` });
  const id = (await records(bob).session(session_id))!.id;
  return { session_id, id };
}

const atBottom = (page: Page) =>
  page.locator('.transcript .messages').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 4);

/** Whether the element is inside the visible part of the transcript's scroller. */
const inView = (page: Page, text: string) =>
  page.locator('.transcript .messages li', { hasText: text }).last().evaluate((li) => {
    const box = li.getBoundingClientRect();
    const view = li.parentElement!.getBoundingClientRect();
    return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
  });

describe('Mission Control: Live and History', () => {
  it('opens a conversation at its newest message, follows new ones at the bottom, and offers "New messages" when scrolled up', async () => {
    const { id } = await longConversation(14);
    const page = await signIn(DEMO_ADMIN, `live/${id}`);
    await page.getByText('Question 14: how much is Pro?').waitFor();
    await expect.poll(() => atBottom(page)).toBe(true);
    expect(await inView(page, 'Question 14')).toBe(true);

    // At the bottom: a new message stays in view.
    const session_id = (await records(bob).sessions()).find((s) => s.id === id)!.external_id;
    await publicChat(bob, { session_id, message: 'Question 15: and Base?' });
    await page.getByText('Question 15: and Base?').waitFor();
    await expect.poll(() => atBottom(page)).toBe(true);
    expect(await inView(page, 'Question 15')).toBe(true);

    // Reading older messages: a new one does not pull the reader down, a button says it came.
    await page.locator('.transcript .messages').evaluate((el) => el.scrollTo({ top: 0 }));
    await publicChat(bob, { session_id, message: 'Question 16: and Enterprise?' });
    await page.getByText('Question 16: and Enterprise?').waitFor({ state: 'attached' });
    const jump = page.getByRole('button', { name: 'New messages' });
    await jump.waitFor();
    expect(await page.locator('.transcript .messages').evaluate((el) => el.scrollTop)).toBeLessThan(50);
    await page.screenshot({ path: `${SHOTS}/mc-live-new-messages.png` });
    await jump.click();
    await expect.poll(() => atBottom(page)).toBe(true);
    await jump.waitFor({ state: 'detached' });
  });

  it('on a 390 px phone: list → conversation using the screen → Back, and no page wider than the screen', async () => {
    const { id, session_id } = await longConversation(6);
    const label = `Visitor ${session_id.slice(0, 8)}`;
    const page = await signIn(DEMO_ADMIN, 'live', PHONE);
    await expect(page.getByText(/on the left/).count()).resolves.toBe(0);
    const row = page.getByRole('link', { name: new RegExp(label) });
    await row.click();
    expect(new URL(page.url()).hash).toBe(`#/live/${id}`);
    const messages = page.locator('.transcript .messages');
    await messages.waitFor();
    const height = (await messages.boundingBox())!.height;
    expect(height).toBeGreaterThanOrEqual(0.6 * PHONE.height);
    const reply = page.getByRole('textbox', { name: 'Reply to the visitor…' });
    const box = (await reply.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    expect(await row.isVisible()).toBe(false);
    await page.screenshot({ path: `${SHOTS}/mc-live-phone-open.png` });

    // Reloading keeps the conversation (it is in the address); Back returns to the list.
    await page.reload();
    await messages.waitFor();
    await page.getByRole('link', { name: 'Back' }).click();
    expect(new URL(page.url()).hash).toBe('#/live');
    await row.waitFor();
    await page.screenshot({ path: `${SHOTS}/mc-live-phone-list.png` });

    await page.goto(`${bob.url}/app/#/history/${id}`);
    await messages.waitFor();
    await page.getByRole('link', { name: 'Back' }).click();
    expect(new URL(page.url()).hash).toBe('#/history');
    await page.getByRole('link', { name: new RegExp(label) }).waitFor();

    // Every page of the nav, as the platform admin and as a business owner, fits the width.
    const wide: string[] = [];
    for (const who of [DEMO_ADMIN, DEMO_OWNER]) {
      const p = who === DEMO_ADMIN ? page : await signIn(who, 'live', PHONE);
      const sections = await p.locator('.sidebar .nav-item').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).hash));
      expect(sections.length).toBeGreaterThan(8);
      for (const hash of sections) {
        await p.goto(`${bob.url}/app/${hash}`);
        await p.locator('.nav-item[aria-current="page"]').waitFor();
        await p.waitForLoadState('networkidle').catch(() => {});
        await p.getByText('Loading…').first().waitFor({ state: 'detached', timeout: 5000 });
        // The document, and any page-wide scroller inside it, no wider than the screen (tables scroll in their own box).
        const over = await p.evaluate(() => {
          const found: string[] = [];
          if (document.documentElement.scrollWidth > window.innerWidth) found.push(`document ${document.documentElement.scrollWidth}px`);
          for (const el of document.querySelectorAll<HTMLElement>('.content, .content *')) {
            if (el.closest('table, .table-scroll, pre, code, textarea')) continue;
            const { overflowX } = getComputedStyle(el);
            if ((overflowX === 'auto' || overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) found.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}px`);
            // Nor cut off at the right edge by a container that hides its overflow.
            else if (el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.ellipsis')) found.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(el.getBoundingClientRect().right)}px`);
          }
          return found;
        });
        if (over.length) {
          wide.push(`${who.email} ${hash}: ${over.join(', ')}`);
          await p.screenshot({ path: `${SHOTS}/mc-phone-wide-${hash.slice(2)}.png`, fullPage: true });
        }
      }
    }
    expect(wide).toEqual([]);
  });

  it('keeps a persona try-it run out of Live and History', async () => {
    const page = await signIn(DEMO_ADMIN, 'personas');
    const ask = page.getByRole('textbox', { name: 'Ask as a visitor would…' });
    await ask.fill('How much is Pro? (trying the persona)', { timeout: 10_000 });
    await ask.press('Enter');
    await page.locator('.tryit .bubble.bot').filter({ hasText: /\$/ }).waitFor({ timeout: 5000 });
    const run = inTimeOrder((await records(bob).sessions()).filter((s) => s.channel === 'console').map((s) => ({ ...s, at: s.created_at }))).at(-1)!;
    expect(run.visitor_name).toBeTruthy();

    await page.getByRole('link', { name: 'Live', exact: true }).click();
    // A real visitor who writes afterwards shows up; the try-it run never does.
    const visitor = sid();
    await publicChat(bob, { session_id: visitor, message: 'Hello, a real visitor here' });
    // Explicit waits (not the test's 30 s): a failure says which step never came.
    await page.getByRole('link', { name: new RegExp(`Visitor ${visitor.slice(0, 8)}`) }).waitFor({ timeout: 10_000 });
    expect(await page.locator('.list .row', { hasText: run.visitor_name! }).count()).toBe(0);
    expect(await page.locator(`.list a[href$="${run.id}"]`).count()).toBe(0);
    await page.getByRole('link', { name: 'History', exact: true }).click({ timeout: 5000 });
    await page.getByRole('link', { name: new RegExp(`Visitor ${visitor.slice(0, 8)}`) }).waitFor({ timeout: 10_000 });
    expect(await page.locator(`.list a[href$="${run.id}"]`).count()).toBe(0);
  });

  it('searches History as you type, marks the word in the matching message, and names the visitor as Live does', async () => {
    const a = sid();
    await publicChat(bob, { session_id: a, message: 'Do you deliver to Trastevere after 11pm?' });
    await publicChat(bob, { session_id: a, message: 'How much is Pro?' });
    await publicChat(bob, { session_id: sid(), message: 'How much is Base?' });
    const id = (await records(bob).session(a))!.id;

    const page = await signIn(DEMO_ADMIN, 'live');
    const liveRow = page.locator(`.list a[href="#/live/${id}"]`);
    const liveLabel = (await liveRow.locator('strong').textContent())!;
    expect(liveLabel).toBe(`Visitor ${a.slice(0, 8)}`);

    await page.getByRole('link', { name: 'History', exact: true }).click();
    const search = page.getByRole('searchbox', { name: /Search/ });
    await search.pressSequentially('trasteve', { delay: 30 }); // no Enter
    const hit = page.locator('.list mark', { hasText: 'Trastevere' });
    await hit.waitFor({ timeout: 3000 });
    const rows = page.locator('.list .row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('href')).toBe(`#/history/${id}`);
    expect(await rows.first().locator('strong').textContent()).toBe(liveLabel);
    expect(await rows.first().textContent()).toContain('Do you deliver to Trastevere after 11pm?');
    await page.screenshot({ path: `${SHOTS}/mc-history-search.png` });
    await rows.first().click();
    expect(await page.locator('.transcript-head h2').textContent()).toBe(liveLabel);
  });
});
