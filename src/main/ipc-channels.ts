/** IPC channel names, shared by main and the sandboxed preload (which can bundle nothing heavier). */
export const IPC = {
  rememberSession: 'bob:remember-session',
  forgetSession: 'bob:forget-session',
  setModelKey: 'bob:set-model-key',
  clearModelKey: 'bob:clear-model-key',
  secretsStatus: 'bob:secrets-status',
} as const;
export type IpcChannel = (typeof IPC)[keyof typeof IPC];
