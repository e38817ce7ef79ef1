// The pool's value mapping: PostgreSQL's rows read as SQLite's (flags 0/1, JSON as text, int8 as numbers).
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { usePgDatabase } from '../../../../test/helpers/pg-database';

const open = usePgDatabase();

describe('postgresStorage', () => {
  it('reads booleans as 0/1, jsonb as text and bigint identities and counts as numbers; writes 0/1 and JSON text', async () => {
    const { storage } = await open(['t1']);
    const at = '2026-11-01T00:00:00.000Z';
    await storage
      .insertInto('webhook_endpoints')
      .values({ id: 'e1', tenant_id: 't1', url: 'http://127.0.0.1:1/x', secret: 's', events: JSON.stringify(['chat.message']), enabled: 0, created_at: at, updated_at: at })
      .execute();
    const e = await storage.selectFrom('webhook_endpoints').select(['enabled', 'events']).where('id', '=', 'e1').executeTakeFirstOrThrow();
    expect(e).toEqual({ enabled: 0, events: '["chat.message"]' });
    const { count } = await storage.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(count).toBe(1);
    const stamp = await sql<{ s: number }>`SELECT sum((xmin::text)::bigint) AS s FROM webhook_endpoints`.execute(storage);
    expect(typeof stamp.rows[0]!.s).toBe('number');
  });
});
