import type { Db } from '../../db/client';
import type { BobEvent, EventPayloads, EventType } from '../../../shared/events';

/** Stores an event in the caller's transaction; `data` is checked against its type's payload. */
export type Emit = <T extends EventType>(tenantId: string, type: T, data: EventPayloads[T], sessionId?: string | null) => void;
type Listener = (e: BobEvent) => void;

interface EventRow {
  id: number;
  tenant_id: string;
  type: EventType;
  session_id: string | null;
  data: string;
  created_at: string;
}
// A stored row is an event its type's emit wrote, so its data is that type's payload.
const toEvent = (r: EventRow) => ({ id: r.id, tenantId: r.tenant_id, type: r.type, sessionId: r.session_id, data: JSON.parse(r.data), createdAt: r.created_at }) as BobEvent;

/**
 * The one event bus. Events are rows written in the same SQLite transaction as the change
 * (so nothing is announced that was not stored, and nothing stored is lost), then handed to
 * live subscribers after the commit. The row id is the SSE event id.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly insert;
  private readonly afterTenant;
  private readonly afterAll;
  private readonly afterSession;

  /**
   * @param outbox called inside the transaction for every stored event (the webhook outbox
   *   writes its deliveries there, so they commit or roll back with the change).
   */
  constructor(private readonly db: Db, private readonly now: () => Date, private readonly outbox?: (e: BobEvent) => void) {
    this.insert = db.prepare<[string, string, string | null, string, string]>('INSERT INTO events (tenant_id, type, session_id, data, created_at) VALUES (?, ?, ?, ?, ?)');
    this.afterTenant = db.prepare<[string, number, number], EventRow>('SELECT * FROM events WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?');
    this.afterAll = db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?');
    this.afterSession = db.prepare<[string, number, number], EventRow>('SELECT * FROM events WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?');
  }

  /**
   * An `Emit` that stores each event (and calls the outbox) in whatever transaction is open on
   * the connection, collecting it in `pending` for `publish` after the commit. The unit of work
   * (src/server/storage) writes its events with it.
   */
  emitter(pending: BobEvent[]): Emit {
    return (tenantId, type, data, sessionId = null) => {
      const createdAt = this.now().toISOString();
      // The event as stored, built from what was written (no read back): the data is the caller's object, serialised once here.
      const { lastInsertRowid } = this.insert.run(tenantId, type, sessionId, JSON.stringify(data), createdAt);
      // The compiler cannot tie a generic `type` to its member of the union: `data` was checked against it above.
      const event = { id: Number(lastInsertRowid), tenantId, type, sessionId, data, createdAt } as BobEvent;
      this.outbox?.(event);
      pending.push(event);
    };
  }

  /** Hands committed events to the live subscribers, in order. */
  publish(events: BobEvent[]) {
    for (const e of events) for (const l of this.listeners) l(e);
  }

  /** Runs `fn` in one transaction; the events it emits reach subscribers only if it commits. */
  transaction<T>(fn: (emit: Emit) => T): T {
    const pending: BobEvent[] = [];
    const result = this.db.transaction(() => fn(this.emitter(pending)))();
    this.publish(pending);
    return result;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stored events after `afterId`, for Last-Event-ID resume. */
  replay(scope: { tenantId?: string; sessionId?: string }, afterId: number, limit = 500): BobEvent[] {
    const rows = scope.sessionId
      ? this.afterSession.all(scope.sessionId, afterId, limit)
      : scope.tenantId
        ? this.afterTenant.all(scope.tenantId, afterId, limit)
        : this.afterAll.all(afterId, limit);
    return rows.map(toEvent);
  }
}
