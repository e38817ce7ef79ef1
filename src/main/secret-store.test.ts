import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentSecretStore, openSecretStore } from './secret-store';

// npm test runs inside dbus-run-session with an unlocked gnome-keyring: this is the real
// Secret Service, the same one a Linux desktop uses.
describe('SecretStore on the OS keychain', () => {
  it('stores, reads back and deletes a secret in the Secret Service', async () => {
    const service = `Bob test ${randomUUID()}`;
    const store = await openSecretStore(service);
    expect(store.kind, store.reason).toBe('os-keychain');
    expect(await store.has('llm-api-key')).toBe(false);
    await store.set('llm-api-key', 'sk-test-123');
    expect(await store.get('llm-api-key')).toBe('sk-test-123');
    expect(await store.has('llm-api-key')).toBe(true);
    // A second handle (another process would do the same) sees it: it is in the keychain.
    const again = await openSecretStore(service);
    expect(await again.get('llm-api-key')).toBe('sk-test-123');
    await store.set('llm-api-key', 'sk-test-456');
    expect(await again.get('llm-api-key')).toBe('sk-test-456');
    expect(await store.delete('llm-api-key')).toBe(true);
    expect(await store.get('llm-api-key')).toBeNull();
    await expect(store.set('session-token', '')).rejects.toThrow(/empty/);
  });

  it('says plainly when there is no keychain and never writes secrets anywhere else', async () => {
    const store = new EnvironmentSecretStore('no Secret Service on this machine', { BOB_LLM_API_KEY: 'sk-env' });
    expect(store.kind).toBe('environment');
    expect(await store.get('llm-api-key')).toBe('sk-env');
    expect(await store.get('session-token')).toBeNull();
    await expect(store.set('llm-api-key', 'x')).rejects.toThrow(/No OS keychain \(no Secret Service on this machine\)\. Set BOB_LLM_API_KEY/);
    await expect(store.set('session-token', 'x')).rejects.toThrow(/cannot be remembered/);
  });

  it('falls back to the environment, with the reason, in a process that has no session bus', () => {
    const script = `import('./src/main/secret-store.ts').then(async (m) => { const s = await m.openSecretStore('Bob probe'); console.log(JSON.stringify({ kind: s.kind, reason: s.reason })); });`;
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
    const out = execFileSync(path.resolve('node_modules/.bin/tsx'), ['--eval', script], { env, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.kind).toBe('environment');
    expect(r.reason).toMatch(/^unavailable: /);
  });
});
