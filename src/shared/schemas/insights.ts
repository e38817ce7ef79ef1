import { z } from 'zod';
import { isoDate, isoDateTime, uuid } from './common';

export const InsightsQuery = z.object({
  from: isoDate.optional().describe('first day (UTC), default 30 days ago'),
  to: isoDate.optional().describe('last day (UTC), default today'),
  business_id: z.string().max(64).optional().describe('platform admins: another tenant'),
});

export const UnansweredGroup = z
  .object({
    question: z.string().describe("the group's most frequent wording"),
    wordings: z.array(z.string()).describe('distinct wordings, most frequent first (at most 10)'),
    count: z.number().int(),
    first_seen: isoDateTime,
    last_seen: isoDateTime,
    reasons: z.object({ unknown: z.number().int(), handoff: z.number().int(), fallback: z.number().int() }),
    conversations: z.array(z.object({ id: uuid, session_id: z.string() })).describe('newest first (at most 20)'),
  })
  .meta({ id: 'UnansweredGroup' });
export type UnansweredGroup = z.infer<typeof UnansweredGroup>;

export const UnansweredReport = z
  .object({ from: isoDate, to: isoDate, total: z.number().int(), groups: z.array(UnansweredGroup) })
  .meta({ id: 'UnansweredReport' });
export type UnansweredReport = z.infer<typeof UnansweredReport>;

export const OutcomeDay = z
  .object({
    date: isoDate,
    conversations: z.number().int().describe('conversations started that day with at least one visitor message (staff tries excluded)'),
    answered_by_bot: z.number().int().describe('no handoff asked for and no person replied'),
    handed_to_person: z.number().int().describe('a person replied (within 10 minutes of a handoff request, or took over)'),
    abandoned: z
      .number()
      .int()
      .describe(
        'a handoff was requested and no person replied within 10 minutes. A handoff still inside its 10 minutes with no reply yet ' +
          'counts in none of the three (not Bob alone, not a person, not abandoned yet), so they may add up to less than conversations',
      ),
    resolved_without_person: z.number().nullable().describe('answered_by_bot / conversations, 0–1; null with no conversations'),
  })
  .meta({ id: 'OutcomeDay' });
export type OutcomeDay = z.infer<typeof OutcomeDay>;

export const OutcomesReport = z
  .object({ from: isoDate, to: isoDate, days: z.array(OutcomeDay), totals: OutcomeDay.omit({ date: true }) })
  .meta({ id: 'OutcomesReport' });
export type OutcomesReport = z.infer<typeof OutcomesReport>;
