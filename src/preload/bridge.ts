/** What the preload exposes as window.bob (absent in a plain browser). */
export interface BobBridge {
  desktop: true;
  platform: string;
}

declare global {
  interface Window {
    bob?: BobBridge;
  }
}
