// Production runs compiled JavaScript: `npm run build` writes out/server/main.js (and its
// migrations), and `npm run serve` / the headless `npm start` run it with plain Node, no tsx.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually';
import { verifyPassword } from '../../src/server/modules/auth/passwords';
import { DEMO_ACCOUNTS, DEMO_PASSWORD_HASHES } from '../../src/server/modules/demo/demo.seed';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COMPILED = path.join(ROOT, 'out', 'server', 'main.js');

let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('the compiled server (out/server/main.js)', () => {
  it('is built with its migrations next to it', () => {
    if (!fs.existsSync(COMPILED)) throw new Error('The server is not built: run `npm run build` (npm test does it)');
    const migrations = fs.readdirSync(path.join(ROOT, 'src', 'server', 'db', 'migrations'));
    expect(fs.readdirSync(path.join(ROOT, 'out', 'server', 'migrations')).sort()).toEqual(migrations.sort());
    // Plain JavaScript packages bundled in, the native driver loaded from node_modules; no TypeScript loader at run time.
    const code = fs.readFileSync(COMPILED, 'utf8');
    expect(code).not.toMatch(/from "koa"/);
    expect(code).toMatch(/from "better-sqlite3"/);
    expect(code).not.toMatch(/(?:from|import\()\s*["']tsx/);
  });

  it('starts with plain Node, answers, and exits 0 on SIGTERM', async () => {
    if (!fs.existsSync(COMPILED)) throw new Error('The server is not built: run `npm run build` (npm test does it)');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-prod-'));
    const proc = spawn(process.execPath, [COMPILED], {
      // Another directory as cwd: the compiled server finds its files from where it is, not from cwd.
      cwd: os.tmpdir(),
      env: { ...process.env, BOB_DATA_DIR: dataDir, BOB_HOST: '127.0.0.1', BOB_PORT: '0', BOB_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d) => (stdout += d));
    proc.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

    const listening = /^Bob listening on (http:\/\/\S+) \(data: (.+)\)$/m;
    const match = await eventually(() => listening.exec(stdout), 20_000, 'the listening line').catch(() => {
      throw new Error(`no listening line:\n${stdout}\n${stderr}`);
    });
    const url = match[1]!;
    expect(match[2]).toBe(dataDir);

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);

    const chat = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'How much is a tax return?', session_id: 's1', business_id: 'business-co' }),
    });
    expect(chat.status).toBe(200);
    expect((await chat.json()).reply).toContain('€180');

    // The built Mission Control and widget are found from the compiled location too.
    expect((await fetch(`${url}/app/`)).status).toBe(200);

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('the desktop bundle (out/main/index.js)', () => {
  it('parses as JavaScript (the window process loads it as is)', () => {
    const main = path.join(ROOT, 'out', 'main', 'index.js');
    if (!fs.existsSync(main)) throw new Error('The desktop app is not built: run `npm run build` (npm test does it)');
    const r = spawnSync(process.execPath, ['--check', main], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('a fresh start', () => {
  it('seeds the demo accounts with precomputed hashes of the published demo passwords (no scrypt at start)', async () => {
    for (const a of DEMO_ACCOUNTS) {
      const hash = DEMO_PASSWORD_HASHES[a.email];
      expect(hash, a.email).toBeDefined();
      expect(await verifyPassword(a.password, hash!), a.email).toBe(true);
    }
  });
});
