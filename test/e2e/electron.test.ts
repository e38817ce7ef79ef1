import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary.mjs';

// The real desktop app under a virtual display. Runs wherever an Electron binary is installed;
// here (no binary can be downloaded) it is reported as skipped, and says why.
const bin = electronBinary();
if (!bin) console.log('Electron smoke test skipped: no Electron binary installed (node_modules/electron has no dist/).');

let xvfb: ChildProcess | undefined;
afterAll(() => xvfb?.kill());

describe.skipIf(!bin)('the Electron app', () => {
  it('starts, loads Mission Control in a sandboxed window and exposes only window.bob', async () => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), BOB_PORT: '0', BOB_LOG_LEVEL: 'warn' };
    if (!env.DISPLAY) {
      xvfb = spawn('Xvfb', [':97', '-screen', '0', '1280x800x24'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 500));
      env.DISPLAY = ':97';
    }
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-electron-'));
    const app = await electron.launch({ executablePath: bin!, args: [path.resolve('out/main/index.js'), `--user-data-dir=${userData}`, '--no-sandbox'], env });
    try {
      const win = await app.firstWindow();
      await win.getByRole('button', { name: /Sign in|Accedi/ }).waitFor({ timeout: 20_000 });
      expect(win.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/app\//);
      const surface = await win.evaluate(() => ({ bob: Object.keys(window.bob ?? {}).sort(), require: typeof (window as unknown as { require?: unknown }).require, process: typeof (window as unknown as { process?: unknown }).process }));
      expect(surface).toEqual({ bob: ['clearModelKey', 'desktop', 'forgetSession', 'platform', 'rememberSession', 'secretsStatus', 'setModelKey'], require: 'undefined', process: 'undefined' });
    } finally {
      await app.close();
    }
  });
});
