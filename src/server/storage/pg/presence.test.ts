// Presence shared by instances: two pgPresence on one database, as two server instances.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../../test/helpers/eventually';
import { usePgDatabase } from '../../../../test/helpers/pg-database';
import type { Storage } from '../sqlite';
import { pgPresence } from './presence';

const open = usePgDatabase();
const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) await p.close();
});

async function instance(storage: Storage, id: string) {
  const p = pgPresence(storage, id);
  await p.start();
  started.push(p);
  return p;
}

/** Moves an instance's last heartbeat into the past, as if it had been killed `seconds` ago. */
const silence = (storage: Storage, id: string, seconds: number) =>
  sql`UPDATE bob_instances SET seen_at = now() - ${seconds} * interval '1 second' WHERE id = ${id}`.execute(storage);

const rowsOf = async (storage: Storage) => ({
  instances: (await sql<{ id: string }>`SELECT id FROM bob_instances ORDER BY id`.execute(storage)).rows.map((r) => r.id),
  presence: (await sql<{ instance_id: string; tenant_id: string; streams: number }>`SELECT instance_id, tenant_id, streams FROM presence ORDER BY 1, 2`.execute(storage)).rows,
});

describe('pgPresence', () => {
  it('tells every instance that a tenant is online while a stream of it is open on any instance', async () => {
    const { storage } = await open(['t1']);
    const a = await instance(storage, 'a');
    const b = await instance(storage, 'b');
    expect(await b.isOnline('t1')).toBe(false);
    a.opened('t1', false);
    a.opened('t1', false);
    expect(await a.isOnline('t1')).toBe(true); // its own writes, at once
    await eventually(() => b.isOnline('t1'), 5_000, 'b to see t1 online'); // once b's answer of a moment ago lapses
    a.closed('t1');
    expect(await a.isOnline('t1')).toBe(true); // one of its two streams is still open
    a.closed('t1');
    expect(await a.isOnline('t1')).toBe(false);
    await eventually(async () => !(await b.isOnline('t1')), 5_000, 'b to see t1 offline');
    // Writes keep their order: a burst that ends closed leaves nothing open.
    for (let i = 0; i < 5; i++) {
      a.opened('t1', false);
      a.closed('t1');
    }
    a.closed('t1'); // a close too many never makes a later open count for nothing
    expect(await a.isOnline('t1')).toBe(false);
    expect((await rowsOf(storage)).presence).toEqual([{ instance_id: 'a', tenant_id: 't1', streams: 0 }]);
  });

  it("counts the platform's staff for every tenant", async () => {
    const { storage } = await open(['t1']);
    const a = await instance(storage, 'a');
    const b = await instance(storage, 'b');
    a.opened('platform', true);
    expect(await a.isOnline('platform')).toBe(true);
    expect([await b.isOnline('t1'), await b.isOnline('t2')]).toEqual([true, true]);
    a.closed('platform');
    expect(await a.isOnline('t1')).toBe(false);
  });

  it('stops counting an instance 30 s after its last heartbeat, and sweeps it after 5 minutes', async () => {
    const { storage } = await open(['t1']);
    const a = await instance(storage, 'a');
    a.opened('t1', false);
    expect(await a.isOnline('t1')).toBe(true);
    await silence(storage, 'a', 25);
    expect(await (await instance(storage, 'b')).isOnline('t1')).toBe(true);
    await silence(storage, 'a', 31);
    expect(await (await instance(storage, 'c')).isOnline('t1')).toBe(false);
    await silence(storage, 'a', 301);
    await instance(storage, 'd'); // an instance sweeps as it starts (and every minute)
    expect(await rowsOf(storage)).toEqual({ instances: ['b', 'c', 'd'], presence: [] });
  });

  it('writes its streams again when it starts under the same id, and leaves nothing behind when closed', async () => {
    const { storage } = await open(['t1']);
    const killed = pgPresence(storage, 'a');
    await killed.start();
    killed.opened('t1', false);
    killed.opened('t2', false);
    expect(await killed.isOnline('t2')).toBe(true);
    // The same id again (a restart): its old rows go; streams opened before start are written by it.
    const a = pgPresence(storage, 'a');
    a.opened('t1', false);
    await a.start();
    expect((await rowsOf(storage)).presence).toEqual([{ instance_id: 'a', tenant_id: 't1', streams: 1 }]);
    await killed.close(); // stops its timers (it shares the id, so its rows go too)
    await a.close();
    expect(await rowsOf(storage)).toEqual({ instances: [], presence: [] });
    a.opened('t1', false); // after close: counted here, not written
    expect(await rowsOf(storage)).toEqual({ instances: [], presence: [] });
  });
});
