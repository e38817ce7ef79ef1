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

// Group commit (several calls in one transaction) is the unit of work's: src/server/storage/unit-of-work.test.ts.
describe('EventBus.transaction', () => {
  it('stores the events in the transaction, in order, and publishes them only after the commit', () => {
    const { bus, seen } = setup();
    const result = bus.transaction((emit) => {
      for (const n of [1, 2, 3]) emit('t1', 'credits.threshold', credits(n));
      // Not yet announced: the transaction has not committed.
      expect(seen).toHaveLength(0);
      expect(count()).toBe(3);
      return 'done';
    });
    expect(result).toBe('done');
    expect(numbers(seen)).toEqual([1, 2, 3]);
    expect(count()).toBe(3);
  });

  it('stores and publishes nothing of a transaction that throws', () => {
    const { bus, seen } = setup();
    expect(() =>
      bus.transaction((emit) => {
        emit('t1', 'credits.threshold', credits(1));
        throw new Error('nope');
      }),
    ).toThrow('nope');
    expect(seen).toEqual([]);
    expect(count()).toBe(0);
  });
});
