import { dialectOf } from '../../storage/dialect';
import type { Storage } from '../../storage/sqlite';

export type RetentionRepo = ReturnType<typeof createRetentionRepo>;

/** What one batch removed. */
export interface Removed {
  sessions: number;
  messages: number;
}

/**
 * The retention job's reads and deletes. A session goes with everything stored of it: its
 * messages (the full-text index follows: SQLite's delete trigger, PostgreSQL's column is in the
 * row), its unanswered questions, its events and their webhook deliveries (their attempts cascade).
 * Deleting is idempotent: a batch finds only what is still there.
 */
export function createRetentionRepo(db: Storage) {
  return {
    /** Instances sharing the database run batches one at a time, to the end of this transaction (PostgreSQL). */
    takeTurns: () => dialectOf(db).takeTurns(db, 'retention'),

    /** Up to `limit` sessions of the tenant whose last message is before `before`, oldest first. */
    async expiredSessions(tenantId: string, before: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('chat_sessions')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('last_message_at', '<', before)
        .orderBy('last_message_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /** Removes these sessions of the tenant and everything stored of them. */
    async removeSessions(tenantId: string, ids: string[]): Promise<Removed> {
      if (!ids.length) return { sessions: 0, messages: 0 };
      const events = db.selectFrom('events').select('id').where('tenant_id', '=', tenantId).where('session_id', 'in', ids);
      await db.deleteFrom('webhook_deliveries').where('tenant_id', '=', tenantId).where('event_id', 'in', events).execute();
      await db.deleteFrom('events').where('tenant_id', '=', tenantId).where('session_id', 'in', ids).execute();
      await db.deleteFrom('unanswered_questions').where('tenant_id', '=', tenantId).where('session_id', 'in', ids).execute();
      const messages = await db.deleteFrom('chat_messages').where('tenant_id', '=', tenantId).where('session_id', 'in', ids).executeTakeFirst();
      const sessions = await db.deleteFrom('chat_sessions').where('tenant_id', '=', tenantId).where('id', 'in', ids).executeTakeFirst();
      return { sessions: Number(sessions.numDeletedRows), messages: Number(messages.numDeletedRows) };
    },

    /** Records a batch that removed something. */
    async record(tenantId: string, at: string, removed: Removed): Promise<void> {
      await db.insertInto('retention_runs').values({ tenant_id: tenantId, ran_at: at, sessions_removed: removed.sessions, messages_removed: removed.messages }).execute();
    },

    /** Conversations of the tenant removed at or after `since`. */
    async removedSince(tenantId: string, since: string): Promise<number> {
      const row = await db
        .selectFrom('retention_runs')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('sessions_removed'), eb.lit(0)).as('n'))
        .where('tenant_id', '=', tenantId)
        .where('ran_at', '>=', since)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
