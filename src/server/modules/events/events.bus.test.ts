import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import type { BobEvent } from '../../../shared/events';
import { EventBus } from './events.bus';

let db: Db;
let dir: string;
afterEach(() => {
  closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

function setup() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-bus-'));
  db = openDatabase(dir);
  migrate(db);
  db.exec(`INSERT INTO tenants (id, slug, name, plan_id, is_platform, settings, created_at, updated_at) VALUES ('t1', 't1', 'T', 'pro', 0, '{}', '2026-01-01', '2026-01-01')`);
  const bus = new EventBus(db, () => new Date());
  const seen: BobEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  return { bus, seen };
}
// A payload that tells the calls apart: `used` is the call's number.
const credits = (n: number) => ({ percent: 80, used: n, allowance: 100, month: '2026-11' });
const numbers = (seen: BobEvent[]) => seen.map((e) => (e.type === 'credits.threshold' ? e.data.used : null));
const count = () => db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;

describe('EventBus.batched (group commit)', () => {
  it('runs the calls of one tick in one transaction, in order, and publishes only after the commit', async () => {
    const { bus, seen } = setup();
    const order: number[] = [];
    const calls = [1, 2, 3].map((n) =>
      bus.batched((emit) => {
        order.push(n);
        emit('t1', 'credits.threshold', credits(n));
        // Not yet announced: the shared transaction has not committed.
        expect(seen).toHaveLength(0);
        return n * 10;
      }),
    );
    expect(count()).toBe(0); // nothing runs before the next tick
    expect(await Promise.all(calls)).toEqual([10, 20, 30]);
    expect(order).toEqual([1, 2, 3]);
    expect(numbers(seen)).toEqual([1, 2, 3]);
    expect(count()).toBe(3);
  });

  it('rolls back a failing call alone; the others commit', async () => {
    const { bus, seen } = setup();
    const ok = bus.batched((emit) => emit('t1', 'credits.threshold', credits(1)));
    const bad = bus.batched((emit) => {
      emit('t1', 'credits.threshold', credits(2));
      throw new Error('nope');
    });
    const ok2 = bus.batched((emit) => emit('t1', 'credits.threshold', credits(3)));
    await expect(bad).rejects.toThrow('nope');
    await ok;
    await ok2;
    expect(numbers(seen)).toEqual([1, 3]);
    expect(db.prepare('SELECT data FROM events ORDER BY id').pluck().all()).toEqual([JSON.stringify(credits(1)), JSON.stringify(credits(3))]);
  });
});
