import type { Db } from '../../db/client';

export interface DayCounts {
  date: string;
  conversations: number;
  messages: number;
  ai_replies: number;
  model_replies: number;
  model_fallbacks: number;
  billable_replies: number;
  handoffs: number;
}

export type UsageRepo = ReturnType<typeof createUsageRepo>;

/**
 * Daily activity per tenant, read from the conversations themselves (nothing extra to keep in
 * sync). Persona try-it runs (console sessions) are staff tests, not conversations: not counted.
 */
export function createUsageRepo(db: Db) {
  const days = db.prepare<[string, string, string, string, string, string, string, string, string], DayCounts>(`
    WITH msgs AS (
      SELECT substr(m.created_at, 1, 10) AS date,
             SUM(m.author = 'visitor') AS messages,
             SUM(m.author = 'bot') AS ai_replies,
             SUM(m.author = 'bot' AND m.responder = 'model') AS model_replies,
             SUM(m.author = 'bot' AND m.responder = 'fallback') AS model_fallbacks,
             SUM(m.author = 'bot' AND COALESCE(s.key_mode, 'live') <> 'test') AS billable_replies
        FROM chat_messages m JOIN chat_sessions s ON s.id = m.session_id
       WHERE m.tenant_id = ? AND m.created_at >= ? AND m.created_at < ? AND s.channel <> 'console'
       GROUP BY 1),
    convs AS (
      SELECT substr(created_at, 1, 10) AS date, COUNT(*) AS conversations
        FROM chat_sessions WHERE tenant_id = ? AND created_at >= ? AND created_at < ? AND channel <> 'console' GROUP BY 1),
    hand AS (
      SELECT substr(e.created_at, 1, 10) AS date, COUNT(*) AS handoffs
        FROM events e LEFT JOIN chat_sessions s ON s.id = e.session_id
       WHERE e.tenant_id = ? AND e.type = 'handoff.requested' AND e.created_at >= ? AND e.created_at < ?
         AND COALESCE(s.channel, '') <> 'console' GROUP BY 1)
    SELECT d.date,
           COALESCE(c.conversations, 0) AS conversations, COALESCE(m.messages, 0) AS messages,
           COALESCE(m.ai_replies, 0) AS ai_replies, COALESCE(m.model_replies, 0) AS model_replies,
           COALESCE(m.model_fallbacks, 0) AS model_fallbacks, COALESCE(m.billable_replies, 0) AS billable_replies,
           COALESCE(h.handoffs, 0) AS handoffs
      FROM (SELECT date FROM msgs UNION SELECT date FROM convs UNION SELECT date FROM hand) d
      LEFT JOIN msgs m ON m.date = d.date LEFT JOIN convs c ON c.date = d.date LEFT JOIN hand h ON h.date = d.date
     ORDER BY d.date`);
  // Per conversation started in the range: first visitor message → first answer of anyone else.
  const firstResponses = db.prepare<[string, string, string], { date: string; ms: number }>(`
    SELECT substr(s.created_at, 1, 10) AS date,
           (julianday(MIN(CASE WHEN m.author IN ('bot', 'agent', 'system') THEN m.created_at END))
            - julianday(MIN(CASE WHEN m.author = 'visitor' THEN m.created_at END))) * 86400000.0 AS ms
      FROM chat_sessions s JOIN chat_messages m ON m.session_id = s.id
     WHERE s.tenant_id = ? AND s.created_at >= ? AND s.created_at < ? AND s.channel <> 'console'
     GROUP BY s.id HAVING ms IS NOT NULL`);

  return {
    days: (tenantId: string, from: string, to: string) => days.all(tenantId, from, to, tenantId, from, to, tenantId, from, to),
    firstResponses: (tenantId: string, from: string, to: string) => firstResponses.all(tenantId, from, to),
  };
}
