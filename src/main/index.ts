// Electron main process: thin on purpose. Its logic lives in desktop.ts, lifecycle.ts, ipc.ts,
// secret-store.ts and scripts/native-binding.mjs, which are tested under plain Node.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, session, shell, Tray, type MenuItemConstructorOptions } from 'electron';
import { selectNativeBinding } from '../../scripts/native-binding.mjs';
import { createLogger } from '../server/logger';
import type { RunningServer } from '../server/server';
import { handoffNotification, startDesktopServer, trayTooltip, watchWaiting } from './desktop';
import { createIpcHandlers } from './ipc';
import {
  linuxAutostartEnabled,
  loadPrefs,
  loginItemLabel,
  openLogFile,
  quitLabel,
  quitWhenAllWindowsClosed,
  savePrefs,
  setLinuxAutostart,
  startedHidden,
  stillRunningNotice,
  windowCloseAction,
  type DesktopPrefs,
} from './lifecycle';
import { openSecretStore, type SecretStore } from './secret-store';

const SESSION_COOKIE = 'bob_session';
const lang = () => (app.getLocale().startsWith('it') ? 'it' : 'en');
// The packaged app logs to bob.log in the OS's logs folder as well as to stderr (opened once ready).
let logFile: fs.WriteStream | undefined;
const logger = createLogger((process.env.BOB_LOG_LEVEL as 'info') ?? 'info', {
  write: (line: string) => {
    process.stderr.write(line);
    logFile?.write(line);
  },
});
let running: RunningServer | undefined;
let win: BrowserWindow | undefined;
let tray: Tray | undefined;
let secrets: SecretStore;
let quitting = false;
const prefsPath = () => path.join(app.getPath('userData'), 'window-state.json');
let prefs: DesktopPrefs = {};
const remember = (change: Partial<DesktopPrefs>) => savePrefs(prefsPath(), (prefs = { ...prefs, ...change }));

/** What the Electron smoke test reads: the tray count and the last notification (plain data). */
const observed = { waiting: 0, notifications: [] as { title: string; body: string; route: string }[], lastNotification: undefined as Notification | undefined };
(globalThis as { bobDesktop?: unknown }).bobDesktop = {
  waiting: () => observed.waiting,
  notifications: () => observed.notifications,
  clickLastNotification: () => observed.lastNotification?.emit('click'),
  url: () => running?.url,
  windowVisible: () => win?.isVisible() ?? false,
  closeWindow: () => win?.close(),
  quit: () => app.quit(),
};

const ownOrigin = () => (running ? new URL(running.url).origin : '');

async function putRememberedSignIn(url: string) {
  // The remembered sign-in goes from the keychain straight into the cookie jar: never via the page.
  const token = await secrets.get('session-token');
  if (token) await session.defaultSession.cookies.set({ url, name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: 'lax' });
}

function createWindow(show: boolean) {
  win = new BrowserWindow({
    ...(prefs.bounds ?? { width: 1280, height: 800 }),
    title: 'Bob Mission Control',
    show: false,
    webPreferences: { preload: path.join(__dirname, '../preload/index.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  if (show) win.once('ready-to-show', () => win?.show());
  win.on('close', (event) => {
    if (!win) return;
    remember({ bounds: win.getBounds() });
    const action = windowCloseAction({ quitting, noticeShown: prefs.closeNoticeShown === true });
    if (!action.hide) return;
    // Bob keeps serving the business's website: closing only hides the window.
    event.preventDefault();
    win.hide();
    if (action.showNotice) {
      new Notification(stillRunningNotice(lang(), process.platform)).show();
      remember({ closeNoticeShown: true });
    }
  });
  // Navigation stays on the local server; web links open in the system browser.
  win.webContents.on('will-navigate', (event, target) => {
    if (new URL(target).origin === ownOrigin()) return;
    event.preventDefault();
    if (/^https?:/.test(target)) void shell.openExternal(target);
  });
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    if (/^https?:/.test(target) && new URL(target).origin !== ownOrigin()) void shell.openExternal(target);
    return { action: 'deny' };
  });
  void win.loadURL(`${running!.url}/app/`);
}

function focusSession(route: string) {
  if (!running) return;
  if (!win || win.isDestroyed()) createWindow(true);
  if (win!.isMinimized()) win!.restore();
  win!.show();
  win!.focus();
  void win!.loadURL(`${running.url}/app/${route}`);
}

/** Settings → Connection moved the server: the sign-in and the window follow it to the new address. */
async function followServer(from: string, to: string) {
  const [cookie] = await session.defaultSession.cookies.get({ url: from, name: SESSION_COOKIE });
  if (cookie) await session.defaultSession.cookies.set({ url: to, name: SESSION_COOKIE, value: cookie.value, httpOnly: true, sameSite: 'lax' });
  if (win && !win.isDestroyed()) {
    const hash = new URL(win.webContents.getURL() || `${from}/app/`).hash;
    void win.loadURL(`${to}/app/${hash}`);
  }
}

function openAtLogin(): boolean {
  if (process.platform === 'linux') return linuxAutostartEnabled(path.join(app.getPath('appData'), 'autostart'));
  return app.getLoginItemSettings().openAtLogin;
}

function setOpenAtLogin(enabled: boolean) {
  if (process.platform === 'linux') setLinuxAutostart(path.join(app.getPath('appData'), 'autostart'), enabled, process.env.APPIMAGE ?? process.execPath);
  else app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
  remember({ openAtLogin: enabled });
  setMenus();
}

function loginItem(): MenuItemConstructorOptions {
  return { label: loginItemLabel(lang()), type: 'checkbox', checked: openAtLogin(), click: (item) => setOpenAtLogin(item.checked) };
}

function setMenus() {
  const it = lang() === 'it';
  const quit: MenuItemConstructorOptions = { label: quitLabel(lang()), accelerator: 'CmdOrCtrl+Q', click: () => app.quit() };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ label: app.name, submenu: [{ role: 'about' as const }, { type: 'separator' as const }, loginItem(), { type: 'separator' as const }, { role: 'hide' as const }, { role: 'hideOthers' as const }, { type: 'separator' as const }, quit] }] : []),
      { label: 'File', submenu: [{ role: 'close', label: it ? 'Chiudi finestra' : 'Close window' }, ...(process.platform === 'darwin' ? [] : [{ type: 'separator' as const }, loginItem(), { type: 'separator' as const }, quit])] },
      { role: 'editMenu' },
      {
        label: it ? 'Vai' : 'Go',
        submenu: [
          { label: 'Live', accelerator: 'CmdOrCtrl+1', click: () => focusSession('#/live') },
          { label: it ? 'Storico' : 'History', accelerator: 'CmdOrCtrl+2', click: () => focusSession('#/history') },
          { label: 'Personas', accelerator: 'CmdOrCtrl+3', click: () => focusSession('#/personas') },
          { label: 'Widget', accelerator: 'CmdOrCtrl+4', click: () => focusSession('#/widget') },
          { type: 'separator' },
          { label: it ? 'Riferimento API' : 'API reference', click: () => running && void shell.openExternal(`${running.url}/docs`) },
        ],
      },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
  tray?.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Mission Control', click: () => focusSession('#/live') },
      { type: 'separator' },
      loginItem(),
      { type: 'separator' },
      quit,
    ]),
  );
}

