import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sid } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { DEMO_OWNER, login, type Session } from '../helpers/server';
import { onPostgres } from '../helpers/test-database';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';
import { demoKey, startInstances, widgetChat, type Instance } from './instances';

const LEASE_MS = 3000;

describe.runIf(onPostgres)('two instances on one database: an instance killed mid-delivery', () => {
  let bob: Awaited<ReturnType<typeof startInstances>>;
  let owner: Session;
  let key: string;
  let receiver: Receiver | undefined;

  beforeAll(async () => {
    // An attempt is bounded well within its lease (2 s of 3 s), as the defaults are (10 s of 30 s).
    bob = await startInstances({ BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_POLL: '500ms', BOB_WEBHOOK_LEASE: `${LEASE_MS / 1000}s`, BOB_WEBHOOK_TIMEOUT: '2s' });
    owner = await login(bob.instances[0]!, DEMO_OWNER);
    key = await demoKey(bob.instances[0]!, owner);
  });
  afterAll(async () => {
    await receiver?.close();
    await bob?.close();
  });

  it('kill -9 of the instance holding the lease: the other delivers after the lease, nothing lost', async () => {
    const [a, b] = bob.instances as [Instance, Instance];
    receiver = await startReceiver();
    // The first request is never answered; every later one at once.
    receiver.answer(() => (receiver!.received.length === 1 ? 'hang' : { status: 204 }));
    const created = await a.send('POST', '/api/webhooks', { url: receiver.url, events: ['message.created'] }, owner.bearer);
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string };
    receiver.trust(endpoint.secret);

    const session_id = sid();
    for (const [n, on] of [a, b, a, b].entries()) expect((await widgetChat(on, key, { session_id, message: `How much is a tax return? (${n})` })).status).toBe(200);
    const [first] = await eventually(() => receiver!.received.length >= 1 && receiver!.received, 5000, 'the first delivery');
    // The instance attempting it: the one that logged the attempt of that message.
    const holder = await eventually(() => [a, b].find((on) => on.logs().some((l) => l.msg === 'webhook attempt' && l.msg_id === first!.id)), 2000, 'the attempt in a log');
    const survivor = holder === a ? b : a;
    await holder.kill();
    const killedAt = performance.now();

    const queued = await bob.records.deliveriesTo(endpoint.id);
    expect(queued).toHaveLength(8);
    const inOrder = [...queued].sort((x, y) => x.event_id! - y.event_id!).map((d) => d.msg_id);
    expect(inOrder[0]).toBe(first!.id);
    // The survivor takes the endpoint over once the lease has run out, and sends the first delivery
    // again (same webhook-id), then the rest in order.
    await eventually(() => receiver!.received.length >= 1 + queued.length, 15_000, 'every delivery after the takeover');
    const tookOver = performance.now() - killedAt;
    expect(tookOver).toBeGreaterThan(LEASE_MS - 1000); // not before the lease ran out (it began before the kill)
    expect(receiver.received.map((r) => r.id)).toEqual([first!.id, ...inOrder]);
    expect(receiver.received.every((r) => r.verifiedWith === endpoint.secret)).toBe(true);
    expect(receiver.maxInFlight).toBe(1);
    await eventually(async () => (await bob.records.deliveriesTo(endpoint.id)).every((d) => d.status === 'delivered'), 2000, 'all delivered');
    expect(survivor.logs().filter((l) => l.msg === 'webhook attempt' && l.endpoint_id === endpoint.id).map((l) => l.msg_id)).toEqual(inOrder);
  });
});
