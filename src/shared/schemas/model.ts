import { z } from 'zod';

export const ModelConfig = z
  .object({
    source: z.enum(['environment', 'settings', 'none']).describe('environment: BOB_LLM_BASE_URL/BOB_LLM_MODEL are set and win (read-only here)'),
    enabled: z.boolean(),
    base_url: z.string().nullable(),
    model: z.string().nullable(),
    timeout_ms: z.number().int(),
    api_key_set: z.boolean().describe('a key is available (OS keychain or BOB_LLM_API_KEY); the key itself is never returned'),
  })
  .meta({ id: 'ModelConfig' });
export type ModelConfig = z.infer<typeof ModelConfig>;

const baseUrl = z.string().trim().max(500).regex(/^https?:\/\//i, 'must start with http:// or https://').pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:11434/v1' }));

export const ModelConfigInput = z
  .object({
    enabled: z.boolean(),
    base_url: baseUrl,
    model: z.string().trim().min(1).max(200),
    timeout_ms: z.number().int().min(1000).max(120_000).default(15_000),
  })
  .meta({ id: 'ModelConfigInput' });

export const ModelTestInput = z
  .object({ base_url: baseUrl.optional(), model: z.string().trim().min(1).max(200).optional(), timeout_ms: z.number().int().min(1000).max(120_000).optional() })
  .meta({ id: 'ModelTestInput' });

export const ModelTestResult = z
  .object({ ok: z.boolean(), model: z.string().optional(), latency_ms: z.number().optional(), error: z.string().optional() })
  .meta({ id: 'ModelTestResult' });
