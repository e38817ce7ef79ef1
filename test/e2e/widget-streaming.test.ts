// Streamed answers in real Chromium: Bob's first words show while the model is still writing, in
// the widget on a customer's site and in Mission Control's persona "Try it" console.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RENDERER_DIR, DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';

const ANSWER = 'Happy to help! Our team reads every message, and you can also reach us by email or by phone during office hours.';
const CHUNK_MS = 150;
/** The fake model's tokens: each word with the space before it (as test/helpers/fake-openai.ts splits them). */
const TOKENS = ANSWER.match(/\s*\S+|\s+$/g)!.length;

let bob: TestServer;
let fake: FakeOpenAi;
let browser: Browser;
let site: Awaited<ReturnType<typeof serveHostPage>>;
/** When the fake model received each streamed request (this machine's clock, as the page's). */
const streamStarts: number[] = [];

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/widget.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  fake = await startFakeOpenAi({
    mode: {
      kind: 'script',
      respond: (body) => {
        if (body.stream) streamStarts.push(Date.now());
        return { kind: 'reply', text: ANSWER, chunkDelayMs: CHUNK_MS };
      },
    },
  });
  bob = await startTestServer({ env: { BOB_LLM_BASE_URL: fake.url, BOB_LLM_MODEL: 'fake-model' } });
  const owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  site = await serveHostPage(`<!doctype html><html lang="en"><head><title>Business Co</title></head><body><h1>Business Co</h1>${snippet}</body></html>`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await bob?.close();
  await fake?.close();
});

interface Sample {
  at: number;
  /** The text of every answer bubble in the conversation at that moment. */
  texts: string[];
  busy: boolean[];
}

/**
 * Records, on every DOM change under `rootSelector` (inside the widget's shadow root when `shadow`),
 * the text of each element matching `bubbleSelector` after the first `skip` (greetings, earlier turns).
 */
async function recordBubbles(page: Page, o: { shadow: boolean; root: string; bubbles: string; skip: number }) {
  await page.evaluate((o) => {
    const scope: ParentNode = o.shadow ? document.querySelector('bob-widget')!.shadowRoot! : document;
    const root = scope.querySelector(o.root)!;
    const samples: Sample[] = ((window as unknown as { samples: Sample[] }).samples = []);
    const take = () => {
      const els = [...root.querySelectorAll(o.bubbles)].slice(o.skip);
      const texts = els.map((e) => e.textContent ?? '');
      const last = samples[samples.length - 1];
      if (last && JSON.stringify(last.texts) === JSON.stringify(texts)) return;
      samples.push({ at: Date.now(), texts, busy: els.map((e) => e.getAttribute('aria-busy') === 'true') });
    };
    new MutationObserver(take).observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  }, o);
}
const samples = (page: Page) => page.evaluate(() => (window as unknown as { samples: Sample[] }).samples);

/** What a streamed answer must look like, from the samples of its bubble. */
function expectStreamed(all: Sample[], final: string, streamStart: number) {
  // Never two answer bubbles, not even for a moment (the visitor's SSE stream carries the reply too).
  expect(Math.max(...all.map((s) => s.texts.length))).toBe(1);
  const states = all.filter((s) => s.texts.length === 1).map((s) => ({ at: s.at, text: s.texts[0]!, busy: s.busy[0]! }));
  const texts = states.map((s) => s.text).filter((t) => t !== '' && t !== '…');
  expect(texts.at(-1)).toBe(final);
  // Each state extends the one before it, and all of them are the beginning of the answer.
  for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!), `${JSON.stringify(texts[i - 1])} → ${JSON.stringify(texts[i])}`).toBe(true);
  for (const t of texts) expect(final.startsWith(t)).toBe(true);
  const partial = states.filter((s) => s.text !== '' && s.text !== '…' && s.text !== final);
  expect(partial.length).toBeGreaterThanOrEqual(3);
  // The last of the model's chunks left no earlier than TOKENS × CHUNK_MS after its request: the
  // first words were on screen well before that.
  expect(partial[0]!.at).toBeLessThan(streamStart + TOKENS * CHUNK_MS - 2 * CHUNK_MS);
  // Busy while growing (screen readers wait), not once final.
  expect(partial.every((s) => s.busy)).toBe(true);
  expect(states.at(-1)!.busy).toBe(false);
}

