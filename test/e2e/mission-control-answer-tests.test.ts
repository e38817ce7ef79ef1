import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { dictionaries } from '../../src/renderer/src/i18n';
import { axeViolations } from '../helpers/axe';
import { publicChat, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { SHOTS, screenshotPageViews, startMissionControl } from '../helpers/mission-control';
import { withoutDemoKnowledge } from '../helpers/demo';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, type Session } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let context: BrowserContext | undefined;
let owner: Session;
beforeAll(async () => {
  mc = await startMissionControl();
  owner = await setOnboarded(mc.bob, true);
  // The demo's own tests out of the way: this file counts its own.
  await withoutDemoKnowledge(mc.bob, owner);
});
let current: Page | undefined;
// A failed step leaves a picture of where it stopped.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await current?.screenshot({ path: `${SHOTS}/mc-answer-tests-failed-${ctx.task.name.slice(0, 24).replace(/\W+/g, '-')}.png`, fullPage: true }).catch(() => {});
});
afterAll(async () => {
  await context?.close();
  await mc?.close();
});

/** A fresh context (axe needs one) signed in as the owner on `#/<hash>`. */
async function signIn(hash: string, opts: { lang?: 'en' | 'it'; width?: number } = {}): Promise<Page> {
  await context?.close();
  const lang = opts.lang ?? 'en';
  context = await mc.browser.newContext({ viewport: { width: opts.width ?? 1280, height: 800 }, locale: lang === 'en' ? 'en-US' : 'it-IT' });
  await context.addInitScript((l) => localStorage.setItem('bob.lang', l), lang);
  const page = await context.newPage();
  current = page;
  // A step that cannot happen fails by name, well before the test's own timeout.
  page.setDefaultTimeout(10_000);
  await page.goto(`${mc.bob.url}/app/#/${hash}`);
  const t = dictionaries[lang];
  await page.getByLabel(t.email).fill(DEMO_OWNER.email);
  await page.getByLabel(t.password, { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: t.signIn }).click();
  await page.getByRole('button', { name: t.signIn }).waitFor({ state: 'detached' });
  return page;
}

const conversationCount = async () => (await records(mc.bob).sessions()).length;

/** Fills the open test form and saves it. */
async function writeTest(page: Page, t: { question?: string; include?: string[]; exclude?: string[] }) {
  const form = page.getByRole('form', { name: 'New answer test' });
  await form.waitFor();
  if (t.question) await form.getByLabel('Question', { exact: true }).fill(t.question);
  for (const w of t.include ?? []) {
    await form.getByRole('textbox', { name: 'The answer must contain' }).fill(w);
    await form.getByRole('textbox', { name: 'The answer must contain' }).press('Enter');
  }
  for (const w of t.exclude ?? []) await form.getByRole('textbox', { name: 'The answer must not contain' }).fill(`${w},`);
  await form.getByRole('button', { name: 'Save test' }).click();
  await form.waitFor({ state: 'detached' });
}

it('the owner writes a passing and a failing test, runs them against the published catalog and reads the failure side by side', async () => {
  const page = await signIn('tests');
  await page.getByRole('heading', { name: 'Answer tests', exact: true }).waitFor();
  await page.getByText('No tests yet.').waitFor();
  await expect(page.getByRole('link', { name: 'Answer tests', exact: true }).getAttribute('aria-current')).resolves.toBe('page');

  await page.getByRole('link', { name: 'New test' }).click();
  await writeTest(page, { question: 'How much is a tax return?', include: ['180'] });
  await page.getByRole('link', { name: 'New test' }).click();
  await writeTest(page, { question: 'How much is an initial consultation?', include: ['consultation', '75'], exclude: ['90'] });
  await page.getByRole('heading', { name: 'Tests (2)' }).waitFor();
  const row = page.locator('.test-row', { hasText: 'How much is an initial consultation?' });
  expect(await row.getByRole('list', { name: 'The answer must contain' }).getByRole('listitem').allTextContents()).toEqual(['consultation', '75']);
  expect(await row.locator('.chip.not s').allTextContents()).toEqual(['90']);

  const conversations = await conversationCount();
  await page.getByRole('button', { name: 'Run against published' }).click();
  const results = page.getByRole('region', { name: 'Results' });
  await results.getByText('1 passed · 1 failed').waitFor();
  // Runs create no conversations.
  expect(await conversationCount()).toBe(conversations);

  // Failures first, side by side: the expectation left, Bob's reply right with the words marked.
  const failed = results.getByRole('region', { name: 'Failed' }).locator('.test-result');
  await expect(failed.count()).resolves.toBe(1);
  await failed.getByRole('heading', { name: /How much is an initial consultation\?/ }).waitFor();
  const [expected, reply] = [failed.locator('.compare .side').nth(0), failed.locator('.compare .side').nth(1)];
  await expected.getByText('expects an answer').waitFor();
  expect(await reply.locator('mark.hit').allTextContents()).toEqual(['consultation']);
  expect(await reply.locator('mark.forbidden').allTextContents()).toEqual(['90']);
  await reply.locator('.receipt').getByText(/Based on catalog v1/).waitFor();
  await failed.getByText('“75” is missing · “90” should not be there').waitFor();
  const boxes = await failed.locator('.compare .side').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
  expect(boxes[1]!.left).toBeGreaterThan(boxes[0]!.right - 1);

  const passed = results.getByRole('region', { name: 'Passed' });
  await passed.getByText('How much is a tax return?').click();
  expect(await passed.locator('mark.hit').allTextContents()).toEqual(['180']);

  // The run is in the history; an older one opens from there.
  await page.getByRole('button', { name: 'Run against draft' }).click();
  const history = page.getByRole('region', { name: 'Earlier runs' });
  await expect.poll(() => history.getByRole('row').count()).toBe(3);
  await results.getByText(/^Against the draft version/).waitFor();
  await history.getByRole('button', { name: 'Show' }).click();
  await results.getByText(/^Against the published version/).waitFor();
});

