// The model provider Bob uses: BOB_LLM_BASE_URL + BOB_LLM_MODEL when set (the environment wins
// and Mission Control shows them read-only), otherwise what an admin saved in Settings. The API
// key is never stored here: it comes from `apiKey()` (the OS keychain in the desktop app, or
// BOB_LLM_API_KEY), read at call time so a key saved in Settings works without a restart.
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { Config } from '../../config';
import { conflict } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { LlmSettings } from '../responder/llm-client';
import type { AppSettingsRepo } from '../settings/app-settings.repo';

export const DEFAULT_MODEL_TIMEOUT_MS = 15_000;
const KEY = 'model';

const Stored = z.object({ enabled: z.boolean(), base_url: z.string(), model: z.string(), timeout_ms: z.number().int() });
type Stored = z.infer<typeof Stored>;

export interface ModelConfigView {
  source: 'environment' | 'settings' | 'none';
  enabled: boolean;
  base_url: string | null;
  model: string | null;
  timeout_ms: number;
  api_key_set: boolean;
}

export type ModelSettings = Awaited<ReturnType<typeof createModelSettings>>;

export async function createModelSettings(deps: {
  repo: AppSettingsRepo;
  /** Saving: the setting with its audit record in one transaction. */
  uow: UnitOfWork<{ appSettings: AppSettingsRepo }>;
  config: Config;
  clock: Clock;
  apiKey: () => Promise<string | null>;
}) {
  const env = deps.config.llm.baseUrl && deps.config.llm.model ? { enabled: true, base_url: deps.config.llm.baseUrl, model: deps.config.llm.model, timeout_ms: DEFAULT_MODEL_TIMEOUT_MS } : null;
  const load = async (): Promise<Stored | null> => {
    const raw = await deps.repo.get(KEY);
    const parsed = raw ? Stored.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  };
  // Read on every chat message: kept in memory, replaced on save (and reloaded when another instance saves).
  let stored = await load();
  const current = () => env ?? stored;
  const viewOf = (s: Stored | null, apiKeySet: boolean): ModelConfigView => {
    const c = env ?? s;
    return {
      source: env ? 'environment' : s ? 'settings' : 'none',
      enabled: c?.enabled ?? false,
      base_url: c?.base_url ?? null,
      model: c?.model ?? null,
      timeout_ms: c?.timeout_ms ?? DEFAULT_MODEL_TIMEOUT_MS,
      api_key_set: apiKeySet,
    };
  };

  return {
    /** The model to use now, without its key; null when Bob answers with the built-in responder. */
    active(): Omit<LlmSettings, 'apiKey'> | null {
      const c = current();
      return c?.enabled ? { baseUrl: c.base_url, model: c.model, timeoutMs: c.timeout_ms } : null;
    },
    /** The active model with its key, for a call. */
    async resolve(): Promise<LlmSettings | null> {
      const a = this.active();
      return a ? { ...a, apiKey: (await deps.apiKey()) ?? undefined } : null;
    },
    async view(): Promise<ModelConfigView> {
      return viewOf(stored, (await deps.apiKey()) !== null);
    },
    /** Saves what an admin set in Settings (audited); returns the new view. */
    async save(auth: AuthContext, ip: string, input: Stored): Promise<ModelConfigView> {
      const before = await this.view(); // the key is read before the transaction: the keychain is not storage
      if (env) throw conflict('managed_by_environment', 'The model is set by BOB_LLM_BASE_URL and BOB_LLM_MODEL on the server; change it there');
      const after = viewOf(input, before.api_key_set);
      await deps.uow.run(async ({ appSettings, audit }) => {
        await appSettings.put(KEY, JSON.stringify(input), deps.clock.now().toISOString());
        audit({ tenantId: auth.tenantId, actorId: auth.userId, actorEmail: auth.email, action: 'settings.model_updated', targetType: 'settings', targetId: 'model', before, after, ip });
      });
      stored = input;
      return after;
    },
    /** Reads the stored settings again (another instance saved them). */
    async reload() {
      stored = await load();
    },
    apiKey: deps.apiKey,
  };
}
