import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareElectronNative } from '../../scripts/electron-native.mjs';
import { electronNativeFile, selectNativeBinding } from '../../scripts/native-binding.mjs';

// The installers are built on CI machines with an Electron binary; here none can be downloaded.
// What can be checked without one is checked here: the workflow against GitHub's own schema,
// the electron-builder config against electron-builder's, dist's refusal, and the native
// driver's selection and preparation paths (without compiling).
const root = path.resolve(import.meta.dirname, '../..');
const temps: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-packaging-'));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

// GitHub's workflow parser imports its JSON schema without an import attribute, which Node's
// loader refuses (vitest leaves node_modules to Node); tsx loads it, so it runs in a child.
const VALIDATE = `import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import fs from 'node:fs';
const parsed = parseWorkflow({ name: 'desktop.yml', content: fs.readFileSync(0, 'utf8') }, new NoOperationTraceWriter());
const template = parsed.value && (await convertWorkflowTemplate(parsed.context, parsed.value));
const errors = [...parsed.context.errors.getErrors().map((e) => e.message), ...(template?.errors ?? []).map((e) => e.Message)];
console.log(JSON.stringify({ errors: [...new Set(errors)], jobs: template?.jobs?.length ?? 0 }));`;

function parse(content: string): { errors: string[]; jobs: number } {
  const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['--input-type=module', '-e', VALIDATE], { cwd: root, input: content, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('.github/workflows/desktop.yml', () => {
  const workflow = fs.readFileSync(path.join(root, '.github/workflows/desktop.yml'), 'utf8');

  it('is a valid workflow by GitHub’s workflow schema, on the three OSes, uploading the installers', () => {
    expect(parse(workflow)).toEqual({ errors: [], jobs: 1 });
    expect(workflow).toMatch(/os: \[ubuntu-latest, macos-latest, windows-latest\]/);
    expect(workflow).not.toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD/);
    for (const step of ['npm ci', 'npm run prepare:electron', 'test/e2e/electron.test.ts', 'npm run dist', 'actions/upload-artifact']) expect(workflow).toContain(step);
  });

  it('the validator rejects a broken copy', () => {
    expect((parse(workflow.replace('runs-on:', 'runs_on:'))).errors.join('\n')).toMatch(/runs-on/);
    expect((parse(workflow.replace("if: runner.os == 'Linux'", "if: ${{ runner.os == 'Linux'"))).errors.join('\n')).toMatch(/not closed/);
  });
});

describe('electron-builder.yml', () => {
  // electron-builder's own loader and schema check (what `electron-builder` runs first).
  const require = createRequire(import.meta.url);
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');

  it('passes electron-builder’s schema and packs the Electron build of the driver, never rebuilding node_modules', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config).toMatchObject({ appId: 'com.office16852.bob', productName: 'Bob Mission Control', npmRebuild: false });
    expect(config.asarUnpack).toEqual(expect.arrayContaining([expect.stringMatching(/^node_modules\/better-sqlite3\//), expect.stringMatching(/^node_modules\/@napi-rs\//)]));
    expect(config.extraResources).toEqual([
      { from: '.electron-native/electron-${env.BOB_ELECTRON_VERSION}-${platform}-${arch}/better_sqlite3.node', to: 'native/better_sqlite3.node' },
    ]);
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'], maintainer: expect.stringMatching(/<.+@.+>/) });
    expect(config.extraMetadata.homepage).toMatch(/^https:\/\//);
    expect(config.mac.target).toBe('dmg');
    // macOS refuses icons under 512 px (ERR_ICON_TOO_SMALL); the PNG header holds the size.
    const png = fs.readFileSync(path.join(root, config.mac.icon));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    expect(config.win.target).toBe('nsis');
    config.linux.notAnOption = true;
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/does not match the API schema/);
  });
});

describe('npm run dist without an Electron binary', () => {
  it.skipIf(fs.existsSync(path.join(root, 'node_modules/electron/dist')))('exits 1 with one line saying why and what to do', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/dist.mjs'), '--dir'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no Electron binary.*node_modules\/electron has no dist\/.*npm install.*ELECTRON_SKIP_BINARY_DOWNLOAD/);
  });
});

describe('which better-sqlite3 build a process loads', () => {
  const base = { platform: 'linux', arch: 'x64', root: '/repo' };

  it('Node: its default build', () => {
    expect(selectNativeBinding({ ...base, versions: { node: '20.20.2' } })).toBeUndefined();
  });

  it('Electron in a checkout: .electron-native, keyed by Electron version, platform and architecture', () => {
    const file = path.join('/repo', '.electron-native', 'electron-41.7.1-linux-x64', 'better_sqlite3.node');
    expect(selectNativeBinding({ ...base, versions: { node: '22.0.0', electron: '41.7.1' } })).toBe(file);
    expect(electronNativeFile('/repo', { electron: '41.7.1', platform: 'linux', arch: 'x64' })).toBe(file);
    expect(electronNativeFile('/repo', { electron: '42.0.0', platform: 'darwin', arch: 'arm64' })).toBe(
      path.join('/repo', '.electron-native', 'electron-42.0.0-darwin-arm64', 'better_sqlite3.node'),
    );
  });

  it('an installed app: resources/native', () => {
    expect(selectNativeBinding({ ...base, versions: { electron: '41.7.1' }, packaged: true, resourcesPath: '/opt/Bob/resources' })).toBe(
      path.join('/opt/Bob/resources', 'native', 'better_sqlite3.node'),
    );
  });
});

describe('prepareElectronNative', () => {
  it('does nothing when the build for this Electron is already there', () => {
    const dir = tempDir();
    const target = electronNativeFile(dir, { electron: '41.7.1', platform: 'linux', arch: 'x64' });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, 'prepared');
    const lines: string[] = [];
    expect(prepareElectronNative({ root: dir, electronVersion: '41.7.1', platform: 'linux', arch: 'x64', log: (l) => lines.push(l), env: { PATH: '' } })).toEqual({ file: target, built: false });
    expect(lines).toEqual([]);
    expect(fs.readFileSync(target, 'utf8')).toBe('prepared');
  });

  // Windows finds Visual Studio through node-gyp itself, so there is no PATH check to fail.
  it.skipIf(process.platform === 'win32')('without a compiler: one message naming what is missing, what to install and how to retry; exit 1', () => {
    const dir = tempDir();
    const emptyBin = tempDir();
    const script = `import { prepareOrExit } from ${JSON.stringify(path.join(root, 'scripts/electron-native.mjs'))};
prepareOrExit({ root: ${JSON.stringify(dir)}, electronVersion: '41.7.1' });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: emptyBin, HOME: dir } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l.trim());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/better-sqlite3\) for Electron 41\.7\.1: make, a C\+\+ compiler \(g\+\+ or clang\+\+\), python3 not found/);
    for (const help of ['sudo apt-get install -y build-essential python3', 'xcode-select --install', 'Desktop development with C++', 'npm run prepare:electron']) expect(lines[0]).toContain(help);
    expect(fs.existsSync(path.join(dir, '.electron-native'))).toBe(false);
  });
});