function startTray() {
  const icon = nativeImage.createFromPath(path.join(__dirname, '../../resources/icon.png'));
  tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon.resize({ width: 16, height: 16 }));
  tray.setToolTip(trayTooltip(0, lang()));
  tray.on('click', () => focusSession('#/live'));
}

/** The Electron-ABI build of better-sqlite3, or a dialog saying how to make it. */
function nativeBinding(): string | undefined {
  const file = selectNativeBinding({ versions: process.versions, platform: process.platform, arch: process.arch, root: app.getAppPath(), packaged: app.isPackaged, resourcesPath: process.resourcesPath });
  if (file && !fs.existsSync(file)) {
    throw new Error(
      app.isPackaged
        ? `This installation is missing its database driver (${file}). Reinstall Bob Mission Control.`
        : `The database driver has not been built for Electron ${process.versions.electron} yet (${file}). Run: npm run prepare:electron`,
    );
  }
  return file;
}

async function start() {
  if (app.isPackaged) logFile = openLogFile(app.getPath('logs'));
  prefs = loadPrefs(prefsPath());
  secrets = await openSecretStore();
  if (secrets.kind !== 'os-keychain') logger.warn('no OS keychain: secrets only from the environment', { reason: secrets.reason });
  running = await startDesktopServer(
    { dataDir: app.getPath('userData'), rendererDir: path.join(__dirname, '../renderer'), widgetDir: path.join(__dirname, '../widget'), migrationsDir: path.join(__dirname, 'migrations') },
    logger,
    process.env,
    // Read at each model call, so a key saved in Settings works at once; BOB_LLM_API_KEY otherwise.
    async () => (await secrets.get('llm-api-key')) ?? process.env.BOB_LLM_API_KEY ?? null,
    nativeBinding(),
  );
  console.log(`Bob listening on ${running.url} (data: ${app.getPath('userData')})`);
  let lastUrl = running.url;
  running.onUrlChange((url) => {
    void followServer(lastUrl, url);
    lastUrl = url;
  });

  const handlers = createIpcHandlers({ secrets });
  for (const [channel, handle] of Object.entries(handlers)) {
    // Only our own page may call in.
    ipcMain.handle(channel, (event, payload) => (new URL(event.senderFrame?.url ?? 'about:blank').origin === ownOrigin() ? handle(payload) : { ok: false, error: 'forbidden' }));
  }
  startTray();
  setMenus();
  watchWaiting(running, {
    waiting: (n) => {
      observed.waiting = n;
      tray?.setToolTip(trayTooltip(n, lang()));
      tray?.setTitle(n > 0 ? String(n) : '');
      app.setBadgeCount(n);
    },
    handoff: (e) => {
      const note = handoffNotification(e, lang());
      const n = new Notification({ title: note.title, body: note.body });
      n.on('click', () => focusSession(note.route));
      n.show();
      observed.notifications.push(note);
      observed.lastNotification = n;
    },
  });
  await putRememberedSignIn(running.url);
  createWindow(!startedHidden(process.argv, process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusSession('#/live'));
  // macOS: a click on the Dock icon brings the window back.
  app.on('activate', () => focusSession('#/live'));
  app.whenReady().then(start).catch((err: Error) => {
    logger.error('Bob could not start', { err: err.message });
    dialog.showErrorBox('Bob could not start', err.message);
    quitting = true;
    app.exit(1);
  });
  app.on('window-all-closed', () => {
    if (quitWhenAllWindowsClosed()) app.quit();
  });
  // "Quit Bob": in-flight requests finish and the WAL is checkpointed before the process exits.
  app.on('before-quit', (event) => {
    quitting = true;
    if (!running) return;
    event.preventDefault();
    const stopping = running;
    running = undefined;
    void stopping
      .close()
      .catch((err: Error) => logger.error('shutdown failed', { err: err.message }))
      .finally(() => {
        logFile?.end();
        app.quit();
      });
  });
}
