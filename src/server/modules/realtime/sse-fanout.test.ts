import { describe, expect, it } from 'vitest';
import type { BobEvent } from '../../../shared/events';
import { EventBus } from '../events/events.bus';
import { sseFrame, type SseStream } from './sse';
import { SseFanout } from './sse-fanout';

/** A stream that keeps the ids of the frames written to it. */
function stream(): SseStream & { ids: number[] } {
  const ids: number[] = [];
  let closed = false;
  return {
    ids,
    write: (frame) => ids.push(Number(/^id: (\d+)/.exec(frame.toString())![1])),
    cork: () => false,
    uncork: () => {},
    close: () => {
      closed = true;
    },
    get closed() {
      return closed;
    },
  };
}
const event = (id: number, tenantId = 't1') => ({ id, tenantId, type: 'credits.threshold', sessionId: null, data: { percent: 80, used: id, allowance: 100, month: '2026-11' }, createdAt: '' }) as BobEvent;

describe('SseFanout', () => {
  const setup = () => {
    const bus = new EventBus();
    const fanout = new SseFanout(bus, { keysOf: (e) => [e.tenantId], frame: (e) => sseFrame({ id: e.id, event: e.type, data: e.data }) });
    return { bus, fanout };
  };

  it('writes each event to the streams of its key only', () => {
    const { bus, fanout } = setup();
    const [a, b] = [stream(), stream()];
    fanout.add('t1', a);
    const removeB = fanout.add('t2', b);
    bus.publish([event(1), event(2, 't2'), event(3)]);
    removeB();
    bus.publish([event(4, 't2')]);
    expect(a.ids).toEqual([1, 3]);
    expect(b.ids).toEqual([2]);
    expect(fanout.count()).toBe(1);
  });

  it('holds a resuming stream’s live frames during its replay, then writes those the replay did not have, once each', () => {
    const { bus, fanout } = setup();
    const s = stream();
    fanout.add('t1', s, { hold: true });
    // While the replay's query runs: 11 and 12 are published (11 committed before the query read, so it is replayed too).
    bus.publish([event(11), event(12)]);
    expect(s.ids).toEqual([]);
    for (const id of [10, 11]) s.write(sseFrame({ id, data: {} })); // the replay
    fanout.release(s, 11);
    bus.publish([event(13)]);
    expect(s.ids).toEqual([10, 11, 12, 13]);
  });

  it('skips the live frames of replayed events announced only after the replay (another instance’s commit)', () => {
    const { bus, fanout } = setup();
    const s = stream();
    fanout.add('t1', s, { hold: true });
    for (const id of [10, 11, 12]) s.write(sseFrame({ id, data: {} })); // the replay read 10–12, committed elsewhere
    fanout.release(s, 12);
    bus.publish([event(11), event(12)]); // their announcements arrive now
    bus.publish([event(13)]);
    bus.publish([event(14)]);
    expect(s.ids).toEqual([10, 11, 12, 13, 14]);
  });
});
