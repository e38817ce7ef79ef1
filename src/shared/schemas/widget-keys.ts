import { z } from 'zod';
import { normalizeOriginPattern, parseOriginPattern } from '../origins';
import { AddressKind } from './network';
import { isoDateTime, uuid } from './common';

export const WidgetKey = z
  .object({
    id: uuid,
    key: z.string(),
    label: z.string(),
    mode: z.enum(['live', 'test']),
    allowed_origins: z.array(z.string()),
    status: z.enum(['active', 'revoked']),
    created_at: isoDateTime,
    last_used_at: isoDateTime.nullable(),
    identity_secret_hint: z.string().nullable().describe('the identity secret\'s last characters (null: none generated yet); the secret itself is shown once'),
    identity_required: z.boolean().describe('chat needs a visitor verified through Bob.identify (403 identity_required otherwise)'),
  })
  .meta({ id: 'WidgetKey' });
export type WidgetKey = z.infer<typeof WidgetKey>;

/** An allowlist entry, checked and normalised by the one origin matcher (src/shared/origins.ts). */
const origin = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .superRefine((entry, ctx) => {
    const parsed = parseOriginPattern(entry);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .transform((entry) => normalizeOriginPattern(entry)!)
  .describe('scheme://host[:port] (exact), scheme://*.domain (any subdomain) or scheme://host:* (any port); http or https; stored lowercase without a default port');
const origins = z
  .array(origin)
  .max(50)
  .transform((list) => [...new Set(list)]);

export const WidgetKeyCreate = z
  .object({ label: z.string().trim().max(80).default(''), mode: z.enum(['live', 'test']).default('live'), allowed_origins: origins.default([]) })
  .meta({ id: 'WidgetKeyCreate' });
export const WidgetKeyPatch = z
  .object({
    label: z.string().trim().max(80).optional(),
    allowed_origins: origins.optional(),
    identity_required: z.boolean().optional().describe('needs an identity secret (409 identity_secret_missing otherwise)'),
  })
  .meta({ id: 'WidgetKeyPatch' });

export const WidgetSetup = z
  .object({
    tenant_id: uuid,
    script_url: z.string(),
    snippet: z.string(),
    public_url_kind: AddressKind.describe('loopback/private: visitors on the internet cannot reach the snippet\'s address'),
  })
  .meta({ id: 'WidgetSetup' });
