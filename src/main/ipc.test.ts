import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IPC, createIpcHandlers } from './ipc';
import { openSecretStore } from './secret-store';

describe('IPC handlers', () => {
  async function setup() {
    const secrets = await openSecretStore(`Bob ipc test ${randomUUID()}`);
    return { secrets, h: createIpcHandlers({ secrets }) };
  }

  it('stores secrets written by the renderer and only ever reports whether they exist', async () => {
    const { secrets, h } = await setup();
    expect(await h[IPC.setModelKey]({ key: 'sk-live-abc' })).toEqual({ ok: true });
    expect(await secrets.get('llm-api-key')).toBe('sk-live-abc');
    const token = 'A'.repeat(43);
    expect(await h[IPC.rememberSession]({ token })).toEqual({ ok: true });
    const status = await h[IPC.secretsStatus](undefined);
    expect(status).toEqual({ ok: true, value: { store: 'os-keychain', reason: null, modelKeySaved: true, sessionRemembered: true } });
    expect(JSON.stringify(status)).not.toContain('sk-live-abc');
    expect(JSON.stringify(status)).not.toContain(token);
    expect(await h[IPC.clearModelKey](undefined)).toEqual({ ok: true });
    expect(await h[IPC.forgetSession](undefined)).toEqual({ ok: true });
    expect(await secrets.has('llm-api-key')).toBe(false);
  });

  it('rejects malformed input without touching anything', async () => {
    const { secrets, h } = await setup();
    for (const bad of [undefined, null, 'sk', { key: '' }, { key: 'x'.repeat(501) }, { key: 'ok', extra: 1 }, { key: 42 }]) {
      expect(await h[IPC.setModelKey](bad)).toEqual({ ok: false, error: 'Invalid input for bob:set-model-key' });
    }
    for (const bad of [{ token: 'short' }, { token: 'has spaces and more than twenty chars' }, {}]) {
      expect((await h[IPC.rememberSession](bad)).ok).toBe(false);
    }
    expect((await h[IPC.forgetSession]({ sneaky: true })).ok).toBe(false);
    expect(await secrets.has('llm-api-key')).toBe(false);
  });
});
