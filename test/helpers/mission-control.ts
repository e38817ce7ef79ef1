import fs from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { DEFAULT_RENDERER_DIR } from '../../src/server/server';
import { launchBrowser } from './browser';
import { startTestServer, type TestServer } from './server';

/** Screenshots land here (not committed); the README's come from docs/screenshots. */
export const SHOTS = 'test-results/screenshots';

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
