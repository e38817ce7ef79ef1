// Webhook endpoint leases on PostgreSQL between two instances (two pools on one database), and the
// webhooks repository's outbox path (enqueue, heads, settle under a lease) on PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import { usePgDatabase } from '../../../../test/helpers/pg-database';
import { LeaseLost, type LeaseStore } from '../../modules/webhooks/leases';
import { createWebhooksRepo } from '../../modules/webhooks/webhooks.repo';
import { dialectOf } from '../dialect';
import type { Storage } from '../sqlite';
import { pgLeases } from './leases';
import { postgresStorage, type PostgresStorage } from './postgres';

const open = usePgDatabase();
const AT = '2026-11-01T00:00:00.000Z';
const NOW = new Date('2026-11-01T00:10:00.000Z');
const LATER = '2026-11-01T01:00:00.000Z';

const extra: PostgresStorage[] = [];
afterEach(async () => {
  for (const db of extra.splice(0)) await db.close();
});

/** The database and a second instance's pool on it. */
async function twoInstances() {
  const a = await open(['t1']);
  const b = postgresStorage(a.url, { size: 5, name: 'bob-b' });
  extra.push(b);
  return { a, b, repo: createWebhooksRepo(a.storage, dialectOf(a.storage)) };
}

async function endpoint(storage: Storage, id: string, opts: { enabled?: boolean; events?: string[] } = {}) {
  await createWebhooksRepo(storage, dialectOf(storage)).insert({
    id,
    tenant_id: 't1',
    url: `http://127.0.0.1:1/${id}`,
    description: '',
    events: opts.events ?? ['persona.updated'],
    enabled: opts.enabled ?? true,
    secret: 's',
    at: AT,
  });
}

async function delivery(storage: Storage, endpointId: string, nextAttemptAt = AT) {
  return createWebhooksRepo(storage, dialectOf(storage)).insertDelivery({ endpointId, tenantId: 't1', msgId: `msg_${endpointId}`, type: 'persona.updated', payload: '{}', at: nextAttemptAt });
}

const ids = (leases: { endpointId: string }[]) => leases.map((l) => l.endpointId).sort();

/** A's fencing check, in a transaction as settle's run makes it. */
const holds = (storage: Storage, store: LeaseStore, lease: { endpointId: string; token: number }) => storage.transaction().execute((tx) => store.holds(tx, lease));

describe('pgLeases', () => {
  it('never gives one endpoint to two instances claiming at once', async () => {
    const { a, b } = await twoInstances();
    const names = Array.from({ length: 24 }, (_, i) => `e${String(i).padStart(2, '0')}`);
    for (const id of names) {
      await endpoint(a.storage, id);
      await delivery(a.storage, id);
    }
    const la = pgLeases(a.storage, 'a', 60_000);
    const lb = pgLeases(b.storage, 'b', 60_000);
    const claimed: string[] = [];
    // Rounds of small concurrent claims until everything is leased.
    for (let round = 0; round < 20 && claimed.length < names.length; round++) {
      const [x, y, z, w] = await Promise.all([la.claim(3, NOW), lb.claim(3, NOW), la.claim(2, NOW), lb.claim(4, NOW)]);
      claimed.push(...ids([...x, ...y, ...z, ...w]));
    }
    expect(claimed.sort()).toEqual(names);
    expect(await la.claim(50, NOW)).toEqual([]);
    expect(await lb.claim(50, NOW)).toEqual([]);
  });

  it('claims only enabled endpoints whose head pending delivery is due', async () => {
    const { a } = await twoInstances();
    await endpoint(a.storage, 'due');
    await delivery(a.storage, 'due');
    await endpoint(a.storage, 'retry-later'); // its head waits for a retry; a due delivery behind it does not jump the queue
    await delivery(a.storage, 'retry-later', LATER);
    await delivery(a.storage, 'retry-later');
    await endpoint(a.storage, 'off', { enabled: false });
    await delivery(a.storage, 'off');
    await endpoint(a.storage, 'empty');
    const la = pgLeases(a.storage, 'a', 60_000);
    expect(ids(await la.claim(10, NOW))).toEqual(['due']);
    expect(ids(await la.claim(10, new Date(LATER)))).toEqual(['retry-later']);
  });

  it('lets the other instance claim an endpoint once it is released', async () => {
    const { a, b } = await twoInstances();
    await endpoint(a.storage, 'e1');
    await delivery(a.storage, 'e1');
    const la = pgLeases(a.storage, 'a', 60_000);
    const lb = pgLeases(b.storage, 'b', 60_000);
    const [lease] = await la.claim(1, NOW);
    expect(lease).toMatchObject({ endpointId: 'e1' });
    expect(await lb.claim(1, NOW)).toEqual([]);
    await la.release(lease!);
    const [taken] = await lb.claim(1, NOW);
    expect(taken).toMatchObject({ endpointId: 'e1' });
    expect(taken!.token).toBeGreaterThan(lease!.token);
    // A's stale release leaves b's lease alone.
    await la.release(lease!);
    expect(await la.claim(1, NOW)).toEqual([]);
  });

  it('hands an expired lease to the other instance, and the first can no longer record anything', async () => {
    const { a, b, repo } = await twoInstances();
    await endpoint(a.storage, 'e1');
    const d = await delivery(a.storage, 'e1');
    const la = pgLeases(a.storage, 'a', 300); // a is killed mid-attempt, or stalls past its lease
    const lb = pgLeases(b.storage, 'b', 60_000);
    const [stale] = await la.claim(1, NOW);
    expect(await lb.claim(1, NOW)).toEqual([]);
    await new Promise((r) => setTimeout(r, 400));
    const [taken] = await lb.claim(1, NOW);
    expect(taken).toMatchObject({ endpointId: 'e1' });

    // A's outcome arrives late: its settle's run refuses to record it.
    const settle = a.storage.transaction().execute((tx) =>
      createWebhooksRepo(tx, dialectOf(tx)).settle(
        { delivery_id: d.id, at: NOW.toISOString(), duration_ms: 5, url: 'http://127.0.0.1:1/e1', response_status: 200, response_body: '', error: null, status: 'delivered', next_attempt_at: NOW.toISOString() },
        { store: la, lease: stale! },
      ),
    );
    await expect(settle).rejects.toBeInstanceOf(LeaseLost);
    expect(await repo.head('e1')).toMatchObject({ id: d.id, status: 'pending', attempts: 0 });
    expect(await repo.attempts(d.id)).toEqual([]);
    expect(await holds(a.storage, la, stale!)).toBe(false);
    // B still holds it: its check gives the lease up with its run.
    expect(await holds(b.storage, lb, taken!)).toBe(true);
    expect(await holds(b.storage, lb, taken!)).toBe(false);
    expect(ids(await la.claim(1, NOW))).toEqual(['e1']);
  });
});

