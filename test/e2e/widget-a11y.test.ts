// axe (default rules, every impact) on the widget in each state a visitor can meet, on a
// customer's site (another origin), in light and dark colour schemes.
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { axeViolations, type AxeFinding } from '../helpers/axe';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { docShot } from '../helpers/mission-control';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';

// Long enough, word by word, for axe to run while the answer is still being written.
const ANSWER = 'Happy to help! Our team reads every message, and you can also reach us by email or by phone during office hours, from Monday to Friday.';

let bob: TestServer;
let fake: FakeOpenAi;
let browser: Browser;
const sites: Record<'light' | 'dark' | 'it', Awaited<ReturnType<typeof serveHostPage>>> = {} as never;

const page = (lang: string, style: string) =>
  `<!doctype html><html lang="${lang}"><head><title>Business Co</title></head><body style="${style}"><header><p>Business Co, accountants</p></header><main><h1>Business Co</h1><p>Tax returns and bookkeeping.</p></main>SNIPPET</body></html>`;

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/widget.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  fake = await startFakeOpenAi({ mode: { kind: 'reply', text: ANSWER, chunkDelayMs: 200 } });
  bob = await startTestServer({ env: { BOB_LLM_BASE_URL: fake.url, BOB_LLM_MODEL: 'fake-model' } });
  const owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  const serve = (lang: string, style: string) => serveHostPage(page(lang, style).replace('SNIPPET', snippet));
  sites.light = await serve('en', 'background:#fff;color:#111');
  sites.dark = await serve('en', 'background:#0b1120;color:#e5e7eb');
  sites.it = await serve('it', 'background:#fff;color:#111');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(sites).map((s) => s.close()));
  await bob?.close();
  await fake?.close();
});

const shadow = (p: Page) => p.locator('bob-widget');

async function visit(site: keyof typeof sites, colorScheme: 'light' | 'dark'): Promise<{ p: Page; context: BrowserContext }> {
  const context = await browser.newContext({ colorScheme });
  const p = await context.newPage();
  await p.goto(`http://localhost:${sites[site].port}/`);
  await shadow(p).locator('.launcher').waitFor();
  return { p, context };
}

async function openWidget(p: Page) {
  await shadow(p).locator('.launcher').click();
  await shadow(p).locator('.msg.bot').first().waitFor();
}

async function ask(p: Page, text: string) {
  const box = shadow(p).locator('textarea');
  await box.fill(text);
  await box.press('Enter');
}

describe('the widget passes axe in every state', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme} colour scheme`, async () => {
      const found: Record<string, AxeFinding[]> = {};
      const check = async (state: string, p: Page) => void (found[state] = await axeViolations(p));

      const { p, context } = await visit('light', scheme);
      await check('closed launcher', p);
      await openWidget(p);
      await check('open with greeting', p);
      // The widget follows the visitor's colour scheme (its own colours, not the page's).
      const background = await shadow(p).locator('.log').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe(scheme === 'dark' ? 'rgb(17, 24, 39)' : 'rgb(249, 250, 251)');
      if (scheme === 'dark') {
        await docShot(p, 'widget-dark-1280.png');
        await docShot(p, 'widget-dark-390.png', { width: 390, height: 844 });
      }
      await ask(p, 'Hello, what can you do?');
      await shadow(p).locator('.msg.bot[aria-busy="true"]').waitFor();
      await check('streaming', p);
      await expect(shadow(p).locator('.msg.bot[aria-busy="true"]').count()).resolves.toBe(1); // still streaming after axe
      await shadow(p).locator('.msg.bot', { hasText: 'from Monday to Friday.' }).waitFor({ timeout: 15_000 });
      await expect(shadow(p).locator('[aria-busy]').count()).resolves.toBe(0);
      await check('after a reply', p);
      await shadow(p).locator('button.human').click();
      await shadow(p).getByText('A person from the team will join shortly').waitFor();
      await check('handoff waiting', p);
      await context.close();

      const down = await visit('light', scheme);
      await down.context.route('**/api/**', (r) => r.abort());
      await shadow(down.p).locator('.launcher').click();
      await shadow(down.p).locator('[role=alert]').waitFor();
      await check('Bob cannot be reached', down.p);
      await down.context.close();

      const it = await visit('it', scheme);
      await openWidget(it.p);
      await shadow(it.p).getByText('Parla con una persona').waitFor();
      await check('Italian, open', it.p);
      await it.context.close();

      const dark = await visit('dark', scheme);
      await check('dark page, closed', dark.p);
      await openWidget(dark.p);
      await check('dark page, open', dark.p);
      await dark.context.close();

      const none = Object.fromEntries(Object.keys(found).map((k) => [k, []]));
      expect(found, JSON.stringify(found, null, 2)).toEqual(none);
    }, 120_000);
  }
});
