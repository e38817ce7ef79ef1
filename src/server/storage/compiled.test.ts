import { beforeEach, describe, expect, it } from 'vitest';
import { AT, useTempDatabase } from '../../../test/helpers/temp-db';
import { compiledQuery } from './compiled';
import type { Storage } from './sqlite';

const openDatabase = useTempDatabase();
let storage: Storage;
beforeEach(async () => {
  ({ storage } = await openDatabase(['t1', 't2']));
});

const insert = compiledQuery((q, a: { id: string; tenantId: string; question: string }) =>
  q.insertInto('faq_entries').values({ id: a.id, tenant_id: a.tenantId, question: a.question, answer: 'fixed answer', created_at: AT, updated_at: AT }),
);
const newest = compiledQuery((q, a: { tenantId: string; n: number }) =>
  q.selectFrom('faq_entries').select(['id', 'question', 'answer']).where('tenant_id', '=', a.tenantId).orderBy('id', 'desc').limit(a.n),
);

describe('compiledQuery', () => {
  it('binds each call’s arguments where the query takes them, constants of the query staying as built', async () => {
    for (const [id, tenantId] of [['a', 't1'], ['b', 't1'], ['c', 't2'], ['d', 't1']] as const) await insert.execute(storage, { id, tenantId, question: `q-${id}` });
    expect(await newest.rows(storage, { tenantId: 't1', n: 2 })).toEqual([
      { id: 'd', question: 'q-d', answer: 'fixed answer' },
      { id: 'b', question: 'q-b', answer: 'fixed answer' },
    ]);
    expect(await newest.rows(storage, { tenantId: 't2', n: 5 })).toEqual([{ id: 'c', question: 'q-c', answer: 'fixed answer' }]);
    expect(await newest.first(storage, { tenantId: 'nobody', n: 5 })).toBeUndefined();
    expect(newest.sql(storage)).toMatch(/where "tenant_id" = \? order by "id" desc limit \?/);
  });

  it('runs inside a transaction it is given', async () => {
    await storage
      .transaction()
      .execute(async (trx) => {
        await insert.execute(trx, { id: 'x', tenantId: 't1', question: 'in a transaction' });
        expect(await newest.rows(trx, { tenantId: 't1', n: 1 })).toHaveLength(1);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await newest.rows(storage, { tenantId: 't1', n: 9 })).toEqual([]);
  });

  it('runs at once on the root while no transaction is open, and otherwise waits: a root read never sees uncommitted rows', async () => {
    let outside: unknown[] | undefined;
    await storage
      .transaction()
      .execute(async (trx) => {
        await insert.execute(trx, { id: 'x', tenantId: 't1', question: 'uncommitted' });
        void newest.rows(storage, { tenantId: 't1', n: 9 }).then((rows) => (outside = rows));
        await new Promise((r) => setImmediate(r));
        expect(outside).toBeUndefined(); // waiting for the transaction
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(outside).toEqual([]);
    // No transaction open: answered in the same turn (no connection lock to wait for).
    let now: unknown[] | undefined;
    void newest.rows(storage, { tenantId: 't1', n: 9 }).then((rows) => (now = rows));
    await Promise.resolve();
    await Promise.resolve();
    expect(now).toEqual([]);
  });

  it('refuses a query that computes with an argument or leaves one out', async () => {
    const computed = compiledQuery((q, a: { tenantId: string }) => q.selectFrom('faq_entries').selectAll().where('tenant_id', '=', a.tenantId.toUpperCase()));
    await expect(computed.rows(storage, { tenantId: 't1' })).rejects.toThrow(/tenantId/);
    const prefixed = compiledQuery((q, a: { question: string }) => q.selectFrom('faq_entries').selectAll().where('question', 'like', `${a.question}%`));
    await expect(prefixed.rows(storage, { question: 'q' })).rejects.toThrow(/in an expression/);
  });
});