describe('streamed answers', () => {
  it('the widget shows Bob\'s answer as the model writes it, then the final text, once', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`http://localhost:${site.port}/`);
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    const panel = page.getByRole('dialog', { name: 'Chat with Bob' });
    await panel.getByText('Hi! How can I help you today?').waitFor();
    await recordBubbles(page, { shadow: true, root: '.log', bubbles: '.msg.bot', skip: 1 });

    const box = panel.getByRole('textbox', { name: 'Write a message…' });
    const before = streamStarts.length;
    await box.fill('Is there someone who reads these messages?');
    await box.press('Enter');
    // Mid-answer, as the visitor sees it.
    await page.waitForFunction(() => (window as unknown as { samples: Sample[] }).samples.some((s) => s.texts.length === 1 && s.texts[0]!.length > 30));
    await page.screenshot({ path: 'test-results/screenshots/widget-streaming.png' });
    await page.waitForFunction((final) => {
      const s = (window as unknown as { samples: Sample[] }).samples.at(-1);
      return s?.texts[0] === final && !s.busy[0];
    }, ANSWER, { timeout: 15_000 });
    expect(streamStarts.length).toBe(before + 1);
    // Time for a duplicate to arrive from the visitor's SSE stream, had it not been recognised.
    await page.waitForTimeout(1000);
    expectStreamed(await samples(page), ANSWER, streamStarts.at(-1)!);
    await expect(panel.getByText(ANSWER, { exact: true }).count()).resolves.toBe(1);
    expect(await page.evaluate(() => document.querySelector('bob-widget')!.shadowRoot!.querySelectorAll('.typing').length)).toBe(0);

    // The stored conversation has it once too.
    await page.reload();
    await page.getByRole('button', { name: 'Chat with Bob' }).click();
    await panel.getByText('Is there someone who reads these messages?').waitFor();
    await expect(panel.getByText(ANSWER, { exact: true }).count()).resolves.toBe(1);
    await context.close();
  });

  it('the persona "Try it" console in Mission Control streams the answer too', async () => {
    if (!fs.existsSync(`${DEFAULT_RENDERER_DIR}/index.html`)) throw new Error('Mission Control is not built: run `npm run build` (npm test does it)');
    // Past the first-run wizard, which is about another page.
    await setOnboarded(bob, true);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${bob.url}/app/#/personas`);
    await page.getByLabel('Email').fill(DEMO_OWNER.email);
    await page.getByLabel('Password').fill(DEMO_OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Personas' }).click();
    const tryIt = page.locator('section.tryit');
    await tryIt.getByRole('textbox', { name: 'Ask as a visitor would…' }).waitFor();
    await recordBubbles(page, { shadow: false, root: 'section.tryit ol', bubbles: '.bubble:not(.visitor)', skip: 0 });

    const before = streamStarts.length;
    await tryIt.getByRole('textbox', { name: 'Ask as a visitor would…' }).fill('Is there someone who reads these messages?');
    await tryIt.getByRole('textbox', { name: 'Ask as a visitor would…' }).press('Enter');
    await page.waitForFunction((final) => {
      const s = (window as unknown as { samples: Sample[] }).samples.at(-1);
      return s?.texts[0] === final && !s.busy[0];
    }, ANSWER, { timeout: 15_000 });
    expect(streamStarts.length).toBe(before + 1);
    await page.waitForTimeout(300);
    expectStreamed(await samples(page), ANSWER, streamStarts.at(-1)!);
    await expect(tryIt.getByText(ANSWER, { exact: true }).count()).resolves.toBe(1);
    await context.close();
  });
});
