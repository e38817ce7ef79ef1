#!/usr/bin/env node
// `npm run prepare:electron`: builds better-sqlite3 for Electron's ABI into .electron-native/,
// beside the Node build that `npm install` made (the tests and the headless server keep using
// that one, byte for byte). The build happens on a copy of the package's sources in a temp
// directory, so node_modules is only ever read.
//
// node-gyp is called directly (npm's own copy) rather than through @electron/rebuild: one module
// with one binding.gyp needs only its --runtime/--target/--dist-url flags, @electron/rebuild 4
// wants Node >= 22.12, and calling node-gyp ourselves lets us drop the npm_config_* variables
// (nodedir=/usr among them) that would otherwise point the build at Node's headers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { electronNativeFile, NATIVE_FILE } from './native-binding.mjs';

const rootDir = path.resolve(import.meta.dirname, '..');

export const RETRY_COMMAND = 'npm run prepare:electron';

/** What to install for a native build, per OS. */
export const TOOLCHAIN_HELP =
  'Debian/Ubuntu: sudo apt-get install -y build-essential python3; ' +
  'macOS: xcode-select --install; ' +
  'Windows: Visual Studio Build Tools with "Desktop development with C++"';

export class NativeBuildError extends Error {}

export function installedElectronVersion(root = rootDir) {
  const pkg = path.join(root, 'node_modules', 'electron', 'package.json');
  if (!fs.existsSync(pkg)) throw new NativeBuildError(`Electron is not installed (${pkg} is missing): run npm install.`);
  return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
}

function onPath(cmd, env) {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return dirs.some((d) => exts.some((e) => fs.existsSync(path.join(d, cmd + e))));
}

/** The build tools node-gyp needs that are not on PATH (Windows: node-gyp finds Visual Studio itself). */
export function missingBuildTools(env = process.env, platform = process.platform) {
  if (platform === 'win32') return [];
  const missing = [];
  if (!onPath('make', env)) missing.push('make');
  if (!(env.CXX || ['c++', 'g++', 'clang++'].some((c) => onPath(c, env)))) missing.push('a C++ compiler (g++ or clang++)');
  if (!(env.npm_config_python || env.PYTHON || onPath('python3', env))) missing.push('python3');
  return missing;
}

/** npm's bundled node-gyp: npm sets npm_config_node_gyp for scripts; otherwise find it beside npm. */
function nodeGypScript(env) {
  const candidates = [
    env.npm_config_node_gyp,
    env.npm_execpath && path.join(path.dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && fs.existsSync(c));
}

function failure(electronVersion, what, help = `Install a C++ toolchain and Python 3 (${TOOLCHAIN_HELP})`) {
  return new NativeBuildError(
    `Could not build the database driver (better-sqlite3) for Electron ${electronVersion}: ${what}. ${help}, then run: ${RETRY_COMMAND}`,
  );
}

/**
 * Makes sure `.electron-native/electron-<ver>-<platform>-<arch>/better_sqlite3.node` exists.
 * Returns { file, built }. Throws NativeBuildError with one user-facing message on failure.
 * `gypArgs` replaces the Electron runtime flags (used to prove the mechanics against Node's ABI).
 */
export function prepareElectronNative({
  root = rootDir,
  electronVersion = installedElectronVersion(root),
  platform = process.platform,
  arch = process.arch,
  log = console.log,
  env = process.env,
  gypArgs,
  target = electronNativeFile(root, { electron: electronVersion, platform, arch }),
} = {}) {
  if (fs.existsSync(target)) return { file: target, built: false };

  const missing = missingBuildTools(env, platform);
  if (missing.length) throw failure(electronVersion, `${missing.join(', ')} not found`);
  const gyp = nodeGypScript(env);
  if (!gyp) throw new NativeBuildError(`Could not build the database driver for Electron ${electronVersion}: npm's node-gyp was not found. Run it through npm: ${RETRY_COMMAND}`);

  const source = path.join(root, 'node_modules', 'better-sqlite3');
  if (!fs.existsSync(path.join(source, 'binding.gyp'))) throw new NativeBuildError(`better-sqlite3 is not installed (${source}): run npm install, then ${RETRY_COMMAND}`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-electron-native-'));
  const copy = path.join(work, 'better-sqlite3');
  fs.cpSync(source, copy, {
    recursive: true,
    filter: (f) => {
      const rel = path.relative(source, f).split(path.sep)[0];
      return rel !== 'build' && rel !== 'node_modules';
    },
  });

  // npm passes its config (nodedir, target, runtime…) to scripts as npm_config_*; node-gyp reads
  // those, and nodedir would win over the Electron headers. Give node-gyp only our flags.
  const childEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_config_/i.test(k)));
  const args = gypArgs ?? [
    '--runtime=electron',
    `--target=${electronVersion}`,
    '--dist-url=https://electronjs.org/headers',
    `--devdir=${path.join(os.homedir(), '.electron-gyp')}`,
  ];
  const logFile = path.join(work, 'build.log');
  log(`Preparing the database driver for Electron ${electronVersion} (once per Electron version)… (${platform}-${arch}; log: ${logFile})`);
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--arch=${arch}`, ...args], {
    cwd: copy,
    env: childEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  fs.writeFileSync(logFile, `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`);
  const built = path.join(copy, 'build', 'Release', NATIVE_FILE);
  if (r.status !== 0 || !fs.existsSync(built)) {
    fs.rmSync(copy, { recursive: true, force: true });
    // node-gyp fetches the Electron headers first (once per version, into ~/.electron-gyp).
    if (/network connectivity|getNodeDir/.test(r.stderr ?? '')) {
      throw failure(electronVersion, `node-gyp could not download its headers from electronjs.org (see ${logFile})`, 'This needs network access once per Electron version');
    }
    throw failure(electronVersion, `node-gyp failed (exit ${r.status ?? r.signal ?? r.error?.message}; see ${logFile})`);
  }

  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  fs.copyFileSync(built, partial);
  fs.renameSync(partial, target);
  fs.rmSync(work, { recursive: true, force: true });
  return { file: target, built: true };
}

/** For the CLIs: prepare, or print the one message and exit non-zero. */
export function prepareOrExit(options = {}) {
  try {
    return prepareElectronNative(options);
  } catch (err) {
    if (!(err instanceof NativeBuildError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { file, built } = prepareOrExit();
  console.log(built ? `Built ${path.relative(rootDir, file)}` : `Already prepared: ${path.relative(rootDir, file)} (nothing to do)`);
}
