// Issue #23, tools for agents in real Chromium: a quick reply typed as /shortcut and chosen with
// the keyboard, a label, an assignment that notifies the teammate, filters in Live and History
// (kept in the address), and axe on the Quick replies page.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import { publicChat, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { docShot, signInPage, startMissionControl } from '../helpers/mission-control';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, login, type Session, type TestServer } from '../helpers/server';

let bob: TestServer;
let mc: Awaited<ReturnType<typeof startMissionControl>>;
let owner: Session;
let annaId: string;
const ANNA = { email: 'anna@business.com', password: 'anna-password-1' };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mc = await startMissionControl();
  ({ bob } = mc);
  await setOnboarded(bob, true);
  owner = await login(bob, DEMO_OWNER);
  const anna = await bob.send('POST', '/api/team', { email: ANNA.email, name: 'Anna', role: 'agent', password: ANNA.password }, owner.bearer);
  annaId = (await anna.json()).id;
  for (const c of [
    { shortcut: 'greet', title: 'Greeting', body_en: 'Hello! How can I help you today?', body_it: 'Ciao! Come posso aiutarti oggi?' },
    { shortcut: 'goodbye', title: 'Goodbye', body_en: 'Thanks for writing, goodbye!', body_it: 'Grazie per averci scritto, arrivederci!' },
  ]) {
    expect((await bob.send('POST', '/api/canned-responses', c, owner.bearer)).status).toBe(201);
  }
  expect((await bob.send('POST', '/api/chat/labels', { name: 'VIP', color: 'purple' }, owner.bearer)).status).toBe(201);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await mc?.close();
});

async function signIn(who: { email: string; password: string }, path: string): Promise<Page> {
  const { context, page } = await signInPage(mc, who, path);
  contexts.push(context);
  return page;
}

async function conversation(message: string): Promise<string> {
  const session_id = sid();
  expect((await publicChat(bob, { session_id, message, business_id: 'business-co' })).status).toBe(200);
  return (await records(bob).session(session_id))!.id;
}

const row = (page: Page, section: 'live' | 'history', id: string) => page.locator(`a.row[href^="#/${section}/${id}"]`);

