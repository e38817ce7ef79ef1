import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  linuxAutostartEnabled,
  loadPrefs,
  openLogFile,
  quitWhenAllWindowsClosed,
  savePrefs,
  setLinuxAutostart,
  startedHidden,
  stillRunningNotice,
  windowCloseAction,
} from './lifecycle';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bob-lifecycle-'));

describe('closing and quitting', () => {
  it('hides the window on close and keeps serving; explains it the first time only', () => {
    expect(windowCloseAction({ quitting: false, noticeShown: false })).toEqual({ hide: true, showNotice: true });
    expect(windowCloseAction({ quitting: false, noticeShown: true })).toEqual({ hide: true, showNotice: false });
    expect(quitWhenAllWindowsClosed()).toBe(false);
  });

  it('lets the window close when the user chose Quit Bob', () => {
    expect(windowCloseAction({ quitting: true, noticeShown: false })).toEqual({ hide: false, showNotice: false });
  });

  it('says where Bob went, per platform and language', () => {
    expect(stillRunningNotice('en', 'linux').body).toContain('system tray');
    expect(stillRunningNotice('en', 'darwin').body).toContain('Dock');
    expect(stillRunningNotice('it', 'win32')).toEqual({ title: 'Bob è ancora attivo', body: expect.stringContaining('Esci da Bob') });
  });

  it('starts hidden when launched by the login item', () => {
    expect(startedHidden(['/opt/Bob/bob', '--hidden'])).toBe(true);
    expect(startedHidden(['/opt/Bob/bob'], true)).toBe(true);
    expect(startedHidden(['/opt/Bob/bob'])).toBe(false);
  });
});

describe('remembered preferences', () => {
  it('round-trips, reads the old bounds-only file, and survives a broken one', () => {
    const dir = tmp();
    const file = path.join(dir, 'window-state.json');
    expect(loadPrefs(file)).toEqual({});
    fs.writeFileSync(file, JSON.stringify({ x: 1, y: 2, width: 900, height: 700 }));
    expect(loadPrefs(file)).toEqual({ bounds: { x: 1, y: 2, width: 900, height: 700 } });
    savePrefs(file, { bounds: { x: 0, y: 0, width: 1280, height: 800 }, closeNoticeShown: true, openAtLogin: true });
    expect(loadPrefs(file)).toEqual({ bounds: { x: 0, y: 0, width: 1280, height: 800 }, closeNoticeShown: true, openAtLogin: true });
    fs.writeFileSync(file, '{"bounds": ');
    expect(loadPrefs(file)).toEqual({});
  });
});

describe('Start Bob when I log in (Linux)', () => {
  it('writes and removes the XDG autostart entry, quoting a path with spaces', () => {
    const dir = path.join(tmp(), 'autostart');
    const file = setLinuxAutostart(dir, true, '/home/ann/Apps/Bob Mission Control.AppImage');
    expect(linuxAutostartEnabled(dir)).toBe(true);
    const entry = fs.readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Exec="/home/ann/Apps/Bob Mission Control.AppImage" --hidden');
    setLinuxAutostart(dir, false, '/whatever');
    expect(linuxAutostartEnabled(dir)).toBe(false);
    expect(() => setLinuxAutostart(dir, false, '/whatever')).not.toThrow();
  });
});

describe('the log file', () => {
  it('appends to bob.log, private to the user, and rotates a large one at start', async () => {
    const dir = path.join(tmp(), 'logs');
    const first = openLogFile(dir);
    await new Promise<void>((r) => first.end('{"msg":"one"}\n', () => r()));
    expect(fs.statSync(path.join(dir, 'bob.log')).mode & 0o777).toBe(0o600);
    fs.appendFileSync(path.join(dir, 'bob.log'), 'x'.repeat(10 * 1024 * 1024 + 1));
    const second = openLogFile(dir);
    await new Promise<void>((r) => second.end('{"msg":"two"}\n', () => r()));
    expect(fs.readFileSync(path.join(dir, 'bob.log'), 'utf8')).toBe('{"msg":"two"}\n');
    expect(fs.readFileSync(path.join(dir, 'bob.log.1'), 'utf8').startsWith('{"msg":"one"}\n')).toBe(true);
  });
});
