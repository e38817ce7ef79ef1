import { ModelConfig, ModelConfigInput, ModelTestInput, ModelTestResult } from '../../../shared/schemas/model';
import { HttpError } from '../../errors';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { testConnection } from '../responder/llm-client';
import type { ModelSettings } from './model.settings';

export function registerModelRoutes(api: ApiRouter, deps: { settings: ModelSettings }) {
  const { settings } = deps;
  const common = { tag: 'Settings', auth: 'user' as const };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/settings/model',
    summary: 'Which model answers visitors (none = the built-in responder); never the API key',
    permission: 'chat.view',
    response: ModelConfig,
    handler: () => settings.view(),
  });

  api.add({
    ...common,
    method: 'PUT',
    path: '/api/settings/model',
    summary: 'Set the OpenAI-compatible model (Ollama, LM Studio, llama.cpp server, OpenAI); 409 managed_by_environment when BOB_LLM_* are set',
    permission: 'settings.manage',
    body: ModelConfigInput,
    response: ModelConfig,
    errors: [409],
    handler: (ctx, { body }) => settings.save(authOf(ctx), ctx.ip, body),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/settings/model/test',
    summary: 'Test connection: one tiny completion with the given (or saved) base URL and model and the stored key',
    permission: 'settings.manage',
    body: ModelTestInput,
    response: ModelTestResult,
    async handler(_ctx, { body }) {
      const saved = await settings.view();
      const baseUrl = body.base_url ?? saved.base_url;
      const model = body.model ?? saved.model;
      if (!baseUrl || !model) throw new HttpError(400, 'invalid_request', 'Give a base URL and a model to test', [{ path: ['body', 'base_url'], message: 'required' }]);
      const result = await testConnection({ baseUrl, model, timeoutMs: body.timeout_ms ?? saved.timeout_ms, apiKey: (await settings.apiKey()) ?? undefined });
      return result.ok ? { ok: true, model: result.model, latency_ms: result.latencyMs } : { ok: false, error: result.error };
    },
  });
}
