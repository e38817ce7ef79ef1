import fs from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEFAULT_RENDERER_DIR } from '../../src/server/server';
import { launchBrowser } from './browser';
import { startTestServer, type TestServer } from './server';

/** Screenshots land here (not committed); the README's come from docs/screenshots. */
export const SHOTS = 'test-results/screenshots';

/**
 * The page on screen at 1280 and 390 px, light and dark: nothing scrolls sideways (neither the
 * window nor the page's own box), then the window grows to the page's full height and the shot
 * `mc-<name>-<width>-<scheme>-<lang>.png` goes to SHOTS and docs/screenshots (the README's).
 */
export async function screenshotPageViews(page: Page, name: string, lang: string): Promise<void> {
  fs.mkdirSync('docs/screenshots', { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.evaluate(() => document.querySelector('.page')!.scrollTo(0, 0));
      await page.waitForTimeout(100); // layout after the resize (charts take their width when drawn)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await page.evaluate(() => { const p = document.querySelector('.page')!; return p.scrollWidth - p.clientWidth; })).toBeLessThanOrEqual(0);
      const inner = await page.evaluate(() => document.querySelector('.page')!.scrollHeight + document.querySelector('.page')!.getBoundingClientRect().top);
      await page.setViewportSize({ width, height: Math.max(800, Math.ceil(inner)) });
      const file = `mc-${name}-${width}-${scheme}-${lang}.png`;
      await page.screenshot({ path: `${SHOTS}/${file}` });
      fs.copyFileSync(`${SHOTS}/${file}`, `docs/screenshots/${file}`);
    }
  }
}

/**
 * The state on screen now, for the README: `file` goes to SHOTS and is copied into docs/screenshots.
 * A view first gives the page that width (height kept unless given), colour scheme and, in Mission
 * Control, UI language (through the header's language switch, so what is open stays open), and
 * `show` is scrolled to the top; nothing may scroll sideways.
 */
export async function docShot(
  page: Page,
  file: string,
  view: { width?: number; height?: number; scheme?: 'light' | 'dark'; lang?: 'en' | 'it'; show?: Locator } = {},
): Promise<void> {
  if (view.lang) await page.locator('header label.lang select').selectOption(view.lang, { force: true }); // hidden on phones
  if (view.scheme) await page.emulateMedia({ colorScheme: view.scheme });
  if (view.width || view.height) {
    const now = page.viewportSize() ?? { width: 1280, height: 800 };
    await page.setViewportSize({ width: view.width ?? now.width, height: view.height ?? now.height });
  }
  if (view.width || view.height || view.scheme || view.lang) await page.waitForTimeout(150); // layout after the change
  if (view.show) await view.show.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), file).toBeLessThanOrEqual(0);
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.mkdirSync('docs/screenshots', { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${file}` });
  fs.copyFileSync(`${SHOTS}/${file}`, `docs/screenshots/${file}`);
}

/** The real server with the built Mission Control, and system Chromium to drive it. */
export async function startMissionControl(env?: Record<string, string>): Promise<{ bob: TestServer; browser: Browser; close(): Promise<void> }> {
  if (!fs.existsSync(`${DEFAULT_RENDERER_DIR}/index.html`)) throw new Error('Mission Control is not built: run `npm run build` (npm test does it)');
  fs.mkdirSync(SHOTS, { recursive: true });
  const bob = await startTestServer({ env });
  const browser = await launchBrowser();
  return {
    bob,
    browser,
    async close() {
      await browser.close();
      await bob.close();
    },
  };
}

/**
 * A fresh browser context signed in through Mission Control's own form (English UI) on
 * `#/<path>`; resolves once the page is connected to the live stream.
 */
export async function signInPage(
  mc: { bob: TestServer; browser: Browser },
  who: { email: string; password: string },
  path = 'live',
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await mc.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', ...options });
  const page = await context.newPage();
  await page.goto(`${mc.bob.url}/app/#/${path}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status').getByText('Live').waitFor();
  return { context, page };
}
