#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary is installed; otherwise the headless
// server, saying so in one line. BOB_HEADLESS=1 forces headless. The desktop app first gets its
// own build of the database driver (once per Electron version, see electron-native.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';
import { prepareOrExit } from './electron-native.mjs';
import fs from 'node:fs';
import path from 'node:path';

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

if (process.env.BOB_HEADLESS !== '1' && electronBinary()) {
  prepareOrExit({ root });
  build();
  run('npx', ['electron-vite', 'preview']);
} else {
  console.log(
    process.env.BOB_HEADLESS === '1'
      ? 'BOB_HEADLESS=1: running Bob as a headless server. Open the printed URL in a browser.'
      : 'No Electron binary is installed here (node_modules/electron has no dist/), so Bob runs as a headless server: open the printed URL in a browser.',
  );
  if (!['renderer/index.html', 'widget/widget.js'].every((f) => fs.existsSync(path.join(root, 'out', f)))) {
    console.log('Building Mission Control and the widget once (npm run build)…');
    build();
  }
  run(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'src', 'server', 'main.ts')]);
}
