// Everything the renderer may ask of the main process, validated with zod. Plain Node so it is
// tested without Electron. Secrets only travel renderer → main: no handler returns one.
import { z } from 'zod';
import { IPC, type IpcChannel } from './ipc-channels';
import type { SecretStore } from './secret-store';

export { IPC };

const token = z.string().min(20).max(200).regex(/^[A-Za-z0-9_-]+$/);
const SCHEMAS: Record<IpcChannel, z.ZodType> = {
  [IPC.rememberSession]: z.object({ token }).strict(),
  [IPC.forgetSession]: z.undefined(),
  [IPC.setModelKey]: z.object({ key: z.string().trim().min(1).max(500) }).strict(),
  [IPC.clearModelKey]: z.undefined(),
  [IPC.secretsStatus]: z.undefined(),
};

export type IpcResult = { ok: true; value?: unknown } | { ok: false; error: string };

export interface IpcDeps {
  secrets: SecretStore;
}

/** Handlers by channel: each validates its payload and never returns a secret. */
export function createIpcHandlers(deps: IpcDeps): Record<IpcChannel, (payload: unknown) => Promise<IpcResult>> {
  const wrap = (channel: IpcChannel, run: (input: never) => unknown) => async (payload: unknown): Promise<IpcResult> => {
    const parsed = SCHEMAS[channel].safeParse(payload);
    if (!parsed.success) return { ok: false, error: `Invalid input for ${channel}` };
    try {
      const value = await run(parsed.data as never);
      return value === undefined ? { ok: true } : { ok: true, value };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };
  const { secrets } = deps;
  return {
    [IPC.rememberSession]: wrap(IPC.rememberSession, (i: { token: string }) => secrets.set('session-token', i.token)),
    [IPC.forgetSession]: wrap(IPC.forgetSession, async () => void (await secrets.delete('session-token'))),
    [IPC.setModelKey]: wrap(IPC.setModelKey, (i: { key: string }) => secrets.set('llm-api-key', i.key)),
    [IPC.clearModelKey]: wrap(IPC.clearModelKey, async () => void (await secrets.delete('llm-api-key'))),
    // Whether a key is stored, never the key.
    [IPC.secretsStatus]: wrap(IPC.secretsStatus, async () => ({
      store: secrets.kind,
      reason: secrets.reason ?? null,
      modelKeySaved: await secrets.has('llm-api-key'),
      sessionRemembered: await secrets.has('session-token'),
    })),
  };
}
