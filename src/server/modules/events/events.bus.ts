import type { Db } from '../../db/client';

export const EVENT_TYPES = [
  'session.created',
  'message.created',
  'session.updated',
  'session.closed',
  'handoff.requested',
  'credits.threshold',
  'pricebook.published',
  'persona.updated',
  'widget_key.revoked',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface BobEvent {
  id: number;
  tenantId: string;
  type: EventType;
  sessionId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export type Emit = (tenantId: string, type: EventType, data: Record<string, unknown>, sessionId?: string | null) => void;
type Listener = (e: BobEvent) => void;

interface EventRow {
  id: number;
  tenant_id: string;
  type: EventType;
  session_id: string | null;
  data: string;
  created_at: string;
}
const toEvent = (r: EventRow): BobEvent => ({ id: r.id, tenantId: r.tenant_id, type: r.type, sessionId: r.session_id, data: JSON.parse(r.data), createdAt: r.created_at });

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
    this.insert = db.prepare<[string, string, string | null, string, string], EventRow>(
      'INSERT INTO events (tenant_id, type, session_id, data, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
    );
    this.afterTenant = db.prepare<[string, number, number], EventRow>('SELECT * FROM events WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?');
    this.afterAll = db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?');
    this.afterSession = db.prepare<[string, number, number], EventRow>('SELECT * FROM events WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?');
  }

  /** Runs `fn` in one transaction; the events it emits reach subscribers only if it commits. */
  transaction<T>(fn: (emit: Emit) => T): T {
    const pending: BobEvent[] = [];
    const emit: Emit = (tenantId, type, data, sessionId = null) => {
      const event = toEvent(this.insert.get(tenantId, type, sessionId, JSON.stringify(data), this.now().toISOString())!);
      this.outbox?.(event);
      pending.push(event);
    };
    const result = this.db.transaction(() => fn(emit))();
    for (const e of pending) for (const l of this.listeners) l(e);
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
