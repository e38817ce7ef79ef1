import { z } from 'zod';
import { isoDate as day } from './common';
import { RetentionPolicy } from './retention';
import { CsatSummary } from './csat';

export const UsageQuery = z.object({
  from: day.optional().describe('first day (UTC), default 29 days before `to`'),
  to: day.optional().describe('last day (UTC), default today'),
  business_id: z.string().max(64).optional(),
});

export const UsageDay = z
  .object({
    date: day,
    conversations: z.number().int(),
    messages: z.number().int().describe('visitor messages'),
    ai_replies: z.number().int(),
    model_replies: z.number().int().describe('AI replies written by the configured model'),
    model_fallbacks: z.number().int().describe('times the model failed (error, timeout, malformed, unpublished price) and the built-in responder answered'),
    handoffs: z.number().int(),
    credits_used: z.number().int(),
    median_first_response_ms: z.number().nullable(),
  })
  .meta({ id: 'UsageDay' });

export const Usage = z
  .object({
    from: day,
    to: day,
    days: z.array(UsageDay),
    credits: z.object({ month: z.string(), used: z.number().int(), allowance: z.number().int(), left: z.number().int() }),
    retention: RetentionPolicy.describe('the business\'s retention policy and the conversations it removed this month'),
    csat: CsatSummary.describe('ratings given from `from` to `to`: in all, for Bob alone, per agent (issue #23)'),
    storage: z
      .object({ used_bytes: z.number().int(), limit_bytes: z.number().int().nullable().describe('null: unlimited') })
      .optional()
      .describe('files sent in conversations (issue #23) against the plan\'s storage'),
  })
  .meta({ id: 'Usage' });