it('makes a test from a transcript message in one click', async () => {
  const s = sid();
  await publicChat(mc.bob, { session_id: s, business_id: 'business-co', message: 'Do you do payroll for 12 people?' });
  const id = (await records(mc.bob).session(s))!.id;

  const page = await signIn(`history/${id}`);
  const visitor = page.locator('.bubble.visitor', { hasText: 'Do you do payroll for 12 people?' });
  await visitor.waitFor();
  // Shown on hover or focus, reachable by keyboard.
  const make = visitor.getByRole('link', { name: 'Make an answer test from “Do you do payroll for 12 people?”' });
  await make.focus();
  await expect(make.evaluate((a) => getComputedStyle(a).opacity)).resolves.toBe('1');
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'New answer test' });
  await expect(form.getByLabel('Question', { exact: true }).inputValue()).resolves.toBe('Do you do payroll for 12 people?');

  // From Bob's reply: the visitor's question, the reply shown beside the form as reference.
  await page.evaluate(() => history.back());
  const bot = page.locator('.bubble.visitor ~ .bubble.bot').first();
  const botText = (await bot.locator('.body').textContent())!;
  await bot.hover();
  await bot.getByRole('link', { name: /^Make an answer test from Bob's reply to/ }).click();
  await expect(form.getByLabel('Question', { exact: true }).inputValue()).resolves.toBe('Do you do payroll for 12 people?');
  await form.locator('blockquote').getByText(botText).waitFor();
  await writeTest(page, { include: ['240'] });
  await page.getByRole('heading', { name: 'Tests (3)' }).waitFor();
  expect(page.url()).toMatch(/#\/tests$/);
});

it('with blocking on, a catalog draft that breaks a test is not published, and the failing test is named', async () => {
  const page = await signIn('tests');
  const block = page.getByRole('checkbox', { name: 'Block publishing when a test fails' });
  // The box follows the saved setting (it turns on once the server said so): not check(), which wants it at once.
  await block.click();
  await expect.poll(async () => (await (await mc.bob.send('GET', '/api/tenant', undefined, owner.bearer)).json()).settings.block_publish_on_failed_tests).toBe(true);
  await expect.poll(() => block.isChecked()).toBe(true);
  await expect(block.getAttribute('aria-describedby').then((d) => page.locator(`#${d}`).textContent())).resolves.toMatch(/^Publishing a catalog or a persona first runs every test/);

  // Only the tax-return test stays: the others fail whatever the catalog says.
  for (const q of ['How much is an initial consultation?', 'Do you do payroll for 12 people?']) {
    await page.getByRole('button', { name: `Delete test “${q}”` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete test' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  }
  await page.getByRole('heading', { name: 'Tests (1)' }).waitFor();

  // A draft where the tax return costs 195: the test expects 180.
  const draft = (await (await mc.bob.send('POST', '/api/catalog/versions', undefined, owner.bearer)).json()) as { version: number; items: { id: string; price: number | null }[] };
  const items = draft.items.map((i) => (i.id === 'tax-return' ? { ...i, price: 195 } : i));
  expect((await mc.bob.send('PUT', `/api/catalog/versions/${draft.version}`, { items }, owner.bearer)).status).toBe(200);

  await page.getByRole('link', { name: 'Catalog' }).click();
  const form = page.getByRole('form', { name: `Draft version ${draft.version}` });
  const panel = form.getByRole('region', { name: 'Answer tests on this draft' });
  await panel.getByText('The answer tests have not run against this draft yet.').waitFor();
  await panel.getByRole('button', { name: 'Run tests' }).click();
  await panel.getByText(/^✗ 0 of 1 answer tests pass against this draft · /).waitFor();
  await panel.getByRole('listitem').getByText('How much is a tax return?').waitFor();

  await form.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await dialog.getByRole('alert').getByText(/^Not published: these answer tests fail against it — “How much is a tax return\?”/).waitFor();
  const published = (await (await mc.bob.fetch('/api/catalog?business_id=business-co')).json()) as { version: number };
  expect(published.version).toBe(1);
  await page.screenshot({ path: `${SHOTS}/mc-catalog-publish-blocked.png` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  // The run the publish made is the panel's last run now.
  await panel.getByText(/^✗ 0 of 1 answer tests pass against this draft/).waitFor();

  await mc.bob.send('PATCH', '/api/tenant', { settings: { block_publish_on_failed_tests: false } }, owner.bearer);
});

it('the Answer tests page with a run shown has no axe violations, and its screenshots at 1280 and 390 px, light and dark, English and Italian', async () => {
  // A failing test back in, and a fresh run so the page shows a failure and a pass.
  await mc.bob.send('POST', '/api/answer-tests', { question: 'How much is an initial consultation?', must_include: ['consultation', '75'], must_not_include: ['90'] }, owner.bearer);
  expect((await mc.bob.send('POST', '/api/answer-tests/run', { against: 'published' }, owner.bearer)).status).toBe(201);

  const page = await signIn('tests');
  await page.getByText('1 passed · 1 failed').waitFor();
  expect(await axeViolations(page)).toEqual([]);

  for (const lang of ['en', 'it'] as const) {
    const p = await signIn('tests', { lang });
    const t = dictionaries[lang];
    await p.getByText(t.tests.counts(1, 1)).waitFor();
    await screenshotPageViews(p, 'answer-tests', lang);
  }
});
