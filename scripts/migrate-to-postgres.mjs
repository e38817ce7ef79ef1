#!/usr/bin/env node
// `npm run migrate-to-postgres -- --from <data dir> --to <postgres url>`: copies a desktop data dir
// into an empty PostgreSQL database (src/server/db/migrate-to-postgres.ts). Runs the compiled
// out/server/migrate-to-postgres.js when it is there and newer than the server's sources; else the
// source through tsx where it is installed (a development checkout); else builds the server first,
// as `npm run serve` does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { newest } from './newest.mjs';

const root = path.resolve(import.meta.dirname, '..');
const compiled = path.join(root, 'out', 'server', 'migrate-to-postgres.js');
const source = path.join(root, 'src', 'server', 'db', 'migrate-to-postgres-cli.ts');

const fresh = () =>
  fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= Math.max(newest(path.join(root, 'src', 'server')), newest(path.join(root, 'src', 'shared')));

/** tsx's loader, when the development dependencies are installed. */
function tsxLoader() {
  try {
    const url = import.meta.resolve('tsx');
    return fs.existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

const args = process.argv.slice(2);
const loader = fresh() ? null : tsxLoader();
if (loader) {
  const r = spawnSync(process.execPath, ['--import', loader, source, ...args], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
if (!fresh()) {
  console.log('Building the server first (npm run build:server)…');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-server.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// In this process: the compiled file reads process.argv and sets process.exitCode itself.
await import(pathToFileURL(compiled).href);
