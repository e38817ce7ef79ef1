// npm run bench:widget — the widget's size (budget 12 KB gzip) and the time from the script's
// request to the launcher being on the page, in real Chromium, median of several loads.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../src/server/config';
import { createLogger } from '../src/server/logger';
import { DEFAULT_WIDGET_DIR, startServer } from '../src/server/server';
import { launchBrowser, serveHostPage } from '../test/helpers/browser';
import { createTenantsRepo } from '../src/server/modules/tenants/tenants.repo';

const RUNS = 7;
const BUDGET = 12 * 1024;

async function main() {
  const raw = fs.readFileSync(path.join(DEFAULT_WIDGET_DIR, 'widget.js'));
  const gz = gzipSync(raw, { level: 9 }).length;
  console.log(`widget.js (loads with the launcher): ${raw.length} bytes, ${gz} bytes gzip (${((gz / BUDGET) * 100).toFixed(0)} % of the 12 KB budget)`);
  // The parts it loads on demand (widget/src/part-loader.ts), each the first time it is needed.
  const partsDir = path.join(DEFAULT_WIDGET_DIR, 'parts');
  for (const name of fs.existsSync(partsDir) ? fs.readdirSync(partsDir).sort() : []) {
    const part = fs.readFileSync(path.join(partsDir, name));
    console.log(`  parts/${name} (on demand): ${part.length} bytes, ${gzipSync(part, { level: 9 }).length} bytes gzip`);
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-bench-'));
  const bob = await startServer({ config: loadConfig({ BOB_DATA_DIR: dataDir, BOB_PORT: '0', BOB_LOG_LEVEL: 'silent' }), logger: createLogger('silent') });
  const tenant = (await createTenantsRepo(bob.database.storage).bySlug('business-co'))!.id;
  const src = `${bob.url}/widget/${tenant}/widget.js`;
  // The page notes the moment the widget's launcher is attached, without any polling.
  const site = await serveHostPage(`<!doctype html><html lang="en"><body><h1>Shop</h1>
    <script>new MutationObserver((_, o) => { if (document.querySelector('bob-widget')) { window.bobAt = performance.now(); o.disconnect(); } })
      .observe(document.documentElement, { childList: true, subtree: true });</script>
    <script src="${src}" async></script></body></html>`);
  const browser = await launchBrowser();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://localhost:${site.port}/`);
    await page.waitForFunction(() => 'bobAt' in window);
    const ms = await page.evaluate((url) => {
      const entry = performance.getEntriesByName(url)[0];
      return entry ? (window as unknown as { bobAt: number }).bobAt - entry.startTime : NaN;
    }, src);
    times.push(ms);
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(`script request → launcher on the page: median ${times[RUNS >> 1]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[RUNS - 1]!.toFixed(1)}, ${RUNS} loads)`);
  await browser.close();
  await site.close();
  await bob.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

void main();
