// The OS keychain behind one small interface (service "Bob Mission Control"). Plain Node:
// the desktop shell uses it, and it is tested against the real Secret Service.
import { Entry, type EntryOptions } from '@napi-rs/keyring';

export const KEYCHAIN_SERVICE = 'Bob Mission Control';

/** The secrets Bob keeps: the remembered sign-in and the model provider's API key. */
export type SecretName = 'session-token' | 'llm-api-key';

export interface SecretStore {
  /** Where secrets live, for the UI and the logs (never the secrets themselves). */
  readonly kind: 'os-keychain' | 'environment';
  /** Why the keychain is not used, when it is not. */
  readonly reason?: string;
  set(name: SecretName, value: string): Promise<void>;
  /** For the main process only: a secret never travels back to the renderer. */
  get(name: SecretName): Promise<string | null>;
  has(name: SecretName): Promise<boolean>;
  delete(name: SecretName): Promise<boolean>;
}

// Linux: require the Secret Service (gnome-keyring, KWallet). The kernel keyring would lose
// everything at reboot, which is worse than saying plainly that there is no keychain.
const OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

export class KeychainSecretStore implements SecretStore {
  readonly kind = 'os-keychain' as const;
  constructor(private readonly service = KEYCHAIN_SERVICE) {}
  private entry(name: SecretName) {
    return new Entry(this.service, name, OPTIONS);
  }
  async set(name: SecretName, value: string) {
    if (!value) throw new Error('An empty secret cannot be stored');
    this.entry(name).setPassword(value);
  }
  async get(name: SecretName) {
    return this.entry(name).getPassword();
  }
  async has(name: SecretName) {
    return this.entry(name).getPassword() !== null;
  }
  async delete(name: SecretName) {
    return this.entry(name).deletePassword();
  }
}

const ENV: Record<SecretName, string | undefined> = { 'session-token': undefined, 'llm-api-key': 'BOB_LLM_API_KEY' };

/** No keychain: secrets come only from the environment, and nothing is written anywhere. */
export class EnvironmentSecretStore implements SecretStore {
  readonly kind = 'environment' as const;
  constructor(readonly reason: string, private readonly env: NodeJS.ProcessEnv = process.env) {}
  async set(name: SecretName, _value: string): Promise<void> {
    throw new Error(`No OS keychain (${this.reason}). ${ENV[name] ? `Set ${ENV[name]} in the environment instead.` : 'This secret cannot be remembered on this machine.'}`);
  }
  async get(name: SecretName) {
    const variable = ENV[name];
    return (variable && this.env[variable]) || null;
  }
  async has(name: SecretName) {
    return (await this.get(name)) !== null;
  }
  async delete() {
    return false;
  }
}

/** The keychain when it answers a write/read/delete probe; otherwise the environment, with the reason. */
export async function openSecretStore(service = KEYCHAIN_SERVICE): Promise<SecretStore> {
  try {
    const probe = new Entry(service, 'probe', OPTIONS);
    probe.setPassword('ok');
    const ok = probe.getPassword() === 'ok';
    probe.deletePassword();
    if (ok) return new KeychainSecretStore(service);
    return new EnvironmentSecretStore('the keychain did not return what was stored');
  } catch (err) {
    return new EnvironmentSecretStore(`unavailable: ${(err as Error).message}`);
  }
}
