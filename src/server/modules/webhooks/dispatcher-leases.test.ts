// Two dispatchers (two instances, each with its own pool) on one PostgreSQL database and a real
// receiver: one attempt at a time per endpoint, in order, and an endpoint whose instance stalls
// past its lease taken over by the other.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { usePgDatabase } from '../../../../test/helpers/pg-database';
import { systemClock } from '../../clock';
import { createLogger } from '../../logger';
import { dialectOf } from '../../storage/dialect';
import { pgLeases } from '../../storage/pg/leases';
import { postgresStorage } from '../../storage/pg/postgres';
import type { Storage } from '../../storage/sqlite';
import type { UnitOfWork } from '../../storage/unit-of-work';
import { WebhookDispatcher } from './webhooks.dispatcher';
import { createWebhooksRepo, type WebhooksRepo } from './webhooks.repo';

const open = usePgDatabase();
const AT = '2026-11-01T00:00:00.000Z';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** The dispatcher's runs as one PostgreSQL transaction each (what it needs of a unit of work). */
const uowOver = (storage: Storage): UnitOfWork<{ webhooks: WebhooksRepo }> => ({
  run: (fn) =>
    storage.transaction().execute(async (tx) =>
      fn({
        webhooks: createWebhooksRepo(tx, dialectOf(tx)),
        emit: () => {
          throw new Error('the dispatcher emits nothing');
        },
        audit: () => {
          throw new Error('the dispatcher audits nothing');
        },
      }),
    ),
});

/** A receiver that answers after `delayMs`, or never for the requests `hang` picks; it counts what is in flight. */
async function receiver(opts: { delayMs: number; hang?: (n: number) => boolean }) {
  const got: { id: string; n: number }[] = [];
  const hanging: http.ServerResponse[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { n: number } }).data.n;
      got.push({ id: String(req.headers['webhook-id']), n });
      if (opts.hang?.(got.length)) return void hanging.push(res);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(204).end();
      }, opts.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    maxInFlight: () => maxInFlight,
    /** The hanging requests are answered now (late). */
    answerHanging: () => {
      for (const res of hanging.splice(0)) res.writeHead(204).end();
    },
  };
}

async function setUp(count: number, url: string) {
  const db = await open(['t1']);
  const other = postgresStorage(db.url, { size: 5, name: 'bob-b' });
  cleanup.push(() => other.close());
  const repo = createWebhooksRepo(db.storage, dialectOf(db.storage));
  await repo.insert({ id: 'e1', tenant_id: 't1', url, description: '', events: ['persona.updated'], enabled: true, secret: 'whsec_' + Buffer.from('k'.repeat(32)).toString('base64'), at: AT });
  for (let n = 1; n <= count; n++) {
    await db.storage.transaction().execute((tx) => createWebhooksRepo(tx, dialectOf(tx)).enqueue({ id: n, tenantId: 't1', type: 'persona.updated', createdAt: AT, data: { n } }));
  }
  return { db, other, repo };
}

function dispatcher(storage: Storage, instanceId: string, o: { leaseMs: number; timeoutMs: number; pollMs: number; log?: string[] }) {
  const repo = createWebhooksRepo(storage, dialectOf(storage));
  const d = new WebhookDispatcher({
    repo,
    uow: uowOver(storage),
    policy: { allowPrivate: true, retryScheduleMs: [50], timeoutMs: o.timeoutMs },
    clock: systemClock,
    logger: createLogger('warn', { write: (line: string) => o.log?.push(line) }),
    leases: pgLeases(storage, instanceId, o.leaseMs),
    pollMs: o.pollMs,
  });
  cleanup.push(() => d.stop());
  return d;
}

const until = async (what: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

it('two instances deliver one endpoint queue in order, one attempt at a time, each delivery once', async () => {
  const rx = await receiver({ delayMs: 15 });
  const { db, other, repo } = await setUp(20, rx.url);
  const a = dispatcher(db.storage, 'a', { leaseMs: 30_000, timeoutMs: 5000, pollMs: 20 });
  const b = dispatcher(other.storage, 'b', { leaseMs: 30_000, timeoutMs: 5000, pollMs: 20 });
  a.wake();
  b.wake();
  await until(async () => (await repo.byId('t1', 'e1'))?.pending === 0, 15_000);
  expect(rx.got.map((g) => g.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(new Set(rx.got.map((g) => g.id)).size).toBe(20);
  expect(rx.maxInFlight()).toBe(1);
});

it('takes over the endpoint of an instance stalled past its lease; the stalled one records nothing', async () => {
  const rx = await receiver({ delayMs: 1, hang: (n) => n === 1 });
  const { db, other, repo } = await setUp(3, rx.url);
  const log: string[] = [];
  // A's attempt outlives its lease (as if it were killed mid-delivery): nothing renews it.
  const a = dispatcher(db.storage, 'a', { leaseMs: 300, timeoutMs: 10_000, pollMs: 60_000, log });
  a.wake();
  await until(() => rx.got.length === 1, 5000);
  const b = dispatcher(other.storage, 'b', { leaseMs: 30_000, timeoutMs: 5000, pollMs: 50 });
  b.wake();
  await new Promise((r) => setTimeout(r, 150));
  expect(rx.got).toHaveLength(1); // the lease is still live: b waits

  await until(async () => (await repo.byId('t1', 'e1'))?.pending === 0, 5000);
  expect(rx.got.map((g) => g.n)).toEqual([1, 1, 2, 3]);
  expect(rx.got[1]!.id).toBe(rx.got[0]!.id); // the same webhook-id: the receiver can de-duplicate

  rx.answerHanging(); // a hears back at last: its lease is gone, so it records nothing
  await until(() => log.some((l) => l.includes('its lease ran out')), 5000);
  const first = (await repo.deliveries({ tenantId: 't1', endpointId: 'e1', limit: 10 })).find((d) => d.event_id === 1)!;
  expect(first).toMatchObject({ status: 'delivered', attempts: 1 });
  expect(await repo.attempts(first.id)).toHaveLength(1);
});
