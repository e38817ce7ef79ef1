#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary is installed; otherwise the headless
// server, saying so in one line. BOB_HEADLESS=1 forces headless; `--headless` (`npm run serve`)
// always runs the headless server. The desktop app first gets its own build of the database driver
// (once per Electron version, see electron-native.mjs). Both run compiled JavaScript (out/): the
// headless server is out/server/main.js, rebuilt here when it is missing or older than its sources.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';
import { prepareOrExit } from './electron-native.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { newest } from './newest.mjs';

const root = path.resolve(import.meta.dirname, '..');

function run(cmd, args, env = process.env) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

function build() {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The compiled server is missing or older than the sources it is built from. */
function serverStale() {
  const out = path.join(root, 'out', 'server', 'main.js');
  if (!fs.existsSync(out)) return true;
  const sources = Math.max(
    newest(path.join(root, 'src', 'server')),
    newest(path.join(root, 'src', 'shared')),
    fs.statSync(path.join(root, 'package.json')).mtimeMs,
  );
  return fs.statSync(out).mtimeMs < sources;
}

const headlessOnly = process.argv.includes('--headless');

if (!headlessOnly && process.env.BOB_HEADLESS !== '1' && electronBinary()) {
  prepareOrExit({ root });
  build();
  run('npx', ['electron-vite', 'preview']);
} else {
  if (!headlessOnly) {
    console.log(
      process.env.BOB_HEADLESS === '1'
        ? 'BOB_HEADLESS=1: running Bob as a headless server. Open the printed URL in a browser.'
        : 'No Electron binary is installed here (node_modules/electron has no dist/), so Bob runs as a headless server: open the printed URL in a browser.',
    );
  }
  if (!['renderer/index.html', 'widget/widget.js', 'server/main.js'].every((f) => fs.existsSync(path.join(root, 'out', f)))) {
    console.log('Building Mission Control, the widget and the server once (npm run build)…');
    build();
  } else if (serverStale()) {
    console.log('The server changed since it was built: rebuilding it (npm run build:server)…');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-server.mjs')], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  // In this process (no second Node): the server handles SIGINT/SIGTERM itself.
  await import(pathToFileURL(path.join(root, 'out', 'server', 'main.js')).href);
}
