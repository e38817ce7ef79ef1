import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../server/logger';
import type { RunningServer } from '../server/server';
import { records } from '../../test/helpers/db';
import { handoffNotification, startDesktopServer, trayTooltip, watchWaiting } from './desktop';

const logger = createLogger('silent');
const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bob-desktop-'));

describe('the desktop shell\'s server', () => {
  it('takes another port when the preferred one is busy', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await startDesktopServer({ dataDir: tmp() }, logger, { BOB_PORT: String(busy), BOB_LOG_LEVEL: 'silent' });
      running.push(r);
      expect(r.port).not.toBe(busy);
      expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${r.url}/api/health`)).status).toBe(200);
    } finally {
      blocker.close();
    }
  });

  it('always binds loopback, whatever BOB_HOST says', async () => {
    const r = await startDesktopServer({ dataDir: tmp() }, logger, { BOB_HOST: '0.0.0.0', BOB_PORT: '0' });
    running.push(r);
    expect(r.url.startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('counts visitors waiting for a person and reports each handoff', async () => {
    const r = await startDesktopServer({ dataDir: tmp() }, logger, { BOB_PORT: '0' });
    running.push(r);
    const counts: number[] = [];
    const notes: ReturnType<typeof handoffNotification>[] = [];
    const stop = watchWaiting(r, { waiting: (n) => counts.push(n), handoff: (e) => notes.push(handoffNotification(e, 'it')) });
    const chat = (message: string) => fetch(`${r.url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ session_id: 'desk-1', message }) });
    await chat('voglio parlare con un operatore');
    expect(counts).toEqual([0, 1]);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toBe('Un visitatore chiede una persona');
    expect(notes[0]!.body).toContain('operatore');
    const id = (await records(r).session('desk-1'))?.id;
    expect(notes[0]!.route).toBe(`#/live/${id}`);
    const login = await (await fetch(`${r.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin@office16852.com', password: 'your_password' }) })).json();
    await fetch(`${r.url}/api/chat/sessions/desk-1/takeover`, { method: 'POST', headers: { Authorization: `Bearer ${login.token}` } });
    expect(counts).toEqual([0, 1, 0]);
    stop();
    expect(trayTooltip(2, 'en')).toBe('Bob: 2 waiting for a person');
    expect(trayTooltip(0, 'it')).toBe('Bob: nessuno in attesa');
  });
});
