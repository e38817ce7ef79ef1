import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sid } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { DEMO_OWNER, login, type Session } from '../helpers/server';
import { onPostgres } from '../helpers/test-database';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';
import { demoKey, startInstances, widgetChat, type Instance } from './instances';

describe.runIf(onPostgres)('two instances on one database: webhooks', () => {
  let bob: Awaited<ReturnType<typeof startInstances>>;
  let a: Instance;
  let b: Instance;
  let owner: Session;
  let key: string;
  let receiver: Receiver | undefined;

  beforeAll(async () => {
    // A short poll: the instance that did not just deliver looks for work often, so both compete.
    bob = await startInstances({ BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_POLL: '500ms', BOB_TRUST_PROXY: '1' });
    [a, b] = bob.instances as [Instance, Instance];
    owner = await login(a, DEMO_OWNER);
    key = await demoKey(a, owner);
  });
  afterAll(async () => {
    await receiver?.close();
    await bob?.close();
  });

  it('delivers every event once, in event order, never two at once, while both dispatchers run', async () => {
    receiver = await startReceiver();
    receiver.answer(() => ({ status: 204, delayMs: 200 }));
    const created = await a.send('POST', '/api/webhooks', { url: receiver.url, events: ['message.created'] }, owner.bearer);
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string };
    receiver.trust(endpoint.secret);

    // Four visitors at once, each alternating between the instances: 20 messages, 40 events
    // (the visitor's and Bob's), queued by both.
    await Promise.all(
      [0, 1, 2, 3].map(async (v) => {
        const session_id = sid();
        for (let n = 0; n < 5; n++) {
          const res = await widgetChat((v + n) % 2 ? b : a, key, { session_id, message: `How much is a tax return? (${v}.${n})` }, `10.3.${v}.1`);
          expect(res.status).toBe(200);
        }
      }),
    );
    await eventually(() => receiver!.received.length >= 40, 30_000, 'the first 40 deliveries');
    // Then one message at a time on alternating instances, each once the queue is empty: the
    // instance that queued it is woken first, the other by its notification.
    const session_id = sid();
    for (let n = 0; n < 5; n++) {
      expect((await widgetChat(n % 2 ? b : a, key, { session_id, message: `How much is a tax return? (${n})` }, '10.3.9.1')).status).toBe(200);
      await eventually(() => receiver!.received.length >= 42 + 2 * n, 10_000, `delivery of message ${n}`);
    }

    const queued = await bob.records.deliveriesTo(endpoint.id);
    const events = (await bob.records.events()).filter((e) => e.type === 'message.created').map((e) => e.id);
    expect(events).toHaveLength(50);
    expect(queued.map((d) => d.event_id).sort((x, y) => x! - y!)).toEqual(events);
    await new Promise((r) => setTimeout(r, 700)); // a poll more: nothing comes twice
    const eventOf = new Map(queued.map((d) => [d.msg_id, d.event_id]));
    expect(receiver.received.map((r) => eventOf.get(r.id))).toEqual(events);
    expect(receiver.received.every((r) => r.verifiedWith === endpoint.secret)).toBe(true);
    expect(receiver.maxInFlight).toBe(1);
    expect((await bob.records.deliveriesTo(endpoint.id)).every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);

    // Each attempt was made once, by one of the two dispatchers (each logs the attempts it makes).
    // Which one delivers is whichever claims the endpoint first: usually both here, but the one
    // that just released the lease often takes it again, so that is not asserted (the kill test
    // shows the other taking over).
    const attemptsOf = (on: Instance) => on.logs().filter((l) => l.msg === 'webhook attempt' && l.endpoint_id === endpoint.id).length;
    expect(attemptsOf(a) + attemptsOf(b)).toBe(events.length);
  });
});
