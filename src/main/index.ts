// Electron main process: thin on purpose. Its logic lives in desktop.ts, ipc.ts and
// secret-store.ts, which are tested under plain Node.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, session, shell, Tray } from 'electron';
import { createLogger } from '../server/logger';
import type { RunningServer } from '../server/server';
import { handoffNotification, startDesktopServer, trayTooltip, watchWaiting } from './desktop';
import { IPC, createIpcHandlers } from './ipc';
import { openSecretStore, type SecretStore } from './secret-store';

const logger = createLogger((process.env.BOB_LOG_LEVEL as 'info') ?? 'info', process.stderr);
const lang = () => (app.getLocale().startsWith('it') ? 'it' : 'en');
let running: RunningServer | undefined;
let win: BrowserWindow | undefined;
let tray: Tray | undefined;
let secrets: SecretStore;

const statePath = () => path.join(app.getPath('userData'), 'window-state.json');
function loadBounds(): Electron.Rectangle | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePath(), 'utf8'));
  } catch {
    return undefined;
  }
}

async function openWindow(url: string) {
  // The remembered sign-in goes from the keychain straight into the cookie jar: never via the page.
  const token = await secrets.get('session-token');
  if (token) await session.defaultSession.cookies.set({ url, name: 'bob_session', value: token, httpOnly: true, sameSite: 'lax' });

  win = new BrowserWindow({
    ...(loadBounds() ?? { width: 1280, height: 800 }),
    title: 'Bob Mission Control',
    show: false,
    webPreferences: { preload: path.join(__dirname, '../preload/index.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  win.once('ready-to-show', () => win?.show());
  win.on('close', () => win && fs.writeFileSync(statePath(), JSON.stringify(win.getBounds())));
  const own = new URL(url).origin;
  // Navigation stays on the local server; web links open in the system browser.
  win.webContents.on('will-navigate', (event, target) => {
    if (new URL(target).origin === own) return;
    event.preventDefault();
    if (/^https?:/.test(target)) void shell.openExternal(target);
  });
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    if (/^https?:/.test(target) && new URL(target).origin !== own) void shell.openExternal(target);
    return { action: 'deny' };
  });
  await win.loadURL(`${url}/app/`);
}

function focusSession(route: string) {
  if (!win || !running) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  void win.loadURL(`${running.url}/app/${route}`);
}

function setMenu() {
  const it = lang() === 'it';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
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
}

function startTray() {
  const icon = nativeImage.createFromPath(path.join(__dirname, '../../resources/icon.png'));
  tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon.resize({ width: 16, height: 16 }));
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Mission Control', click: () => focusSession('#/live') }, { type: 'separator' }, { role: 'quit' }]));
  tray.on('click', () => focusSession('#/live'));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusSession('#/live'));
  app.whenReady().then(async () => {
    secrets = await openSecretStore();
    if (secrets.kind !== 'os-keychain') logger.warn('no OS keychain: secrets only from the environment', { reason: secrets.reason });
    running = await startDesktopServer(
      { dataDir: app.getPath('userData'), rendererDir: path.join(__dirname, '../renderer'), widgetDir: path.join(__dirname, '../widget'), migrationsDir: path.join(__dirname, 'migrations') },
      logger,
      process.env,
      // Read at each model call, so a key saved in Settings works at once; BOB_LLM_API_KEY otherwise.
      async () => (await secrets.get('llm-api-key')) ?? process.env.BOB_LLM_API_KEY ?? null,
    );
    console.log(`Bob listening on ${running.url} (data: ${app.getPath('userData')})`);

    const handlers = createIpcHandlers({ secrets });
    for (const [channel, handle] of Object.entries(handlers)) {
      // Only our own page may call in.
      ipcMain.handle(channel, (event, payload) => (new URL(event.senderFrame?.url ?? 'about:blank').origin === new URL(running!.url).origin ? handle(payload) : { ok: false, error: 'forbidden' }));
    }
    setMenu();
    startTray();
    watchWaiting(running, {
      waiting: (n) => {
        tray?.setToolTip(trayTooltip(n, lang()));
        tray?.setTitle(n > 0 ? String(n) : '');
        app.setBadgeCount(n);
      },
      handoff: (e) => {
        const note = handoffNotification(e, lang());
        const n = new Notification({ title: note.title, body: note.body });
        n.on('click', () => focusSession(note.route));
        n.show();
      },
    });
    await openWindow(running.url);
  });
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !running) return;
    event.preventDefault();
    quitting = true;
    void running.close().finally(() => app.quit());
  });
}
