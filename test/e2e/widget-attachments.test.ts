// Issue #23: files both ways in real Chromium. The visitor attaches an image (the picker), a PDF
// (the part's file input), pastes an image and drops one on the panel; staff see them in Live (the
// image really decoded), attach an image back and the visitor sees it; a file too large and an
// executable named .png are refused with a clear message in the widget. PNG/PDF bytes made here.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { axeViolations } from '../helpers/axe';
import { serveHostPage } from '../helpers/browser';
import { records } from '../helpers/db';
import { docShot, signInPage, startMissionControl } from '../helpers/mission-control';
import { setOnboarded } from '../helpers/mission-control-pages';
import { PDF, png } from '../helpers/files';
import { DEMO_OWNER, login, type TestServer } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let bob: TestServer;
let site: Awaited<ReturnType<typeof serveHostPage>>;

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/parts/attachments.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  mc = await startMissionControl();
  ({ bob } = mc);
  await setOnboarded(bob, true);
  const owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  site = await serveHostPage(`<!doctype html><html lang="en"><head><title>Business Co</title></head><body><main><h1>Business Co</h1></main>${snippet}</body></html>`);
});
afterAll(async () => {
  await site?.close();
  await mc?.close();
});

/** Whether the image with this alt text has loaded and decoded (not a broken image). */
const decoded = (page: Page, scope: string, alt: string) =>
  page.locator(`${scope} img[alt="${alt}"]`).evaluateAll((imgs) => imgs.some((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0));

/** Puts a file in a DataTransfer and fires `type` (paste on the box, drop on the panel) in the page. */
const fire = (page: Page, type: 'paste' | 'drop', name: string, bytes: Buffer) =>
  page.evaluate(
    ({ type, name, bytes }) => {
      const root = document.querySelector('bob-widget')!.shadowRoot!;
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
      if (type === 'paste') root.querySelector('textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      else {
        const panel = root.querySelector('.panel')!;
        for (const t of ['dragenter', 'dragover', 'drop']) panel.dispatchEvent(new DragEvent(t, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { type, name, bytes: [...bytes] },
  );

it('sends an image and a PDF from the widget, staff see them and answer with an image; bad files are explained', async () => {
  const visitor = await mc.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await visitor.newPage();
  await page.goto(`http://localhost:${site.port}/`);
  await page.getByRole('button', { name: 'Chat with Bob' }).click();
  const panel = page.getByRole('dialog', { name: 'Chat with Bob' });
  const attach = panel.getByRole('button', { name: 'Attach a file' });
  // No conversation yet: nothing to attach to.
  await panel.getByRole('textbox', { name: 'Write a message…' }).waitFor();
  expect(await attach.isHidden()).toBe(true);
  const box = panel.getByRole('textbox', { name: 'Write a message…' });
  await box.fill('Hello, the photo of the broken part is coming');
  await box.press('Enter');
  await attach.waitFor();
  const widgetSession = async () => (await records(bob).sessions()).find((s) => s.channel === 'widget');
  await expect.poll(widgetSession).toBeTruthy();
  const session = (await widgetSession())!;

  // The picker (the button opens it), then the part's file input directly.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), attach.click()]);
  await chooser.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png(40, 30, [220, 38, 38]) });
  await expect.poll(() => decoded(page, 'bob-widget', 'photo.png')).toBe(true);
  await panel.locator('input[data-bob-file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: PDF });
  const pdfLink = panel.getByRole('link', { name: 'invoice.pdf' });
  await pdfLink.waitFor();
  expect(await pdfLink.getAttribute('href')).toMatch(/\/api\/widget\/attachments\/[0-9a-f-]+\?exp=\d+&sig=/);
  // Pasted into the box and dropped on the panel.
  await fire(page, 'paste', 'pasted.png', png(12, 12, [22, 163, 74]));
  await expect.poll(() => decoded(page, 'bob-widget', 'pasted.png')).toBe(true);
  await fire(page, 'drop', 'dropped.png', png(12, 12, [124, 58, 237]));
  await expect.poll(() => decoded(page, 'bob-widget', 'dropped.png')).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await docShot(page, 'widget-attachments-1280.png');
  await docShot(page, 'widget-attachments-390.png', { width: 390, height: 844 });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Staff see both in Live, the image decoded; the PDF a link.
  const { context: staff, page: mcPage } = await signInPage(mc, DEMO_OWNER, `live/${session.id}`);
  await expect.poll(() => decoded(mcPage, '.transcript', 'photo.png')).toBe(true);
  await expect.poll(() => decoded(mcPage, '.transcript', 'pasted.png')).toBe(true);
  const staffPdf = mcPage.locator('.transcript').getByRole('link', { name: /^invoice\.pdf/ });
  await staffPdf.waitFor();
  expect(await staffPdf.getAttribute('href')).toMatch(/^\/api\/attachments\/[0-9a-f-]+$/);
  const pdf = await mcPage.evaluate(async (href) => {
    const res = await fetch(href);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }, (await staffPdf.getAttribute('href'))!);
  expect(pdf).toMatchObject({ status: 200, type: 'application/pdf' });
  expect(pdf.text.startsWith('%PDF-')).toBe(true);

  // Staff answer with an image (by the composer's button); the visitor sees it.
  const attachStaff = mcPage.getByRole('button', { name: 'Attach a file' });
  const [staffChooser] = await Promise.all([mcPage.waitForEvent('filechooser'), attachStaff.click()]);
  await staffChooser.setFiles({ name: 'label.png', mimeType: 'image/png', buffer: png(24, 24, [234, 179, 8]) });
  await expect.poll(() => decoded(mcPage, '.transcript', 'label.png')).toBe(true);
  await expect.poll(() => decoded(page, 'bob-widget', 'label.png')).toBe(true);
  // A file too large for Bob's 10 MB in Live: said, not sent.
  await mcPage.getByTestId('attach-input').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await mcPage.getByRole('alert').filter({ hasText: 'This file is too large' }).waitFor();
  expect(await axeViolations(mcPage)).toEqual([]);
  await docShot(mcPage, 'mc-live-attachments-1280-light-en.png');
  await docShot(mcPage, 'mc-live-attachments-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844 });
  await mcPage.locator('header label.lang select').selectOption('en', { force: true });
  await mcPage.emulateMedia({ colorScheme: 'light' });
  await mcPage.setViewportSize({ width: 1280, height: 800 });

  // In the widget: too large (known before sending), and an executable named .png (the server's 415).
  await panel.locator('input[data-bob-file]').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await panel.getByRole('alert').filter({ hasText: 'This file is too large: files can be at most 10 MB.' }).waitFor();
  await panel.locator('input[data-bob-file]').setInputFiles({ name: 'evil.png', mimeType: 'image/png', buffer: ELF });
  await panel.getByRole('alert').filter({ hasText: 'This kind of file cannot be sent' }).waitFor();
  // Five files stored (four from the visitor, one from staff); the refused ones left nothing.
  const owner = await login(bob, DEMO_OWNER);
  const transcript = (await (await bob.fetch(`/api/chat/sessions/${session.id}?limit=200`, { headers: owner.bearer })).json()) as { messages: { data: { author: string; attachments?: { name: string }[] }[] } };
  expect(transcript.messages.data.flatMap((m) => (m.attachments ?? []).map((a) => `${m.author}:${a.name}`))).toEqual([
    'visitor:photo.png',
    'visitor:invoice.pdf',
    'visitor:pasted.png',
    'visitor:dropped.png',
    'agent:label.png',
  ]);
  // The files count against the plan's storage (Usage).
  await mcPage.goto(`${bob.url}/app/#/usage`);
  await expect.poll(async () => mcPage.getByTestId('storage-usage').textContent()).toMatch(/^Files: [\d.]+ (B|KB) of [\d.,]+ (MB|GB) used/);
  const storage = mcPage.getByTestId('retention-usage'); // the line above the storage bar
  await docShot(mcPage, 'mc-usage-storage-1280-light-en.png', { show: storage });
  await docShot(mcPage, 'mc-usage-storage-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844, show: storage });
  await staff.close();
  await visitor.close();
});
