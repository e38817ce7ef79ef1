// Which better-sqlite3 native build a process loads. Node (the tests, the headless server) loads
// the one `npm install` compiled in node_modules. Electron's main process has its own ABI, so it
// loads a build made for that Electron version, kept beside the Node one and never replacing it:
// in development under .electron-native/, in a packaged app under resources/native/.
import path from 'node:path';

export const ELECTRON_NATIVE_DIR = '.electron-native';
export const NATIVE_FILE = 'better_sqlite3.node';

/** Where the Electron-ABI build for one Electron version, platform and architecture lives in a checkout. */
export function electronNativeFile(root, { electron, platform, arch }) {
  return path.join(root, ELECTRON_NATIVE_DIR, `electron-${electron}-${platform}-${arch}`, NATIVE_FILE);
}

/**
 * The `nativeBinding` to give better-sqlite3, or undefined for its default (Node) build.
 * `packaged`: running from an installed app, whose build sits in `resourcesPath/native`.
 */
export function selectNativeBinding({ versions, platform, arch, root, packaged = false, resourcesPath }) {
  if (!versions.electron) return undefined;
  if (packaged) return path.join(resourcesPath, 'native', NATIVE_FILE);
  return electronNativeFile(root, { electron: versions.electron, platform, arch });
}
