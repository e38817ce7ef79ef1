import { randomBytes } from 'node:crypto';
import type { ExpressionBuilder, Selectable } from 'kysely';
import { dialectOf, type SqlDialect } from '../../storage/dialect';
import type { Database, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../../storage/schema';
import { compiledQuery } from '../../storage/compiled';
import type { Storage } from '../../storage/sqlite';
import { LeaseLost, type Lease, type LeaseStore } from './leases';

export type EndpointRow = Selectable<WebhookEndpointsTable>;

export interface EndpointStats {
  pending: number;
  failed: number;
  waiting: number;
  last_delivery_at: string | null;
}

export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type DeliveryStatus = DeliveryRow['status'];

export type AttemptRow = Omit<Selectable<WebhookAttemptsTable>, 'id'>;

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

type Deliveries = ExpressionBuilder<Database, 'webhook_deliveries'>;

// An event's delivery not yet received: waiting in line, or the one Bob gave up on when it turned
// the endpoint off (sent again, first, when the endpoint is turned back on). Test pings never wait.
const undelivered = (eb: Deliveries) => eb.and([eb('status', 'in', ['pending', 'failed']), eb('event_id', 'is not', null)]);

const enabledFlag = (enabled: boolean) => (enabled ? 1 : 0);

export type WebhooksRepo = ReturnType<typeof createWebhooksRepo>;

// Most events have nowhere to go: one index seek says so before a payload or an id is made.
const Q = {
  anyEndpoint: compiledQuery((db) => db.selectNoFrom((eb) => eb.exists(eb.selectFrom('webhook_endpoints').select(eb.lit(1).as('one'))).as('any'))),
  anyEndpointOf: compiledQuery((db, a: { tenantId: string }) =>
    db.selectNoFrom((eb) => eb.exists(eb.selectFrom('webhook_endpoints').select(eb.lit(1).as('one')).where('tenant_id', '=', a.tenantId)).as('any')),
  ),
};

/**
 * Webhook endpoints, their delivery queues (the outbox) and the attempts made. `db` is the root
 * `Storage` or a unit of work's transaction.
 */
export function createWebhooksRepo(db: Storage, dialect: SqlDialect, bound: QueueBound = DEFAULT_QUEUE_BOUND) {
  const endpointsWithStats = () =>
    db
      .selectFrom('webhook_endpoints as e')
      .selectAll('e')
      .select((eb) => {
        const of = () => eb.selectFrom('webhook_deliveries as d').whereRef('d.endpoint_id', '=', 'e.id');
        const count = () => of().select((d) => d.fn.countAll<number>().as('n'));
        return [
          count().where('d.status', '=', 'pending').$asScalar().$notNull().as('pending'),
          count().where('d.status', '=', 'failed').$asScalar().$notNull().as('failed'),
          count()
            .where((d) => d.and([d('d.status', 'in', ['pending', 'failed']), d('d.event_id', 'is not', null)]))
            .$asScalar()
            .$notNull()
            .as('waiting'),
          of().select('d.delivered_at').where('d.status', '=', 'delivered').orderBy('d.id', 'desc').limit(1).$asScalar().as('last_delivery_at'),
        ];
      });
  const oldestKept = (now: string) => new Date(Date.parse(now) - bound.queueDays * 86_400_000).toISOString();

  // The bound: what is older than the cut-off, or behind the newest `queueLimit`, falls off and is counted.
  const trim = (endpointId: string, now: string) =>
    db
      .deleteFrom('webhook_deliveries')
      .where('endpoint_id', '=', endpointId)
      .where(undelivered)
      .where((eb) =>
        eb.or([
          eb('created_at', '<', oldestKept(now)),
          eb(
            'id',
            '<=',
            eb.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpointId).where(undelivered).orderBy('id', 'desc').limit(1).offset(bound.queueLimit),
          ),
        ]),
      );
  const headOf = (endpointId: string) =>
    db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).where('status', '=', 'pending').orderBy('id').limit(1);
  const addDropped = (endpointId: string, n: number) =>
    db
      .updateTable('webhook_endpoints')
      .set((eb) => ({ dropped: eb('dropped', '+', n) }))
      .where('id', '=', endpointId);

  /**
   * Whether an event of this type and business could call for a delivery (an endpoint exists:
   * most businesses have none). `known`: the answers already had in the same run, added to.
   */
  async function anyEndpointFor(e: Pick<OutboxEvent, 'type' | 'tenantId'>, known?: Map<string, boolean>): Promise<boolean> {
    const everyTenant = e.type === 'pricebook.published';
    const scope = everyTenant ? '' : e.tenantId;
    let any = known?.get(scope);
    if (any === undefined) {
      any = Boolean((everyTenant ? await Q.anyEndpoint.first(db, {}) : await Q.anyEndpointOf.first(db, { tenantId: e.tenantId }))?.any);
      known?.set(scope, any);
    }
    return any;
  }
  return {
    forTenant: (tenantId: string): Promise<(EndpointRow & EndpointStats)[]> =>
      endpointsWithStats().where('e.tenant_id', '=', tenantId).orderBy('e.created_at').orderBy('e.id').execute(),
    byId: (tenantId: string, id: string): Promise<(EndpointRow & EndpointStats) | undefined> =>
      endpointsWithStats().where('e.tenant_id', '=', tenantId).where('e.id', '=', id).executeTakeFirst(),
    /** For the dispatcher, which works across tenants. */
    endpoint: (id: string) => db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst(),
    count: async (tenantId: string) =>
      (await db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).n,
    insert: async (e: { id: string; tenant_id: string; url: string; description: string; events: string[]; enabled: boolean; secret: string; at: string }) => {
      await db
        .insertInto('webhook_endpoints')
        .values({
          id: e.id,
          tenant_id: e.tenant_id,
          url: e.url,
          description: e.description,
          events: JSON.stringify(e.events),
          enabled: enabledFlag(e.enabled),
          secret: e.secret,
          created_at: e.at,
          updated_at: e.at,
        })
        .execute();
    },
    /** Turned on: Bob's reason for turning it off is cleared. Turned off: since when. */
    update: async (e: { id: string; tenant_id: string; url: string; description: string; events: string[]; enabled: boolean; at: string }) => {
      await db
        .updateTable('webhook_endpoints')
        .set((eb) => ({
          url: e.url,
          description: e.description,
          events: JSON.stringify(e.events),
          enabled: enabledFlag(e.enabled),
          disabled_reason: e.enabled ? null : eb.ref('disabled_reason'),
          disabled_at: e.enabled ? null : eb.case().when('enabled', '=', 1).then(e.at).else(eb.ref('disabled_at')).end(),
          updated_at: e.at,
        }))
        .where('tenant_id', '=', e.tenant_id)
        .where('id', '=', e.id)
        .execute();
    },
    remove: async (tenantId: string, id: string) =>
      (await db.deleteFrom('webhook_endpoints').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n,
    rotateSecret: async (tenantId: string, id: string, secret: string, previousUntil: string, at: string) => {
      await db
        .updateTable('webhook_endpoints')
        .set((eb) => ({ previous_secret: eb.ref('secret'), previous_secret_expires_at: previousUntil, secret, updated_at: at }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    /** Bob turns an endpoint off (410, retries exhausted); its waiting deliveries stay for when it is turned back on. */
    disable: async (id: string, reason: string, at: string) =>
      (
        await db
          .updateTable('webhook_endpoints')
          .set({ enabled: 0, disabled_reason: reason, disabled_at: at, updated_at: at })
          .where('id', '=', id)
          .where('enabled', '=', 1)
          .executeTakeFirst()
      ).numUpdatedRows > 0n,

    /**
     * Turned on again by a person: everything not yet delivered goes out, in order, from now. The
     * delivery Bob gave up on goes again, first, and a retry that was waiting for its turn starts a
     * fresh cycle now.
     */
    resume: async (id: string, at: string) =>
      Number(
        (
          await db
            .updateTable('webhook_deliveries')
            .set({ status: 'pending', attempts: 0, next_attempt_at: at })
            .where('endpoint_id', '=', id)
            .where('event_id', 'is not', null)
            .where((eb) => eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'pending'), eb('attempts', '>', 0)])]))
            .executeTakeFirst()
        ).numUpdatedRows,
      ),

    /**
     * The outbox: queues the event for its endpoints (keeping each queue within the bound); how
     * many. One delivery per endpoint subscribed to the event's type, on or off (an endpoint that
     * is off keeps its queue for when it is turned back on). The pricebook is platform-wide, so its
     * publication reaches every tenant's subscribed endpoints. Called by the unit of work, in the
     * transaction that stores the event.
     */
    anyEndpointFor,
    async enqueue(e: OutboxEvent, hasEndpoints?: Map<string, boolean>): Promise<number> {
      // Asked for every event stored. `hasEndpoints`: answers already had for the other events of the same run.
      if (!(await anyEndpointFor(e, hasEndpoints))) return 0;
      const everyTenant = e.type === 'pricebook.published';
      const payload = JSON.stringify({ type: e.type, timestamp: e.createdAt, data: e.data });
      const msgId = newMessageId();
      const queued = await db
        .insertInto('webhook_deliveries')
        .columns(['endpoint_id', 'tenant_id', 'event_id', 'msg_id', 'type', 'payload', 'next_attempt_at', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('webhook_endpoints as e')
            .select((s) => [
              'e.id',
              'e.tenant_id',
              // Typed: PostgreSQL takes an untyped parameter in a select list for text.
              s.cast<number>(s.val(e.id), 'bigint').as('event_id'),
              s.cast<string>(s.val(msgId), 'text').as('msg_id'),
              s.cast<string>(s.val(e.type), 'text').as('type'),
              s.cast<string>(s.val(payload), 'text').as('payload'),
              s.cast<string>(s.val(e.createdAt), 'text').as('next_attempt_at'),
              s.cast<string>(s.val(e.createdAt), 'text').as('created_at'),
            ])
            .$if(!everyTenant, (q) => q.where('e.tenant_id', '=', e.tenantId))
            .where((w) => dialect.jsonArrayHas(w.ref('e.events'), e.type)),
        )
        .returning('endpoint_id')
        .execute();
      for (const q of queued) {
        const n = Number((await trim(q.endpoint_id, e.createdAt).executeTakeFirst()).numDeletedRows);
        if (n) await addDropped(q.endpoint_id, n).execute();
      }
      // The other instances' dispatchers hear of it when the transaction commits.
      if (queued.length) await dialectOf(db).announce(db, 'bob_webhooks', '');
      return queued.length;
    },
    /** A delivery outside the event outbox (a test ping); `settle` records how it went. */
    insertDelivery: (d: { endpointId: string; tenantId: string; msgId: string; type: string; payload: string; at: string }) =>
      db
        .insertInto('webhook_deliveries')
        .values({ endpoint_id: d.endpointId, tenant_id: d.tenantId, event_id: null, msg_id: d.msgId, type: d.type, payload: d.payload, next_attempt_at: d.at, created_at: d.at })
        .returningAll()
        .executeTakeFirstOrThrow(),
    /**
     * Heads of the enabled endpoints' queues, except endpoints in `skip` (already being attempted):
     * the oldest waiting delivery of each, the only one that may be attempted (deliveries go out
     * in order per endpoint). One index seek per endpoint, however long the queue.
     */
    async heads(skip: { has(endpointId: string): boolean } = new Set()): Promise<DeliveryRow[]> {
      const ids = (await db.selectFrom('webhook_endpoints').select('id').where('enabled', '=', 1).execute()).map((r) => r.id).filter((id) => !skip.has(id));
      const heads: DeliveryRow[] = [];
      for (const id of ids) {
        const head = await headOf(id).executeTakeFirst();
        if (head) heads.push(head);
      }
      return heads;
    },
    /** The head of one endpoint's queue (see `heads`). */
    head: (endpointId: string): Promise<DeliveryRow | undefined> => headOf(endpointId).executeTakeFirst(),
    delivery: (tenantId: string, endpointId: string, id: number) =>
      db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId).where('endpoint_id', '=', endpointId).where('id', '=', id).executeTakeFirst(),
    deliveries: (f: { tenantId: string; endpointId: string; status?: DeliveryStatus; beforeId?: number; limit: number }): Promise<DeliveryRow[]> =>
      db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('tenant_id', '=', f.tenantId)
        .where('endpoint_id', '=', f.endpointId)
        .$if(!!f.status, (q) => q.where('status', '=', f.status!))
        .$if(!!f.beforeId, (q) => q.where('id', '<', f.beforeId!))
        .orderBy('id', 'desc')
        .limit(f.limit)
        .execute(),
    attempts: (deliveryId: number) => db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id').execute(),
    /**
     * Records one attempt and its outcome for the delivery (in a unit of work: both or neither).
     * `lease`: the dispatcher's lease on the endpoint, checked first in the same transaction; lost,
     * nothing is recorded (`LeaseLost`).
     */
    async settle(a: AttemptRow & { status: DeliveryStatus; next_attempt_at: string }, lease?: { store: Pick<LeaseStore, 'holds'>; lease: Lease }): Promise<void> {
      if (lease && !(await lease.store.holds(db, lease.lease))) throw new LeaseLost(lease.lease);
      const updated = await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: a.status,
          attempts: eb('attempts', '+', 1),
          next_attempt_at: a.next_attempt_at,
          last_attempt_at: a.at,
          last_status: a.response_status,
          last_error: a.error,
          delivered_at: a.status === 'delivered' ? a.at : eb.ref('delivered_at'),
        }))
        .where('id', '=', a.delivery_id)
        .executeTakeFirst();
      // The endpoint may have been deleted while the request was out: nothing left to record.
      if (!updated.numUpdatedRows) return;
      await db
        .insertInto('webhook_attempts')
        .values({ delivery_id: a.delivery_id, at: a.at, duration_ms: a.duration_ms, url: a.url, response_status: a.response_status, response_body: a.response_body, error: a.error })
        .execute();
    },
    redeliver: async (tenantId: string, endpointId: string, id: number, at: string) =>
      (
        await db
          .updateTable('webhook_deliveries')
          .set({ status: 'pending', attempts: 0, next_attempt_at: at })
          .where('tenant_id', '=', tenantId)
          .where('endpoint_id', '=', endpointId)
          .where('id', '=', id)
          .executeTakeFirst()
      ).numUpdatedRows > 0n,
    /**
     * Erasure (issue #22): every delivery of these events (any endpoint, any status) gets the
     * body `redact` makes of its stored one. The dispatcher signs the body it sends at send time,
     * so a redelivery sends the redacted body, signed. How many were changed.
     */
    async redactDeliveries(eventIds: readonly number[], redact: (payload: string) => string): Promise<number> {
      if (!eventIds.length) return 0;
      const rows = await db.selectFrom('webhook_deliveries').select(['id', 'payload']).where('event_id', 'in', [...eventIds]).execute();
      for (const r of rows) await db.updateTable('webhook_deliveries').set({ payload: redact(r.payload) }).where('id', '=', r.id).execute();
      return rows.length;
    },
    /**
     * Drops settled deliveries (and their attempts) created before `before`: the log of what was
     * delivered (and of test pings); undelivered events leave through the bound.
     */
    prune: async (before: string) =>
      Number(
        (
          await db
            .deleteFrom('webhook_deliveries')
            .where((eb) => eb.or([eb('status', '=', 'delivered'), eb.and([eb('status', '=', 'failed'), eb('event_id', 'is', null)])]))
            .where('created_at', '<', before)
            .executeTakeFirst()
        ).numDeletedRows,
      ),
    /** Drops (and counts) undelivered events older than the bound from queues that got nothing new (in a unit of work). */
    async expire(now: string): Promise<number> {
      const ids = await db.selectFrom('webhook_deliveries').select('endpoint_id').distinct().where(undelivered).where('created_at', '<', oldestKept(now)).execute();
      let dropped = 0;
      for (const { endpoint_id } of ids) {
        const n = Number((await trim(endpoint_id, now).executeTakeFirst()).numDeletedRows);
        if (n) await addDropped(endpoint_id, n).execute();
        dropped += n;
      }
      return dropped;
    },
  };
}
