import { z } from 'zod';
import { isoDateTime } from './common';

export const Plan = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
    name: z.string().min(1).max(60),
    price_month: z.number().nonnegative(),
    credits_month: z.number().int().nonnegative(),
    seats: z.number().int().positive().nullable().describe('null = unlimited'),
    integrations: z.number().int().nonnegative(),
    support: z.string().min(1).max(60),
    storage_mb: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .describe('room for files sent in conversations, in MB; null = unlimited; absent = DEFAULT_STORAGE_MB (issue #23)'),
  })
  .meta({ id: 'Plan' });
export type Plan = z.infer<typeof Plan>;

/** A plan's storage for attachments when it does not say (MB). */
export const DEFAULT_STORAGE_MB = 1024;

export const PricebookStatus = z.enum(['draft', 'published', 'archived']);

export const Pricebook = z
  .object({
    version: z.number().int().positive(),
    status: PricebookStatus,
    published_at: isoDateTime.nullable(),
    currency: z.string().length(3),
    credits_per_ai_reply: z.number().int().nonnegative(),
    plans: z.array(Plan).min(1),
  })
  .meta({ id: 'Pricebook' });
export type Pricebook = z.infer<typeof Pricebook>;

/** A draft's editable part; the server keeps version, status and dates. */
export const PricebookDraftInput = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'use an ISO 4217 code like USD').optional(),
    credits_per_ai_reply: z.number().int().nonnegative().optional(),
    plans: z
      .array(Plan)
      .min(1)
      .refine((plans) => new Set(plans.map((p) => p.id)).size === plans.length, 'plan ids must be unique')
      .optional(),
  })
  .meta({ id: 'PricebookDraftInput' });

export const PricebookVersionParams = z.object({ version: z.coerce.number().int().positive() });
