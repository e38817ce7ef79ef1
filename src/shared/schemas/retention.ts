import { z } from 'zod';

/** Days a conversation may be kept after its last message: 1 to 10 years. */
export const retentionDays = z.number().int().min(1).max(3650);

/** The platform's maximum (GET/PUT /api/settings/retention; platform admins only). */
export const RetentionPlatform = z
  .object({ max_days: retentionDays.nullable().describe('null: no maximum; otherwise no business keeps conversations longer, whatever its own setting') })
  .meta({ id: 'RetentionPlatform' });
export type RetentionPlatform = z.infer<typeof RetentionPlatform>;

/** A business's retention as applied: its own setting, the platform's cap, the smaller of the two. */
export const RetentionPolicy = z
  .object({
    days: retentionDays.nullable().describe('the business\'s own setting (settings.retention_days); null: keep'),
    platform_max_days: retentionDays.nullable().describe('the platform\'s maximum; null: none'),
    effective_days: retentionDays.nullable().describe('what the hourly job applies: the smaller of the two; null: conversations are kept'),
    capped: z.boolean().describe('true when the platform\'s maximum is shorter than the business\'s own setting (or the business keeps everything)'),
    month: z.string().describe('YYYY-MM (UTC)'),
    removed_this_month: z.number().int().describe('conversations removed under the policy this month'),
  })
  .meta({ id: 'RetentionPolicy' });
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

/** What one run of the job removed, over every business. */
export const RetentionRunResult = z
  .object({
    businesses: z.number().int().describe('businesses with an effective retention'),
    sessions_removed: z.number().int(),
    messages_removed: z.number().int(),
    batches: z.number().int().describe('unit-of-work runs that removed something (at most 500 conversations each)'),
  })
  .meta({ id: 'RetentionRunResult' });
export type RetentionRunResult = z.infer<typeof RetentionRunResult>;


/** The retention a business gets: the smaller of its own setting and the platform's maximum (null = keep). */
export function effectiveRetention(days: number | null | undefined, platformMax: number | null | undefined): number | null {
  const limits = [days, platformMax].filter((d): d is number => typeof d === 'number');
  return limits.length ? Math.min(...limits) : null;
}
