import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * System Chromium (Playwright cannot download browsers here). Hostnames in `mapHosts` resolve to
 * 127.0.0.1, so a test can serve pages from origins that are not on an allowlist.
 */
export function launchBrowser(mapHosts: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROME_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...(mapHosts.length ? [`--host-resolver-rules=${mapHosts.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`] : []),
    ],
  });
}

/** A second web origin on this machine: serves the given HTML at every path. */
export async function serveHostPage(html: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
