import { z } from 'zod';
import { externalSessionId } from './chat';
import { isoDateTime } from './common';

// Issue #23: the visitor's rating of a closed conversation (CSAT).

export const CSAT_COMMENT_MAX = 1000;

/** POST /api/widget/rating */
export const WidgetRatingRequest = z
  .object({
    session_id: externalSessionId,
    score: z.number().int().min(1).max(5).describe('1 (bad) to 5 (very good)'),
    comment: z.string().trim().max(CSAT_COMMENT_MAX).optional().describe('optional, what the visitor wants to add'),
  })
  .meta({ id: 'WidgetRatingRequest' });

export const Rating = z
  .object({
    score: z.number().int().min(1).max(5),
    comment: z.string().nullable(),
    agent_id: z.string().nullable().describe('the last person who replied; null when Bob alone answered'),
    created_at: isoDateTime,
  })
  .meta({ id: 'Rating' });
export type Rating = z.infer<typeof Rating>;

export const SessionRating = z.object({ rating: Rating.nullable() }).meta({ id: 'SessionRating' });

const Score = z.object({ count: z.number().int(), average: z.number().nullable().describe('null when nothing was rated') });

/** Usage's CSAT section: ratings given in the period, all, per agent and for Bob alone. */
export const CsatSummary = Score.extend({
  bob: Score.describe('conversations Bob answered alone'),
  agents: z.array(Score.extend({ agent_id: z.string(), name: z.string().nullable() })).describe('per the last person who replied, most ratings first'),
}).meta({ id: 'CsatSummary' });
export type CsatSummary = z.infer<typeof CsatSummary>;
