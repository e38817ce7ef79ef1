import { contextBridge, ipcRenderer } from 'electron';
import { IPC } from '../main/ipc-channels';
import type { BobBridge } from './bridge';

// A fixed, typed surface: no generic invoke/send is exposed, and nothing returns a secret.
const bob: BobBridge = {
  desktop: true,
  platform: process.platform,
  rememberSession: (token) => ipcRenderer.invoke(IPC.rememberSession, { token }),
  forgetSession: () => ipcRenderer.invoke(IPC.forgetSession),
  setModelKey: (key) => ipcRenderer.invoke(IPC.setModelKey, { key }),
  clearModelKey: () => ipcRenderer.invoke(IPC.clearModelKey),
  secretsStatus: () => ipcRenderer.invoke(IPC.secretsStatus),
};
contextBridge.exposeInMainWorld('bob', bob);
