// Electron main process: thin on purpose. It starts the same server `npm run serve` runs,
// in-process on loopback, and shows Mission Control from it.
import path from 'node:path';
import { app, BrowserWindow, shell } from 'electron';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { StartupError, startServer, type RunningServer } from '../server/server';

let running: RunningServer | undefined;
let win: BrowserWindow | undefined;

async function start(): Promise<RunningServer> {
  const env = { ...process.env, BOB_HOST: '127.0.0.1', BOB_DATA_DIR: process.env.BOB_DATA_DIR ?? app.getPath('userData') };
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, process.stderr);
  const opts = {
    logger,
    rendererDir: path.join(__dirname, '../renderer'),
    widgetDir: path.join(__dirname, '../widget'),
    migrationsDir: path.join(__dirname, 'migrations'),
  };
  try {
    return await startServer({ ...opts, config });
  } catch (err) {
    // Port taken (another Bob, or anything else): take any free port rather than fail.
    if (err instanceof StartupError && /already in use/.test(err.message)) return startServer({ ...opts, config: { ...config, port: 0 } });
    throw err;
  }
}

function openWindow(url: string) {
  win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Bob Mission Control',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.mjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  const own = new URL(url).origin;
  // Navigation stays on the local server; anything else opens in the system browser.
  win.webContents.on('will-navigate', (event, target) => {
    if (new URL(target).origin !== own) {
      event.preventDefault();
      if (/^https?:/.test(target)) void shell.openExternal(target);
    }
  });
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    if (/^https?:/.test(target)) void shell.openExternal(target);
    return { action: 'deny' };
  });
  void win.loadURL(`${url}/app/`);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.whenReady().then(async () => {
    running = await start();
    console.log(`Bob listening on ${running.url} (data: ${app.getPath('userData')})`);
    openWindow(running.url);
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
