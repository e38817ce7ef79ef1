import { describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { createAuditRepo } from '../modules/audit/audit.repo';
import type { BobEvent } from '../../shared/events';
import { EventBus } from '../modules/events/events.bus';
import { createEventsRepo } from '../modules/events/events.repo';
import { sqliteRowCount } from '../../../test/helpers/raw-sql';
import { useTempDatabase } from '../../../test/helpers/temp-db';
import { sqliteDialect } from './dialect';
import type { Storage } from './sqlite';
import { SqliteUnitOfWork, UnitOfWorkError } from './unit-of-work';

const openDatabase = useTempDatabase();
let db: Db;

const AT = '2026-01-01T00:00:00.000Z';
/** An event's payload that says which run emitted it. */
const used = (n: number) => ({ percent: 80, used: n, allowance: 100, month: '2026-01' });

/** A repository as a converted module writes one: async, over whatever Kysely it is given. */
const faqRepo = (q: Storage) => ({
  add: (id: string) => q.insertInto('faq_entries').values({ id, tenant_id: 't1', question: id, answer: id, created_at: AT, updated_at: AT }).execute(),
  ids: async () => (await q.selectFrom('faq_entries').select('id').orderBy('id').execute()).map((r) => r.id),
});

async function setup() {
  const opened = await openDatabase();
  db = opened.db;
  const storage = opened.storage;
  // What the run log's writer saw: each event as stored, and whether a transaction was open.
  const logged: { id: number; inTransaction: boolean }[] = [];
  const bus = new EventBus();
  const published: { event: BobEvent; inTransaction: boolean; stored: number }[] = [];
  bus.subscribe((event) => published.push({ event, inTransaction: db.inTransaction, stored: storedEvents() }));
  const audit = createAuditRepo(storage, sqliteDialect, () => new Date(AT));
  const uow = new SqliteUnitOfWork({
    storage,
    bus,
    now: () => new Date(AT),
    repos: (q) => ({ faq: faqRepo(q), events: createEventsRepo(q), auditLog: createAuditRepo(q, sqliteDialect, () => new Date(AT)) }),
    writeLog: async (tx, log) => {
      await tx.auditLog.append(log.audit);
      const stored = await tx.events.append(log.events);
      for (const e of stored) logged.push({ id: e.id, inTransaction: db.inTransaction });
      return stored;
    },
  });
  return { uow, faq: faqRepo(storage), audit, published, logged };
}
const storedEvents = () => sqliteRowCount(db, 'events');
const auditActions = async (audit: ReturnType<typeof createAuditRepo>) => (await audit.list({ tenantId: 't1', limit: 100 })).map((e) => e.action).sort();
const entry = { tenantId: 't1', actorId: null, actorEmail: null, action: 'faq.created', targetType: 'faq', targetId: 'a', before: null, after: null, ip: null };

describe('SqliteUnitOfWork', () => {
  it('commits the writes with the run\'s audit entries and events, and publishes the events only after the commit', async () => {
    const { uow, faq, audit, published, logged } = await setup();
    const value = await uow.run(async (tx) => {
      await tx.faq.add('a');
      tx.audit(entry);
      tx.emit('t1', 'credits.threshold', used(1));
      expect(published).toHaveLength(0);
      return 42;
    });
    expect(value).toBe(42);
    expect(await faq.ids()).toEqual(['a']);
    expect(await auditActions(audit)).toEqual(['faq.created']);
    expect(logged).toEqual([{ id: published[0]!.event.id, inTransaction: true }]); // the log (and the outbox) is written with the change
    expect(published.map((p) => [p.event.data, p.inTransaction, p.stored])).toEqual([[used(1), false, 1]]);
  });

  it('rolls back a failing run, its audit entries and events included, and publishes nothing', async () => {
    const { uow, faq, audit, published } = await setup();
    await expect(
      uow.run(async (tx) => {
        await tx.faq.add('a');
        tx.audit(entry);
        tx.emit('t1', 'credits.threshold', used(1));
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await faq.ids()).toEqual([]);
    expect(await auditActions(audit)).toEqual([]);
    expect(storedEvents()).toBe(0);
    expect(published).toHaveLength(0);
  });

  it('serializes concurrent runs: one run\'s awaits never let another run\'s statements into its transaction', async () => {
    const { uow, faq } = await setup();
    const steps: string[] = [];
    const a = uow.run(async (tx) => {
      await tx.faq.add('a1');
      steps.push(`a sees ${(await tx.faq.ids()).join(',')}`);
      await tx.faq.add('a2');
      steps.push(`a sees ${(await tx.faq.ids()).join(',')}`);
      throw new Error('a fails');
    });
    const b = uow.run(async (tx) => {
      steps.push(`b sees ${(await tx.faq.ids()).join(',') || 'nothing'}`);
      await tx.faq.add('b1');
      steps.push(`b sees ${(await tx.faq.ids()).join(',')}`);
    });
    await expect(a).rejects.toThrow('a fails');
    await b;
    expect(steps).toEqual(['a sees a1', 'a sees a1,a2', 'b sees nothing', 'b sees b1']);
    expect(await faq.ids()).toEqual(['b1']);
  });

  it('reads outside a unit of work wait for its transaction and see only what it committed', async () => {
    const { uow, faq } = await setup();
    let seenOutside: string[] | undefined;
    const run = uow.run(async (tx) => {
      await tx.faq.add('a');
      void faq.ids().then((ids) => (seenOutside = ids));
      await tx.faq.add('b');
      expect(seenOutside).toBeUndefined();
      throw new Error('rolled back');
    });
    await expect(run).rejects.toThrow('rolled back');
    await new Promise((r) => setImmediate(r));
    expect(seenOutside).toEqual([]);
  });

  it('commits the runs of one turn together; a failing run rolls back alone and every promise settles after the commit', async () => {
    const { uow, faq, published } = await setup();
    const settled: { n: number; inTransaction: boolean; ids: string[] }[] = [];
    const after = (n: number) => async () => settled.push({ n, inTransaction: db.inTransaction, ids: await faq.ids() });
    const runs = [1, 2, 3].map((n) =>
      uow.run(async (tx) => {
        await tx.faq.add(`r${n}`);
        tx.emit('t1', 'credits.threshold', used(n));
        if (n === 2) throw new Error('two fails');
        return n;
      }),
    );
    const watched = runs.map((r, i) => r.then(after(i + 1), after(i + 1)));
    await expect(runs[1]).rejects.toThrow('two fails');
    expect(await runs[0]).toBe(1);
    expect(await runs[2]).toBe(3);
    await Promise.all(watched);
    // Even the first run learns of its success only once the third's write is committed too.
    expect(settled).toEqual([1, 2, 3].map((n) => ({ n, inTransaction: false, ids: ['r1', 'r3'] })));
    expect(published.map((p) => p.event.data)).toEqual([used(1), used(3)]);
    expect(storedEvents()).toBe(2);
  });

  it('refuses a run that awaits anything but its storage, and still commits the others', async () => {
    const { uow, faq, published } = await setup();
    const slow = uow.run(async (tx) => {
      await tx.faq.add('slow');
      tx.emit('t1', 'credits.threshold', used(1));
      await new Promise((r) => setTimeout(r, 5));
    });
    const next = uow.run(async (tx) => tx.faq.add('next'));
    await expect(slow).rejects.toBeInstanceOf(UnitOfWorkError);
    await next;
    expect(await faq.ids()).toEqual(['next']);
    expect(published).toHaveLength(0);
  });
});
