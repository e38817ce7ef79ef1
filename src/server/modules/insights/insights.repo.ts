import type { Db } from '../../db/client';

export interface UnansweredRow {
  question: string;
  reason: 'unknown' | 'handoff' | 'fallback';
  created_at: string;
  conversation_id: string;
  session_id: string;
}

export interface OutcomeCounts {
  date: string;
  conversations: number;
  answered_by_bot: number;
  handed_to_person: number;
  abandoned: number;
}

export type InsightsRepo = ReturnType<typeof createInsightsRepo>;

/** How long a handoff request may wait for a person before the conversation counts as abandoned. */
export const HANDOFF_PATIENCE = '+10 minutes';

/**
 * Insights read straight from the conversations: the questions Bob could not answer, and how each
 * conversation ended. Console sessions (staff trying a persona) are never counted.
 */
export function createInsightsRepo(db: Db) {
  const unanswered = db.prepare<[string, string, string], UnansweredRow>(`
    SELECT u.question, u.reason, u.created_at, s.id AS conversation_id, s.external_id AS session_id
      FROM unanswered_questions u JOIN chat_sessions s ON s.id = u.session_id
     WHERE u.tenant_id = ? AND u.created_at >= ? AND u.created_at < ? AND s.channel <> 'console'
     ORDER BY u.created_at, u.id`);

  // One row per UTC day on which conversations started. Timestamps are ISO strings
  // (toISOString), so "handoff_at + 10 minutes" is written the same way and compared as text.
  const outcomes = db.prepare<{ tenant: string; from: string; to: string; now: string }, OutcomeCounts>(`
    WITH s AS (
      SELECT substr(c.created_at, 1, 10) AS date, c.handoff_at, c.agent_replied_at,
             strftime('%Y-%m-%dT%H:%M:%fZ', c.handoff_at, '${HANDOFF_PATIENCE}') AS deadline
        FROM chat_sessions c
       WHERE c.tenant_id = @tenant AND c.created_at >= @from AND c.created_at < @to AND c.channel <> 'console'
         AND EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = c.id AND m.author = 'visitor'))
    SELECT date,
           COUNT(*) AS conversations,
           COALESCE(SUM(handoff_at IS NULL AND agent_replied_at IS NULL), 0) AS answered_by_bot,
           COALESCE(SUM(agent_replied_at IS NOT NULL AND (handoff_at IS NULL OR agent_replied_at <= deadline)), 0) AS handed_to_person,
           COALESCE(SUM(handoff_at IS NOT NULL AND (agent_replied_at IS NULL OR agent_replied_at > deadline) AND deadline <= @now), 0) AS abandoned
      FROM s GROUP BY date ORDER BY date`);

  return {
    /** The period's unanswered questions, oldest first; `to` is exclusive. */
    unanswered: (tenantId: string, from: string, to: string) => unanswered.all(tenantId, from, to),
    /** Per day, conversations started in [from, to) and how they ended as of `now`. */
    outcomes: (tenantId: string, from: string, to: string, now: string) => outcomes.all({ tenant: tenantId, from, to, now }),
  };
}
