import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { KnowledgeDocument } from '../../src/shared/schemas/knowledge';
import { axeViolations } from '../helpers/axe';
import { publicChat, sid } from '../helpers/chat';
import { screenshotPageViews, startMissionControl } from '../helpers/mission-control';
import { signInAs, visit, setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, type Session } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let owner: Session;
let context: BrowserContext | undefined;
beforeAll(async () => {
  mc = await startMissionControl();
  owner = await setOnboarded(mc.bob, true);
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(() => mc?.close());

async function open(path: string, opts: Parameters<typeof signInAs>[3] = {}): Promise<Page> {
  const s = await signInAs(mc.browser, mc.bob, DEMO_OWNER, { path, ...opts });
  context = s.context;
  s.page.setDefaultTimeout(15_000);
  return s.page;
}
const ask = async (message: string) => (await (await publicChat(mc.bob, { session_id: sid(), message, business_id: 'business-co' })).json()) as { reply: string; handoff: boolean; basis: { faq_ids: string[] } };
const documents = async () => ((await (await mc.bob.fetch('/api/knowledge', { headers: owner.bearer })).json()) as { data: KnowledgeDocument[] }).data;

/** Drops a file on an element the way a browser does (a DataTransfer carrying a File). */
async function dropFile(page: Page, testId: string, name: string, type: string, text: string) {
  const transfer = await page.evaluateHandle(([n, ty, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: ty }));
    return dt;
  }, [name, type, text] as const);
  const zone = page.getByTestId(testId);
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

it('the owner adds a FAQ entry, writes a document, uploads and drops files, and opens one to edit it', async () => {
  const page = await open('knowledge');
  const faq = page.getByRole('region', { name: 'Questions and answers' });
  const docs = page.getByRole('region', { name: 'Documents' });
  // The demo business may come with documents of its own: this test counts what it adds.
  const before = new Set((await documents()).map((d) => d.id));
  const added = async () => (await documents()).filter((d) => !before.has(d.id));
  await docs.getByRole('heading', { name: /^Your documents \(\d+\)$/ }).waitFor();

  // A question and its answer.
  await faq.getByRole('button', { name: 'Add a question' }).click();
  const form = faq.getByRole('form', { name: 'New question' });
  await form.getByLabel('Question').fill('Do you have parking?');
  await form.getByLabel('Answer').fill('Yes, free parking behind the office.');
  await form.getByRole('button', { name: 'Save' }).click();
  await faq.getByRole('status').getByText('Question added: Bob answers it from the next message.').waitFor();
  await faq.getByText('Yes, free parking behind the office.').waitFor();
  expect(await form.count()).toBe(0);

  // Edited in place.
  await faq.getByRole('button', { name: 'Edit “Do you have parking?”' }).click();
  const edit = faq.getByRole('form', { name: 'Edit “Do you have parking?”' });
  await edit.getByLabel('Answer').fill('Yes: free parking behind the office, 20 places.');
  await edit.getByRole('button', { name: 'Save' }).click();
  await faq.getByText('Yes: free parking behind the office, 20 places.').waitFor();

  // A document written here, in Markdown.
  await docs.getByRole('button', { name: 'Write a document' }).click();
  const write = docs.getByRole('form', { name: 'Write a document' });
  await write.getByLabel('Title').fill('Delivery terms');
  await write.getByLabel('Text (Markdown)').fill('# Delivery\n\nWe deliver within Milan on weekdays, the next working day after the order.');
  await write.getByRole('button', { name: 'Save' }).click();
  await docs.getByRole('status').getByText('“Delivery terms” added: Bob answers from it now.').waitFor();
  await docs.getByRole('link', { name: 'Delivery terms' }).waitFor();

  // A Markdown file through the file picker, an HTML page dropped on the zone.
  await docs.getByTestId('knowledge-file').setInputFiles({
    name: 'Opening hours in August.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from('# August\n\nIn August the office closes from the 10th to the 24th for the summer holidays.\n'),
  });
  await docs.getByRole('status').getByText('“Opening hours in August” added: Bob answers from it now.').waitFor();
  await dropFile(page, 'knowledge-drop', 'returns.html', 'text/html', '<!doctype html><html><head><title>Returns</title></head><body><h1>Returns</h1><p>Returns are accepted within 14 days with the receipt.</p></body></html>');
  await docs.getByRole('status').getByText('“returns” added: Bob answers from it now.').waitFor();

  // An empty file: the server's reason, next to the zone.
  await docs.getByTestId('knowledge-file').setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.from('   \n') });
  await docs.getByRole('alert').waitFor();

  const list = await added();
  expect(list.map((d) => [d.title, d.type]).sort()).toEqual([['Delivery terms', 'markdown'], ['Opening hours in August', 'markdown'], ['returns', 'html']]);
  const row = docs.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Opening hours in August' }) });
  await row.getByText('Markdown', { exact: true }).waitFor();
  await row.getByText(/\d+ B · 1 passage · updated /).waitFor();

  // Opened: its text, edited and saved.
  await docs.getByRole('link', { name: 'Delivery terms' }).click();
  const editor = docs.getByRole('form', { name: 'Document: Delivery terms' });
  await expect.poll(() => editor.getByLabel('Text (Markdown)').inputValue()).toContain('We deliver within Milan');
  await editor.getByLabel('Text (Markdown)').fill('# Delivery\n\nWe deliver within Milan and Monza on weekdays.');
  await editor.getByRole('button', { name: 'Save' }).click();
  await docs.getByRole('status').getByText('Document saved: Bob answers from the new text now.').waitFor();
  const detail = (await (await mc.bob.fetch(`/api/knowledge/${list.find((d) => d.title === 'Delivery terms')!.id}`, { headers: owner.bearer })).json()) as { content: string };
  expect(detail.content).toContain('Milan and Monza');
  await editor.getByRole('link', { name: 'Close' }).click();
  await editor.waitFor({ state: 'detached' });

  // Deleted through the dialog.
  await docs.getByRole('button', { name: 'Delete returns' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “returns”?' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await docs.getByRole('status').getByText('“returns” deleted.').waitFor();
  expect((await added()).map((d) => d.title).sort()).toEqual(['Delivery terms', 'Opening hours in August']);
}, 60_000);

it('Usage groups three unknown questions; "Answer this" opens the FAQ form prefilled, and then Bob answers', async () => {
  const wordings = ['Do you have wheelchair access?', 'Is there wheelchair access?', 'Wheelchair access at the office?'];
  for (const q of wordings) expect(await ask(q)).toMatchObject({ handoff: false });

  const page = await open('usage');
  const unanswered = page.getByRole('region', { name: 'What Bob couldn’t answer' });
  const group = unanswered.locator('.unanswered-group').filter({ hasText: 'asked 3 times' });
  await group.waitFor();
  const question = (await group.locator('.group-question').textContent())!.replace(/[“”]/g, '');
  expect(wordings).toContain(question);
  for (const w of wordings.filter((m) => m !== question)) await group.getByText(`“${w}”`).waitFor();
  await group.getByText('Bob did not know · 3').waitFor();
  expect(await group.getByRole('link', { name: /^Conversation \d$/ }).count()).toBe(3);
  expect(await group.getByRole('link', { name: `Make a test of “${question}”` }).getAttribute('href')).toBe(`#/tests/new?q=${encodeURIComponent(question)}`);

  const outcomes = page.getByRole('region', { name: 'How conversations end' });
  const total = outcomes.getByRole('row', { name: /^Total/ });
  await expect.poll(() => total.textContent()).toMatch(/^Total\d+/);
  const [download] = await Promise.all([page.waitForEvent('download'), outcomes.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\n')[0]).toMatch(/^date,conversations,answered_by_bot,handed_to_person,abandoned,resolved_without_person/);

  await group.getByRole('link', { name: `Answer “${question}”` }).click();
  await page.waitForFunction(() => window.location.hash.startsWith('#/knowledge/faq-new?q='));
  const form = page.getByRole('form', { name: 'New question' });
  expect(await form.getByLabel('Question').inputValue()).toBe(question);
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
  await page.keyboard.type('Yes: there is a ramp at the entrance and a lift to every floor.');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').getByText('Question added: Bob answers it from the next message.').waitFor();
  await page.waitForFunction(() => window.location.hash === '#/knowledge');

  const again = await ask(question);
  expect(again.reply).toContain('a ramp at the entrance');
  expect(again.basis.faq_ids).toHaveLength(1);
});

it('Knowledge and Usage have no axe violations, light and dark', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const page = await open('knowledge', { scheme });
    const found: Record<string, unknown> = {};
    for (const p of ['knowledge', 'usage']) {
      await visit(page, p);
      const v = await axeViolations(page);
      if (v.length) found[`${p} ${scheme}`] = v;
    }
    // The states with forms open: a prefilled question, a document being edited, the import form.
    await visit(page, `knowledge/faq-new?q=${encodeURIComponent('Can I pay by card?')}`);
    const id = (await documents())[0]!.id;
    await visit(page, `knowledge/${id}`);
    await page.getByRole('region', { name: 'Documents' }).getByRole('button', { name: 'Import a page' }).click();
    await page.getByRole('form', { name: /^Document: / }).getByLabel('Text (Markdown)').waitFor();
    const v = await axeViolations(page);
    if (v.length) found[`knowledge forms ${scheme}`] = v;
    await context?.close();
    context = undefined;
    expect(found).toEqual({});
  }
}, 120_000);

it('screenshots: Knowledge and Usage at 1280 and 390 px, light and dark, English and Italian', async () => {
  // The lists hold what the tests above added; two more unanswered questions and a handoff.
  await ask('Can I pay with bitcoin?');
  await ask('Do you accept bitcoin?');
  await ask('voglio parlare con un operatore');
  for (const lang of ['en', 'it'] as const) {
    const page = await open('knowledge', { lang });
    for (const [path, name, region] of [
      ['knowledge', 'knowledge', lang === 'en' ? 'Documents' : 'Documenti'],
      ['usage', 'usage-insights', lang === 'en' ? 'How conversations end' : 'Come finiscono le conversazioni'],
    ] as const) {
      // The Usage chart takes its width when it is drawn.
      await page.setViewportSize({ width: 1280, height: 800 });
      await visit(page, path, lang);
      await page.getByRole('region', { name: region }).locator('table, ul, .empty-note').first().waitFor();
      await screenshotPageViews(page, name, lang);
    }
    await context?.close();
    context = undefined;
  }
}, 180_000);
