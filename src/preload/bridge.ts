/** What the preload exposes as window.bob (absent in a plain browser). Secrets go in, never out. */
export interface BobBridge {
  desktop: true;
  platform: string;
  rememberSession(token: string): Promise<{ ok: boolean; error?: string }>;
  forgetSession(): Promise<{ ok: boolean; error?: string }>;
  setModelKey(key: string): Promise<{ ok: boolean; error?: string }>;
  clearModelKey(): Promise<{ ok: boolean; error?: string }>;
  secretsStatus(): Promise<{ ok: boolean; value?: { store: 'os-keychain' | 'environment'; reason: string | null; modelKeySaved: boolean; sessionRemembered: boolean }; error?: string }>;
}

declare global {
  interface Window {
    bob?: BobBridge;
  }
}
