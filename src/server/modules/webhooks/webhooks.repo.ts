import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';

export interface EndpointRow {
  id: string;
  tenant_id: string;
  url: string;
  description: string;
  events: string;
  enabled: 0 | 1;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  disabled_reason: string | null;
  disabled_at: string | null;
  /** Events that fell off the endpoint's queue (too many waiting, or too old). */
  dropped: number;
  created_at: string;
  updated_at: string;
}

export interface EndpointStats {
  pending: number;
  failed: number;
  waiting: number;
  last_delivery_at: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: number;
  endpoint_id: string;
  tenant_id: string;
  event_id: number | null;
  msg_id: string;
  type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface AttemptRow {
  delivery_id: number;
  at: string;
  duration_ms: number;
  url: string;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
}

/** An event as the outbox needs it (the events table row, already stored). */
export interface OutboxEvent {
  id: number;
  tenantId: string;
  type: string;
  createdAt: string;
  data: unknown;
}

/** The webhook-id: random, so ids never repeat even if the database is started afresh. */
export const newMessageId = () => 'msg_' + randomBytes(16).toString('hex');

/**
 * How much an endpoint's queue keeps while it cannot deliver (off, or failing): the newest
 * `queueLimit` events no older than `queueDays`. Tests use a small bound.
 */
export interface QueueBound {
  queueLimit: number;
  queueDays: number;
}
export const DEFAULT_QUEUE_BOUND: QueueBound = { queueLimit: 10_000, queueDays: 30 };

// An event's delivery not yet received: waiting in line, or the one Bob gave up on when it turned
// the endpoint off (sent again, first, when the endpoint is turned back on). Test pings never wait.
const UNDELIVERED = `status IN ('pending', 'failed') AND event_id IS NOT NULL`;

export type WebhooksRepo = ReturnType<typeof createWebhooksRepo>;

export function createWebhooksRepo(db: Db, bound: QueueBound = DEFAULT_QUEUE_BOUND) {
  const stats = `
    (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS pending,
    (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'failed') AS failed,
    (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND ${UNDELIVERED}) AS waiting,
    (SELECT delivered_at FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'delivered' ORDER BY id DESC LIMIT 1) AS last_delivery_at`;
  const forTenant = db.prepare<[string], EndpointRow & EndpointStats>(`SELECT e.*, ${stats} FROM webhook_endpoints e WHERE tenant_id = ? ORDER BY created_at, id`);
  const byId = db.prepare<[string, string], EndpointRow & EndpointStats>(`SELECT e.*, ${stats} FROM webhook_endpoints e WHERE tenant_id = ? AND id = ?`);
  const byIdOnly = db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = ?');
  const count = db.prepare<[string], number>('SELECT COUNT(*) FROM webhook_endpoints WHERE tenant_id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO webhook_endpoints (id, tenant_id, url, description, events, enabled, secret, created_at, updated_at)
     VALUES (@id, @tenant_id, @url, @description, @events, @enabled, @secret, @at, @at)`,
  );
  const update = db.prepare(
    `UPDATE webhook_endpoints SET url = @url, description = @description, events = @events, enabled = @enabled,
       disabled_reason = CASE WHEN @enabled = 1 THEN NULL ELSE disabled_reason END,
       disabled_at = CASE WHEN @enabled = 1 THEN NULL WHEN enabled = 1 THEN @at ELSE disabled_at END,
       updated_at = @at
     WHERE tenant_id = @tenant_id AND id = @id`,
  );
  const remove = db.prepare('DELETE FROM webhook_endpoints WHERE tenant_id = ? AND id = ?');
  const rotate = db.prepare(
    'UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?, secret = ?, updated_at = ? WHERE tenant_id = ? AND id = ?',
  );
  const disable = db.prepare('UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, disabled_at = ?, updated_at = ? WHERE id = ? AND enabled = 1');

  // The outbox: one delivery per endpoint subscribed to the event's type, on or off (an endpoint
  // that is off keeps its queue for when it is turned back on). The pricebook is platform-wide, so
  // its publication reaches every tenant's subscribed endpoints.
  const enqueue = db.prepare<Record<string, unknown>, { endpoint_id: string }>(
    `INSERT INTO webhook_deliveries (endpoint_id, tenant_id, event_id, msg_id, type, payload, next_attempt_at, created_at)
     SELECT e.id, e.tenant_id, @event_id, @msg_id, @type, @payload, @at, @at FROM webhook_endpoints e
     WHERE (e.tenant_id = @tenant_id OR @type = 'pricebook.published')
       AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = @type)
     RETURNING endpoint_id`,
  );
  // Most events have nowhere to go: one index seek says so before a payload or an id is made.
  const anyForTenant = db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE tenant_id = ?)').pluck();
  const anyAtAll = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM webhook_endpoints)').pluck();
  // The bound: what is older than the cut-off, or behind the newest `limit`, falls off and is counted.
  const trim = db.prepare(
    `DELETE FROM webhook_deliveries WHERE endpoint_id = @endpoint_id AND ${UNDELIVERED}
       AND (created_at < @oldest OR id <= (SELECT id FROM webhook_deliveries WHERE endpoint_id = @endpoint_id AND ${UNDELIVERED} ORDER BY id DESC LIMIT 1 OFFSET @limit))`,
  );
  const addDropped = db.prepare('UPDATE webhook_endpoints SET dropped = dropped + ? WHERE id = ?');
  const withOldUndelivered = db.prepare<[string], string>(`SELECT DISTINCT endpoint_id FROM webhook_deliveries WHERE ${UNDELIVERED} AND created_at < ?`).pluck();
  const trimQueue = (endpointId: string, now: string) => {
    const oldest = new Date(Date.parse(now) - bound.queueDays * 86_400_000).toISOString();
    const n = trim.run({ endpoint_id: endpointId, oldest, limit: bound.queueLimit }).changes;
    if (n) addDropped.run(n, endpointId);
    return n;
  };
  // Turned back on: the delivery Bob gave up on goes again, first, and a retry that was waiting
  // for its turn starts a fresh cycle now.
  const resume = db.prepare(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?
     WHERE endpoint_id = ? AND event_id IS NOT NULL AND (status = 'failed' OR (status = 'pending' AND attempts > 0))`,
  );
  const insertDelivery = db.prepare<unknown[], DeliveryRow>(
    `INSERT INTO webhook_deliveries (endpoint_id, tenant_id, event_id, msg_id, type, payload, next_attempt_at, created_at)
     VALUES (?, ?, NULL, ?, ?, ?, ?, ?) RETURNING *`,
  );
  // The oldest waiting delivery of each enabled endpoint: the only one that may be attempted
  // (deliveries go out in order per endpoint). One index seek per endpoint, however long the queue.
  const enabledIds = db.prepare<[], string>('SELECT id FROM webhook_endpoints WHERE enabled = 1').pluck();
  const headOf = db.prepare<[string], DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending' ORDER BY id LIMIT 1`);
  const delivery = db.prepare<[string, string, number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE tenant_id = ? AND endpoint_id = ? AND id = ?');
  const attempts = db.prepare<[number], AttemptRow>('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id');
  const insertAttempt = db.prepare(
    `INSERT INTO webhook_attempts (delivery_id, at, duration_ms, url, response_status, response_body, error)
     VALUES (@delivery_id, @at, @duration_ms, @url, @response_status, @response_body, @error)`,
  );
  const settle = db.prepare(
    `UPDATE webhook_deliveries SET status = @status, attempts = attempts + 1, next_attempt_at = @next_attempt_at,
       last_attempt_at = @at, last_status = @response_status, last_error = @error,
       delivered_at = CASE WHEN @status = 'delivered' THEN @at ELSE delivered_at END
     WHERE id = @id`,
  );
  const redeliver = db.prepare(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE tenant_id = ? AND endpoint_id = ? AND id = ?`,
  );
  // The log of what was delivered (and of test pings); undelivered events leave through the bound.
  const prune = db.prepare(`DELETE FROM webhook_deliveries WHERE (status = 'delivered' OR (status = 'failed' AND event_id IS NULL)) AND created_at < ?`);

  return {
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    forTenant: (tenantId: string) => forTenant.all(tenantId),
    byId: (tenantId: string, id: string) => byId.get(tenantId, id),
    /** For the dispatcher, which works across tenants. */
    endpoint: (id: string) => byIdOnly.get(id),
    count: (tenantId: string) => count.get(tenantId)!,
    insert: (e: { id: string; tenant_id: string; url: string; description: string; events: string[]; enabled: boolean; secret: string; at: string }) =>
      insert.run({ ...e, events: JSON.stringify(e.events), enabled: e.enabled ? 1 : 0 }),
    update: (e: { id: string; tenant_id: string; url: string; description: string; events: string[]; enabled: boolean; at: string }) =>
      update.run({ ...e, events: JSON.stringify(e.events), enabled: e.enabled ? 1 : 0 }),
    remove: (tenantId: string, id: string) => remove.run(tenantId, id).changes > 0,
    rotateSecret: (tenantId: string, id: string, secret: string, previousUntil: string, at: string) => rotate.run(previousUntil, secret, at, tenantId, id),
    /** Bob turns an endpoint off (410, retries exhausted); its waiting deliveries stay for when it is turned back on. */
    disable: (id: string, reason: string, at: string) => disable.run(reason, at, at, id).changes > 0,

    /** Turned on again by a person: everything not yet delivered goes out, in order, from now. */
    resume: (id: string, at: string) => resume.run(at, id).changes,

    /** Queues the event for its endpoints (keeping each queue within the bound); how many. */
    enqueue(e: OutboxEvent): number {
      if (!(e.type === 'pricebook.published' ? anyAtAll.get() : anyForTenant.get(e.tenantId))) return 0;
      const payload = JSON.stringify({ type: e.type, timestamp: e.createdAt, data: e.data });
      const queued = enqueue.all({ event_id: e.id, msg_id: newMessageId(), type: e.type, payload, at: e.createdAt, tenant_id: e.tenantId });
      for (const q of queued) trimQueue(q.endpoint_id, e.createdAt);
      return queued.length;
    },
    /** A delivery outside the event outbox (a test ping); `settle` records how it went. */
    insertDelivery: (d: { endpointId: string; tenantId: string; msgId: string; type: string; payload: string; at: string }) =>
      insertDelivery.get(d.endpointId, d.tenantId, d.msgId, d.type, d.payload, d.at, d.at)!,
    /** Heads of the enabled endpoints' queues, except endpoints in `skip` (already being attempted). */
    heads: (skip: { has(endpointId: string): boolean } = new Set()) =>
      enabledIds
        .all()
        .filter((id) => !skip.has(id))
        .map((id) => headOf.get(id))
        .filter((d): d is DeliveryRow => d !== undefined),
    delivery: (tenantId: string, endpointId: string, id: number) => delivery.get(tenantId, endpointId, id),
    deliveries(f: { tenantId: string; endpointId: string; status?: DeliveryStatus; beforeId?: number; limit: number }): DeliveryRow[] {
      const where = ['tenant_id = ?', 'endpoint_id = ?'];
      const args: unknown[] = [f.tenantId, f.endpointId];
      if (f.status) (where.push('status = ?'), args.push(f.status));
      if (f.beforeId) (where.push('id < ?'), args.push(f.beforeId));
      return db.prepare<unknown[], DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...args, f.limit);
    },
    attempts: (deliveryId: number) => attempts.all(deliveryId),
    /** Records one attempt and its outcome for the delivery, atomically. */
    settle: db.transaction((a: AttemptRow & { status: DeliveryStatus; next_attempt_at: string }) => {
      // The endpoint may have been deleted while the request was out: nothing left to record.
      const updated = settle.run({ id: a.delivery_id, status: a.status, next_attempt_at: a.next_attempt_at, at: a.at, response_status: a.response_status, error: a.error });
      if (updated.changes) insertAttempt.run(a);
    }),
    redeliver: (tenantId: string, endpointId: string, id: number, at: string) => redeliver.run(at, tenantId, endpointId, id).changes > 0,
    /** Drops settled deliveries (and their attempts) created before `before`. */
    prune: (before: string) => prune.run(before).changes,
    /** Drops (and counts) undelivered events older than the bound from queues that got nothing new. */
    expire: db.transaction((now: string) => {
      const oldest = new Date(Date.parse(now) - bound.queueDays * 86_400_000).toISOString();
      return withOldUndelivered.all(oldest).reduce((sum, id) => sum + trimQueue(id, now), 0);
    }),
  };
}
