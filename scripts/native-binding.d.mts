export const ELECTRON_NATIVE_DIR: string;
export const NATIVE_FILE: string;
export function electronNativeFile(root: string, target: { electron: string; platform: string; arch: string }): string;
export function selectNativeBinding(input: {
  versions: Partial<Record<string, string>>;
  platform: string;
  arch: string;
  root: string;
  packaged?: boolean;
  resourcesPath?: string;
}): string | undefined;
