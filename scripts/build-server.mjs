#!/usr/bin/env node
// Compiles the headless server (src/server/main.ts) to out/server/main.js: what `npm run serve` and
// the headless `npm start` run in production (no TypeScript compiler at run time); and
// `npm run migrate-to-postgres` (src/server/db/migrate-to-postgres-cli.ts) to out/server/migrate-to-postgres.js;
// `npm run backup` and `npm run restore` (src/server/db/backup-cli.ts, one file for both) to out/server/backup.js. The plain
// JavaScript packages are bundled in (one file to parse at start instead of hundreds); the native
// one, the large ones loaded only on some requests, and the ones loaded lazily stay external.
// The SQL migrations go next to it, as electron-vite puts them next to the desktop bundle.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** Native (better-sqlite3, the keyring), large and only needed on some requests (pdfjs, Swagger UI), or loaded lazily on first use. */
const EXTERNAL = ['better-sqlite3', '@napi-rs/keyring', 'pdfjs-dist', 'swagger-ui-dist', 'busboy', 'html-to-text', 'csv-parse', 'csv-stringify'];
const outdir = path.join(root, 'out', 'server');

await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/server/main.ts', 'migrate-to-postgres': 'src/server/db/migrate-to-postgres-cli.ts', backup: 'src/server/db/backup-cli.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ['node20'],
  external: EXTERNAL,
  // Bundled CommonJS packages (Koa…) require Node's built-ins.
  banner: { js: "import { createRequire as __bobCreateRequire } from 'node:module'; const require = __bobCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});

const from = path.join(root, 'src', 'server', 'db', 'migrations');
const to = path.join(outdir, 'migrations');
fs.rmSync(to, { recursive: true, force: true });
// The whole folder: PostgreSQL's migrations are in its pg/ subfolder.
fs.cpSync(from, to, { recursive: true });
