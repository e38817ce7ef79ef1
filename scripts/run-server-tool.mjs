#!/usr/bin/env node
// `node scripts/run-server-tool.mjs <tool> [arguments]`: runs one of the server's command-line tools
// (`npm run migrate-to-postgres`, `npm run backup`, `npm run restore`). Runs the compiled
// out/server/<entry>.js when it is there and newer than the server's sources; else the source
// through tsx where it is installed (a development checkout); else builds the server first, as
// `npm run serve` does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { newest } from './newest.mjs';

const root = path.resolve(import.meta.dirname, '..');

/** Each tool: its esbuild entry (scripts/build-server.mjs), its source, and the arguments it gets first. */
const TOOLS = {
  'migrate-to-postgres': { entry: 'migrate-to-postgres', source: 'src/server/db/migrate-to-postgres-cli.ts', first: [] },
  backup: { entry: 'backup', source: 'src/server/db/backup-cli.ts', first: ['backup'] },
  restore: { entry: 'backup', source: 'src/server/db/backup-cli.ts', first: ['restore'] },
};

/** tsx's loader, when the development dependencies are installed. */
function tsxLoader() {
  try {
    const url = import.meta.resolve('tsx');
    return fs.existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

export async function runServerTool(name, args) {
  const tool = TOOLS[name];
  if (!tool) {
    console.error(`No server tool named ${name}: one of ${Object.keys(TOOLS).join(', ')}.`);
    process.exit(2);
  }
  const compiled = path.join(root, 'out', 'server', `${tool.entry}.js`);
  const source = path.join(root, tool.source);
  const fresh = () =>
    fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= Math.max(newest(path.join(root, 'src', 'server')), newest(path.join(root, 'src', 'shared')));
  const argv = [...tool.first, ...args];
  const loader = fresh() ? null : tsxLoader();
  if (loader) {
    const r = spawnSync(process.execPath, ['--import', loader, source, ...argv], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  if (!fresh()) {
    console.log('Building the server first (npm run build:server)…');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-server.mjs')], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  // In this process: the compiled file reads process.argv and sets process.exitCode itself.
  process.argv = [process.argv[0], compiled, ...argv];
  await import(pathToFileURL(compiled).href);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runServerTool(process.argv[2], process.argv.slice(3));
}
