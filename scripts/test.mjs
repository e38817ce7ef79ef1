#!/usr/bin/env node
// `npm test`: makes sure the system packages the browser, keychain and PostgreSQL tests need are there
// (installing them with apt when running as root), type-checks, lints, builds, then runs every
// suite inside a D-Bus session with an unlocked gnome-keyring (the real OS keychain).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { electronBinary } from './electron-binary.mjs';

const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function step(label, cmd, args, opts) {
  console.log(`\n▶ ${label}`);
  const code = run(cmd, args, opts);
  if (code !== 0) {
    console.error(`✖ ${label} failed (exit ${code})`);
    process.exit(code);
  }
}

const missing = [];
if (!fs.existsSync(chromePath)) missing.push('chromium');
if (!has('gnome-keyring-daemon')) missing.push('gnome-keyring');
if (!has('dbus-run-session')) missing.push('dbus');
// The PostgreSQL server mode's tests start a throwaway cluster (test/helpers/pg-cluster.ts).
if (!has('initdb') && !fs.existsSync('/usr/lib/postgresql')) missing.push('postgresql');
// The Electron smoke test needs a virtual display, but only runs where an Electron binary exists.
if (electronBinary() && !has('Xvfb')) missing.push('xvfb');

if (missing.length) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get')) {
    console.log(`Installing the system packages the tests need: ${missing.join(', ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    step('apt-get update', 'apt-get', ['update', '-qq'], { env });
    step(`apt-get install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  } else {
    console.error(
      `The tests need these system packages: ${missing.join(', ')}.\n` +
        `Install them, e.g. on Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}\n` +
        '(or point CHROME_PATH at a Chromium binary), then run npm test again.',
    );
    process.exit(1);
  }
}

step('Type-check (tsc)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
step('Lint (eslint, zero warnings)', 'npm', ['run', 'lint']);
step('Build (electron-vite: main, preload, renderer; esbuild: widget, headless server)', 'npm', ['run', 'build'], {
  env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
});

// The whole suite runs twice: on the embedded SQLite (the desktop's database), then with every
// test server on PostgreSQL (the server mode, BOB_TEST_DB=postgres: a throwaway cluster made by the
// tests' global setup). Each run's time is printed; both must pass.
// The keyring must be unlocked with a non-empty password, or it tries to open a prompt.
const vitestArgs = ['vitest', 'run', ...process.argv.slice(2)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
const timed = (db) =>
  `s=$(date +%s); BOB_TEST_DB=${db} npx ${vitestArgs}; c=$?; echo "▶ ${db} run: exit $c in $(( $(date +%s) - s )) s"; [ $c -eq 0 ]`;
const inner = `echo -n ci-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; ${timed('sqlite')}; a=$?; ${timed('postgres')}; b=$?; exit $(( a | b ))`;
step('Tests (vitest on SQLite, then on PostgreSQL; inside dbus-run-session with gnome-keyring)', 'dbus-run-session', ['--', 'sh', '-c', inner], {
  env: { ...process.env, CHROME_PATH: chromePath, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
});
