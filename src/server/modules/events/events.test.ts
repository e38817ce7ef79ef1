import { describe, expect, it } from 'vitest';
import type { BobEvent } from '../../../shared/events';
import { AT, useTempDatabase } from '../../../../test/helpers/temp-db';
import { EventBus } from './events.bus';
import { createEventsRepo, type NewEvent } from './events.repo';

const openDatabase = useTempDatabase();
async function setup() {
  const { storage } = await openDatabase(['t1', 't2']);
  return createEventsRepo(storage);
}
// A payload that tells the events apart: `used` is its number.
const event = (n: number, tenantId = 't1', sessionId: string | null = null): NewEvent => ({
  tenantId,
  type: 'credits.threshold',
  sessionId,
  data: { percent: 80, used: n, allowance: 100, month: '2026-11' },
  createdAt: AT,
});
const numbers = (events: BobEvent[]) => events.map((e) => (e.type === 'credits.threshold' ? e.data.used : null));

describe('the event store', () => {
  it('stores events in order and gives them back with increasing ids, the data as given', async () => {
    const events = await setup();
    const stored = await events.append([event(1), event(2), event(3)]);
    expect(numbers(stored)).toEqual([1, 2, 3]);
    expect(stored.map((e) => e.id)).toEqual([stored[0]!.id, stored[0]!.id + 1, stored[0]!.id + 2]);
    expect(await events.replay({}, 0)).toEqual(stored);
  });

  it('replays what came after an id: a session’s, a tenant’s or every one, at most `limit`', async () => {
    const events = await setup();
    const [first] = await events.append([event(1, 't1', 's1'), event(2, 't2', 's2'), event(3, 't1', 's1'), event(4, 't1', null), event(5, 't2', null)]);
    expect(numbers(await events.replay({}, first!.id))).toEqual([2, 3, 4, 5]);
    expect(numbers(await events.replay({ tenantId: 't1' }, 0))).toEqual([1, 3, 4]);
    expect(numbers(await events.replay({ sessionId: 's1' }, first!.id))).toEqual([3]);
    expect(numbers(await events.replay({ tenantId: 't2' }, 0, 1))).toEqual([2]);
  });
});

describe('EventBus', () => {
  it('hands published events to every subscriber in order, until it unsubscribes', () => {
    const bus = new EventBus();
    const a: number[] = [];
    const b: number[] = [];
    const stored = (n: number) => ({ ...event(n), id: n }) as BobEvent;
    const offA = bus.subscribe((e) => a.push(e.id));
    bus.subscribe((e) => b.push(e.id));
    bus.publish([stored(1), stored(2)]);
    offA();
    bus.publish([stored(3)]);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1, 2, 3]);
  });
});
