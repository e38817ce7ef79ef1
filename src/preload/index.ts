import { contextBridge } from 'electron';
import type { BobBridge } from './bridge';

// The whole surface the renderer gets. Secrets will only ever flow into main, never back.
const bob: BobBridge = { desktop: true, platform: process.platform };
contextBridge.exposeInMainWorld('bob', bob);
