// The model provider Bob uses: BOB_LLM_BASE_URL + BOB_LLM_MODEL when set (the environment wins
// and Mission Control shows them read-only), otherwise what an admin saved in Settings. The API
// key is never stored here: it comes from `apiKey()` (the OS keychain in the desktop app, or
// BOB_LLM_API_KEY), read at call time so a key saved in Settings works without a restart.
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { Config } from '../../config';
import { conflict } from '../../errors';
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

export type ModelSettings = ReturnType<typeof createModelSettings>;

export function createModelSettings(deps: { repo: AppSettingsRepo; config: Config; clock: Clock; apiKey: () => Promise<string | null> }) {
  const env = deps.config.llm.baseUrl && deps.config.llm.model ? { enabled: true, base_url: deps.config.llm.baseUrl, model: deps.config.llm.model, timeout_ms: DEFAULT_MODEL_TIMEOUT_MS } : null;
  const load = (): Stored | null => {
    const raw = deps.repo.get(KEY);
    const parsed = raw ? Stored.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  };
  // Read on every chat message: kept in memory, replaced on save.
  let stored = load();
  const current = () => env ?? stored;

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
      const c = current();
      return {
        source: env ? 'environment' : stored ? 'settings' : 'none',
        enabled: c?.enabled ?? false,
        base_url: c?.base_url ?? null,
        model: c?.model ?? null,
        timeout_ms: c?.timeout_ms ?? DEFAULT_MODEL_TIMEOUT_MS,
        api_key_set: (await deps.apiKey()) !== null,
      };
    },
    save(input: Stored): void {
      if (env) throw conflict('managed_by_environment', 'The model is set by BOB_LLM_BASE_URL and BOB_LLM_MODEL on the server; change it there');
      deps.repo.put(KEY, JSON.stringify(input), deps.clock.now().toISOString());
      stored = input;
    },
    apiKey: deps.apiKey,
  };
}
