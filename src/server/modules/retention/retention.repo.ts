import { dialectOf } from '../../storage/dialect';
import type { Storage } from '../../storage/sqlite';

export type RetentionRepo = ReturnType<typeof createRetentionRepo>;

/** What one batch removed. */
export interface Removed {
  sessions: number;
  messages: number;
}

/**
 * The retention job's reads and deletes beside chat.repo's deleteSessions (which the erasure of a
 * visitor uses too): unlike an erasure, which keeps a conversation's events redacted, retention
 * removes the events and their webhook deliveries (their attempts cascade). Deleting is idempotent:
 * a batch finds only what is still there.
 */
export function createRetentionRepo(db: Storage) {
  return {
    /** Instances sharing the database run batches one at a time, to the end of this transaction (PostgreSQL). */
    takeTurns: () => dialectOf(db).takeTurns(db, 'retention'),

    /** Up to `limit` sessions of the tenant whose last message is before `before`, oldest first. */
    async expiredSessions(tenantId: string, before: string, limit: number): Promise<{ id: string; external_id: string }[]> {
      return db
        .selectFrom('chat_sessions')
        .select(['id', 'external_id'])
        .where('tenant_id', '=', tenantId)
        .where('last_message_at', '<', before)
        .orderBy('last_message_at')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** Removes the events of these sessions of the tenant and their webhook deliveries. */
    async removeEventsOf(tenantId: string, ids: readonly string[]): Promise<void> {
      if (!ids.length) return;
      const events = db.selectFrom('events').select('id').where('tenant_id', '=', tenantId).where('session_id', 'in', [...ids]);
      await db.deleteFrom('webhook_deliveries').where('tenant_id', '=', tenantId).where('event_id', 'in', events).execute();
      await db.deleteFrom('events').where('tenant_id', '=', tenantId).where('session_id', 'in', [...ids]).execute();
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
