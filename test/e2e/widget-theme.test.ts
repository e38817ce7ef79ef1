// The widget wears the business's colour and persona from the first paint, and its text stays
// readable on any brand colour.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let bob: TestServer;
let browser: Browser;
let owner: Session;
let site: Awaited<ReturnType<typeof serveHostPage>>;

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/widget.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  bob = await startTestServer();
  owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  // A white page: a launcher without its colour would be a white circle on it.
  site = await serveHostPage(`<!doctype html><html lang="en"><head><title>Business Co</title></head><body style="background:#fff"><h1>Business Co</h1>${snippet}</body></html>`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await bob?.close();
});

const setColour = async (theme_color: string) => expect((await bob.send('PATCH', '/api/tenant', { settings: { theme_color } }, owner.bearer)).status).toBe(200);

async function visit(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://localhost:${site.port}/`);
  return page;
}

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (rgb: string) => {
    const [r, g, bl] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the widget\'s colour and name', () => {
  it('shows the launcher in the business\'s colour, named after its persona, before it is ever opened', async () => {
    const personas = await (await bob.fetch('/api/personas', { headers: owner.bearer })).json();
    const persona = personas.data.find((p: { is_default: boolean }) => p.is_default);
    expect((await bob.send('PATCH', `/api/personas/${persona.id}`, { name: 'Giulia' }, owner.bearer)).status).toBe(200);
    await setColour('#b91c1c');
    const page = await visit();
    try {
      // Its first paint already has both: no request to Bob has to come back first.
      const first = await page.evaluate(
        () =>
          new Promise<{ name: string | null; background: string }>((resolve) => {
            const look = () => {
              const b = document.querySelector('bob-widget')?.shadowRoot?.querySelector('button');
              if (!b) return requestAnimationFrame(look);
              resolve({ name: b.getAttribute('aria-label'), background: getComputedStyle(b).backgroundColor });
            };
            look();
          }),
      );
      expect(first).toEqual({ name: 'Chat with Giulia', background: 'rgb(185, 28, 28)' });
      await page.getByRole('button', { name: 'Chat with Giulia' }).waitFor();
    } finally {
      await page.context().close();
      expect((await bob.send('PATCH', `/api/personas/${persona.id}`, { name: 'Bob' }, owner.bearer)).status).toBe(200);
    }
  });

  for (const colour of ['#fff59d', '#2563eb', '#fbbf24', '#808080']) {
    it(`keeps its text readable on ${colour}`, async () => {
      await setColour(colour);
      const page = await visit();
      const launcher = page.getByRole('button', { name: 'Chat with Bob' });
      await launcher.click();
      const dialog = page.getByRole('dialog', { name: 'Chat with Bob' });
      await dialog.getByText('Hi! How can I help you today?').waitFor();
      const box = dialog.getByRole('textbox', { name: 'Write a message…' });
      await box.fill('Hello there');
      await box.press('Enter');
      const pairs = await page.evaluate(() => {
        const root = document.querySelector('bob-widget')!.shadowRoot!;
        const pair = (text: Element, bg: Element) => [getComputedStyle(text).color, getComputedStyle(bg).backgroundColor, text.textContent] as const;
        const title = root.querySelector('h2')!;
        const visitor = [...root.querySelectorAll('.msg')].find((m) => m.textContent === 'Hello there')!;
        const send = root.querySelector('form button[type=submit]')!;
        return [pair(title, title.closest('[role=dialog] > *')!), pair(visitor, visitor), pair(send, send), pair(root.querySelector('.launcher')!, root.querySelector('.launcher')!)];
      });
      for (const [fg, bg, text] of pairs) expect({ text, ratio: contrast(fg, bg) >= 4.5 }, `${fg} on ${bg}`).toEqual({ text, ratio: true });
      await page.context().close();
    });
  }
});
