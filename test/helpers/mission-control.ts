import fs from 'node:fs';
import type { Browser } from 'playwright-core';
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