describe('Mission Control: tools for agents', () => {
  it('inserts a quick reply chosen with the keyboard, in the conversation\'s language, editable before sending', async () => {
    const id = await conversation('Hello, I have a question about my order');
    const page = await signIn(DEMO_OWNER, `live/${id}`);
    const box = page.getByRole('textbox', { name: 'Reply to the visitor…' });
    await box.fill('/g');
    const list = page.getByRole('listbox', { name: 'Quick replies' });
    await list.waitFor();
    expect(await list.getByRole('option').count()).toBe(2);
    await docShot(page, 'mc-live-quick-replies-1280-light-en.png');
    await docShot(page, 'mc-live-quick-replies-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844 });
    await page.locator('header label.lang select').selectOption('en', { force: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await box.fill('');
    await box.fill('/g');
    await list.waitFor();
    // Sorted by shortcut: /goodbye then /greet; the first is active.
    await expect.poll(() => box.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').nth(0).getAttribute('id'));
    await box.press('ArrowDown');
    expect(await list.getByRole('option', { selected: true }).textContent()).toContain('/greet');
    await box.press('Enter');
    await list.waitFor({ state: 'hidden' });
    expect(await box.inputValue()).toBe('Hello! How can I help you today?');
    // Escape closes the list without inserting.
    await box.press('End');
    await box.pressSequentially(' Anna here. /gr');
    await list.waitFor();
    await box.press('Escape');
    await list.waitFor({ state: 'hidden' });
    await box.press('Backspace');
    await box.press('Backspace');
    await box.press('Backspace');
    await box.press('Backspace');
    expect(await box.inputValue()).toBe('Hello! How can I help you today? Anna here.');
    await box.press('Enter');
    await page.locator('.bubble.agent', { hasText: 'Hello! How can I help you today? Anna here.' }).waitFor();

    // An Italian visitor gets the Italian text.
    const it = await conversation('Buongiorno, vorrei sapere quanto costa il piano, grazie');
    expect((await records(bob).sessions()).find((s) => s.id === it)!.language).toBe('it');
    await page.evaluate((p) => (window.location.hash = p), `#/live/${it}`);
    const itBox = page.getByRole('textbox', { name: 'Reply to the visitor…' });
    await itBox.fill('/greet');
    await list.waitFor();
    await itBox.press('Enter');
    expect(await itBox.inputValue()).toBe('Ciao! Come posso aiutarti oggi?');
  });

  it('labels a conversation, assigns it to a teammate who is notified, and filters Live and History', async () => {
    const labelled = await conversation('I need help with an invoice');
    const other = await conversation('Just browsing, thanks');
    const annaPage = await signIn(ANNA, 'live');
    const page = await signIn(DEMO_OWNER, `live/${labelled}`);

    await page.getByText('Labels…').click();
    await page.getByRole('checkbox', { name: 'VIP' }).check();
    await page.locator('.transcript-head .label-list').getByText('VIP').waitFor();
    await row(page, 'live', labelled).locator('.label-chip', { hasText: 'VIP' }).waitFor();

    await page.getByLabel('Assigned to').selectOption({ label: 'Anna' });
    await annaPage.getByRole('status').getByText('Business Co Owner assigned you a conversation').waitFor();
    await row(annaPage, 'live', labelled).getByText('Assigned to me').waitFor();
    await annaPage.getByRole('link', { name: 'Business Co Owner assigned you a conversation' }).click();
    await annaPage.locator('.transcript-head h2').waitFor();
    expect(annaPage.url()).toContain(`#/live/${labelled}`);

    // Live filtered by label: only the labelled conversation; the address keeps the filter.
    await row(page, 'live', other).waitFor();
    const labelId = (await (await bob.fetch('/api/chat/labels', { headers: owner.bearer })).json()).data[0].id;
    await page.getByLabel('Label', { exact: true }).selectOption({ label: 'VIP' });
    await row(page, 'live', other).waitFor({ state: 'detached' });
    await row(page, 'live', labelled).waitFor();
    expect(page.url()).toContain(`label=${labelId}`);
    await docShot(page, 'mc-live-labels-1280-light-en.png');
    await docShot(page, 'mc-live-labels-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844 });
    await page.locator('header label.lang select').selectOption('en', { force: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });

    // History, opened from a shared address: assigned to Anna.
    await page.evaluate((p) => (window.location.hash = p), `#/history?assignee=${annaId}`);
    await row(page, 'history', labelled).waitFor();
    expect(await page.locator('a.row').count()).toBe(1);
    expect(await page.getByLabel('Assignee').inputValue()).toBe(annaId);
    // …then unassigned, through the control: the other conversation, not the labelled one.
    await page.getByLabel('Assignee').selectOption({ label: 'Unassigned' });
    await row(page, 'history', other).waitFor();
    expect(await row(page, 'history', labelled).count()).toBe(0);
    expect(page.url()).toContain('assignee=unassigned');
  });

  it('manages quick replies and labels on their own page, with no axe violations', async () => {
    const page = await signIn(DEMO_OWNER, 'quickReplies');
    await page.getByRole('heading', { name: 'Quick replies', exact: true }).waitFor();
    await page.getByText('/greet').waitFor();
    const form = page.getByRole('form', { name: 'Add quick reply' });
    await form.getByLabel('Shortcut').fill('hours');
    await form.getByLabel('Title').fill('Opening hours');
    await form.getByLabel('Text in English').fill('We are open 9 to 18.');
    await form.getByLabel('Text in Italian').fill('Siamo aperti dalle 9 alle 18.');
    await form.getByRole('button', { name: 'Add quick reply' }).click();
    await page.getByText('/hours').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await docShot(page, 'mc-quick-replies-1280-light-en.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await docShot(page, 'mc-quick-replies-390-dark-it.png', { lang: 'it', width: 390, height: 844 });
  });
});
