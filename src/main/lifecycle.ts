// How the desktop app lives on: closing the window hides it (Bob keeps serving the business's
// website), only "Quit Bob" stops the server, and Bob can start when the user logs in. Plain Node,
// tested without Electron; index.ts applies these decisions.
import fs from 'node:fs';
import path from 'node:path';

type Lang = 'en' | 'it';

/** What a window close does: hide unless the app is quitting; the first hide explains itself once. */
export function windowCloseAction(state: { quitting: boolean; noticeShown: boolean }): { hide: boolean; showNotice: boolean } {
  if (state.quitting) return { hide: false, showNotice: false };
  return { hide: true, showNotice: !state.noticeShown };
}

/** With every window closed Bob keeps running: the tray (Linux, Windows) or the Dock (macOS) brings it back. */
export const quitWhenAllWindowsClosed = (): boolean => false;

export function stillRunningNotice(lang: Lang, platform: NodeJS.Platform): { title: string; body: string } {
  const where = platform === 'darwin' ? (lang === 'it' ? 'nel Dock' : 'in the Dock') : lang === 'it' ? "nell'area di notifica" : 'in the system tray';
  return lang === 'it'
    ? { title: 'Bob è ancora attivo', body: `I visitatori possono ancora scrivere. Bob resta ${where}: per fermarlo usa «Esci da Bob».` }
    : { title: 'Bob is still running', body: `Visitors can still chat. Bob stays ${where}; choose “Quit Bob” to stop it.` };
}

export const quitLabel = (lang: Lang) => (lang === 'it' ? 'Esci da Bob' : 'Quit Bob');
export const loginItemLabel = (lang: Lang) => (lang === 'it' ? "Avvia Bob all'accesso" : 'Start Bob when I log in');

/** What the desktop shell remembers between runs (window-state.json in the user-data folder). */
export interface DesktopPrefs {
  bounds?: { x: number; y: number; width: number; height: number };
  closeNoticeShown?: boolean;
  openAtLogin?: boolean;
}

export function loadPrefs(file: string): DesktopPrefs {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!value || typeof value !== 'object') return {};
    // Files from before the prefs grew: the window bounds alone.
    if ('width' in value && 'height' in value) return { bounds: value as DesktopPrefs['bounds'] };
    return value as DesktopPrefs;
  } catch {
    return {};
  }
}

/** Written to a temp file and renamed, so a crash never leaves half a file. */
export function savePrefs(file: string, prefs: DesktopPrefs): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(prefs));
  fs.renameSync(tmp, file);
}

/**
 * Linux has no login-item API in Electron: the XDG autostart entry does it
 * (~/.config/autostart/bob-mission-control.desktop). `exec` is the AppImage or the binary.
 */
export function setLinuxAutostart(autostartDir: string, enabled: boolean, exec: string): string {
  const file = path.join(autostartDir, 'bob-mission-control.desktop');
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return file;
  }
  fs.mkdirSync(autostartDir, { recursive: true });
  const quoted = /[\s"'\\$`]/.test(exec) ? `"${exec.replace(/(["\\$`])/g, '\\$1')}"` : exec;
  fs.writeFileSync(
    file,
    ['[Desktop Entry]', 'Type=Application', 'Name=Bob Mission Control', 'Comment=Bob, the AI front office: keeps serving your website chat', `Exec=${quoted} --hidden`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n'),
  );
  return file;
}

export function linuxAutostartEnabled(autostartDir: string): boolean {
  return fs.existsSync(path.join(autostartDir, 'bob-mission-control.desktop'));
}

/** Started by the login item: serve, show only the tray. */
export const startedHidden = (argv: string[], wasOpenedAtLogin = false) => wasOpenedAtLogin || argv.includes('--hidden');

const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/** The packaged app's log file (bob.log in the OS's logs folder), rotated once at 10 MB at start. */
export function openLogFile(dir: string): fs.WriteStream {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'bob.log');
  try {
    if (fs.statSync(file).size > LOG_ROTATE_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
  return fs.createWriteStream(file, { flags: 'a', mode: 0o600 });
}
