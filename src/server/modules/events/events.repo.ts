import type { Selectable } from 'kysely';
import type { BobEvent, EventPayloads, EventType } from '../../../shared/events';
import { dialectOf } from '../../storage/dialect';
import type { EventsTable } from '../../storage/schema';
import type { Storage } from '../../storage/sqlite';

/** An event emitted in a unit of work, not stored yet (no id). */
export interface NewEvent<T extends EventType = EventType> {
  tenantId: string;
  type: T;
  sessionId: string | null;
  data: EventPayloads[T];
  createdAt: string;
}

// A stored row is an event its type's emit wrote, so its data is that type's payload.
const toEvent = (r: Selectable<EventsTable>) =>
  ({ id: r.id, tenantId: r.tenant_id, type: r.type, sessionId: r.session_id, data: JSON.parse(r.data), createdAt: r.created_at }) as BobEvent;

export type EventsRepo = ReturnType<typeof createEventsRepo>;

/**
 * The event store: every event, written in the transaction of the change it announces (the unit
 * of work appends a run's events before it ends). The row id is the SSE event id.
 */
export function createEventsRepo(db: Storage) {
  return {
    /** Stores the events in order; they come back with their ids (the data as given, serialised once). */
    async append(events: NewEvent[]): Promise<BobEvent[]> {
      const ids = await dialectOf(db).appendEvents(
        db,
        events.map((e) => ({ tenant_id: e.tenantId, type: e.type, session_id: e.sessionId, data: JSON.stringify(e.data), created_at: e.createdAt })),
      );
      // The compiler cannot tie a generic `type` to its member of the union: `data` was checked when it was emitted.
      return events.map((e, i) => ({ ...e, id: ids[i]! }) as BobEvent);
    },
    /** Stored events after `afterId`, oldest first, for Last-Event-ID resume: a session's, a tenant's, or every one. */
    async replay(scope: { tenantId?: string; sessionId?: string }, afterId: number, limit = 500): Promise<BobEvent[]> {
      let q = db.selectFrom('events').selectAll().where('id', '>', afterId);
      if (scope.sessionId) q = q.where('session_id', '=', scope.sessionId);
      else if (scope.tenantId) q = q.where('tenant_id', '=', scope.tenantId);
      return (await q.orderBy('id').limit(limit).execute()).map(toEvent);
    },
    /** Every event with `afterId < id <= upToId`, oldest first, at most `limit` (the relay's catch-up). */
    async between(afterId: number, upToId: number, limit: number): Promise<BobEvent[]> {
      return (await db.selectFrom('events').selectAll().where('id', '>', afterId).where('id', '<=', upToId).orderBy('id').limit(limit).execute()).map(toEvent);
    },
    /** The newest event's id; 0 when there is none. */
    async lastId(): Promise<number> {
      const row = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      return row?.id ?? 0;
    },
  };
}
