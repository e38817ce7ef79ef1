#!/usr/bin/env node
// `npm run dist [-- <electron-builder args>]`: installers for this OS (electron-builder.yml).
// Builds the Electron-ABI database driver first (once per Electron version), then `npm run
// build`, then electron-builder, which copies that driver into resources/native. Unsigned
// unless the signing variables are set.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronBinary } from './electron-binary.mjs';
import { installedElectronVersion, prepareOrExit } from './electron-native.mjs';

const root = path.resolve(import.meta.dirname, '..');
const builderArgs = process.argv.slice(2);

if (!electronBinary(root)) {
  console.error(
    'Cannot build installers: no Electron binary is installed (node_modules/electron has no dist/); run npm install with network access (and ELECTRON_SKIP_BINARY_DOWNLOAD unset), then npm run dist.',
  );
  process.exit(1);
}

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electronVersion = installedElectronVersion(root);
// One driver per architecture asked for (`--arm64`, `--x64`…), else this machine's.
const archs = ['x64', 'arm64', 'ia32', 'armv7l'].filter((a) => builderArgs.includes(`--${a}`));
for (const arch of archs.length ? archs : [process.arch]) {
  prepareOrExit({ root, electronVersion, arch });
}

const env = { ...process.env, BOB_ELECTRON_VERSION: electronVersion };
// CI passes unset secrets as empty strings; electron-builder must see them as absent.
const SIGNING_VARS = ['CSC_LINK', 'CSC_KEY_PASSWORD', 'CSC_NAME', 'WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];
for (const k of SIGNING_VARS) if (env[k] === '') delete env[k];
const signing = ['CSC_LINK', 'WIN_CSC_LINK', 'CSC_NAME'].some((k) => env[k]);
if (!signing) {
  console.log('Code signing: skipped (set CSC_LINK and CSC_KEY_PASSWORD, WIN_CSC_LINK on Windows, APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID to notarize on macOS, to sign)');
  env.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
}

run('npm', ['run', 'build'], env);
run(process.execPath, [path.join(root, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', ...builderArgs], env);
