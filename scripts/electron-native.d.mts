export const RETRY_COMMAND: string;
export const TOOLCHAIN_HELP: string;
export class NativeBuildError extends Error {}
export function installedElectronVersion(root?: string): string;
export function missingBuildTools(env?: NodeJS.ProcessEnv, platform?: string): string[];
export function prepareElectronNative(options?: {
  root?: string;
  electronVersion?: string;
  platform?: string;
  arch?: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Replaces the Electron runtime flags given to node-gyp. */
  gypArgs?: string[];
  /** Where to put the build; defaults to electronNativeFile(root, …). */
  target?: string;
}): { file: string; built: boolean };
export function prepareOrExit(options?: Parameters<typeof prepareElectronNative>[0]): { file: string; built: boolean };
