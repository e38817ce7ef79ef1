import type { Storage } from '../../storage/sqlite';

export type VisitorsRepo = ReturnType<typeof createVisitorsRepo>;

/** A stored event as the erasure reads it: its data as stored (JSON text). */
export interface StoredEventData {
  id: number;
  type: string;
  data: string;
}

/**
 * What the visitors module keeps in the event store itself: the erasure's redaction of a
 * conversation's events. The rows stay (their ids are the streams' resume ids); their data is
 * replaced, so a replay sends the redacted shape.
 */
export function createVisitorsRepo(db: Storage) {
  return {
    /** This tenant's events of these sessions (internal ids), oldest first. */
    eventsOf: async (tenantId: string, sessionIds: readonly string[]): Promise<StoredEventData[]> =>
      sessionIds.length
        ? (await db.selectFrom('events').select(['id', 'type', 'data']).where('tenant_id', '=', tenantId).where('session_id', 'in', [...sessionIds]).orderBy('id').execute()).map((r) => ({
            id: r.id,
            type: r.type,
            data: r.data,
          }))
        : [],
    /** Replaces one event's data (JSON text). */
    setEventData: async (id: number, data: string) => {
      await db.updateTable('events').set({ data }).where('id', '=', id).execute();
    },
  };
}