describe('the webhooks repository on PostgreSQL', () => {
  it('queues an event for the subscribed endpoints, announces it on commit, and settles the head under a lease', async () => {
    const { a, repo } = await twoInstances();
    await endpoint(a.storage, 'e1');
    await endpoint(a.storage, 'e2', { events: ['persona.updated', 'chat.message'] });
    await endpoint(a.storage, 'other', { events: ['chat.message'] });

    const listener = a.client();
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.channel));
    await listener.query('LISTEN bob_webhooks');
    try {
      const event = { id: 41, tenantId: 't1', type: 'persona.updated', createdAt: AT, data: { name: 'Bob' } };
      const queued = await a.storage.transaction().execute(async (tx) => {
        const r = createWebhooksRepo(tx, dialectOf(tx));
        const n = await r.enqueue(event);
        await r.enqueue({ ...event, id: 42, type: 'pricebook.published' }); // nobody subscribed: nothing queued
        expect(heard).toEqual([]); // not before the commit
        return n;
      });
      expect(queued).toBe(2);
      await expect.poll(() => heard).toEqual(['bob_webhooks']);
    } finally {
      await listener.end();
    }

    const heads = await repo.heads();
    expect(heads.map((h) => [h.endpoint_id, h.event_id, h.type, h.next_attempt_at, h.status]).sort()).toEqual([
      ['e1', 41, 'persona.updated', AT, 'pending'],
      ['e2', 41, 'persona.updated', AT, 'pending'],
    ]);
    expect(JSON.parse(heads[0]!.payload)).toEqual({ type: 'persona.updated', timestamp: AT, data: { name: 'Bob' } });

    const leases = pgLeases(a.storage, 'a', 60_000);
    const [lease] = await leases.claim(1, NOW);
    const head = (await repo.head(lease!.endpointId))!;
    await a.storage.transaction().execute((tx) =>
      createWebhooksRepo(tx, dialectOf(tx)).settle(
        { delivery_id: head.id, at: NOW.toISOString(), duration_ms: 12, url: 'http://127.0.0.1:1/x', response_status: 200, response_body: 'ok', error: null, status: 'delivered', next_attempt_at: NOW.toISOString() },
        { store: leases, lease: lease! },
      ),
    );
    expect(await repo.head(lease!.endpointId)).toBeUndefined();
    expect(await repo.attempts(head.id)).toEqual([expect.objectContaining({ delivery_id: head.id, response_status: 200, duration_ms: 12 })]);
    expect(await repo.byId('t1', lease!.endpointId)).toMatchObject({ pending: 0, waiting: 0, failed: 0, last_delivery_at: NOW.toISOString() });
    // The settle gave the lease up: the endpoint is free again (and has nothing due).
    expect(await leases.claim(5, NOW)).toEqual([expect.objectContaining({ endpointId: lease!.endpointId === 'e1' ? 'e2' : 'e1' })]);
  });
  it('keeps a queue within its bound, turns an endpoint off and on, and prunes, on PostgreSQL', async () => {
    const { a } = await twoInstances();
    const repo = createWebhooksRepo(a.storage, dialectOf(a.storage), { queueLimit: 2, queueDays: 30 });
    await endpoint(a.storage, 'e1');
    for (let id = 1; id <= 4; id++) {
      await a.storage.transaction().execute((tx) =>
        createWebhooksRepo(tx, dialectOf(tx), { queueLimit: 2, queueDays: 30 }).enqueue({ id, tenantId: 't1', type: 'persona.updated', createdAt: AT, data: {} }),
      );
    }
    expect(await repo.byId('t1', 'e1')).toMatchObject({ pending: 2, waiting: 2, dropped: 2 });
    expect(await repo.disable('e1', 'HTTP 410', NOW.toISOString())).toBe(true);
    expect(await repo.disable('e1', 'HTTP 410', NOW.toISOString())).toBe(false);
    expect(await repo.heads()).toEqual([]);
    await repo.update({ id: 'e1', tenant_id: 't1', url: 'http://127.0.0.1:1/y', description: 'd', events: ['persona.updated'], enabled: true, at: NOW.toISOString() });
    expect(await repo.byId('t1', 'e1')).toMatchObject({ enabled: 1, disabled_reason: null, url: 'http://127.0.0.1:1/y' });
    expect(await repo.resume('e1', NOW.toISOString())).toBe(0);
    expect((await repo.heads()).map((h) => h.event_id)).toEqual([3]);
    expect(await repo.expire(LATER)).toBe(0);
    expect(await repo.prune(LATER)).toBe(0);
    expect(await repo.count('t1')).toBe(1);
    expect(await repo.remove('t1', 'e1')).toBe(true);
  });
});
