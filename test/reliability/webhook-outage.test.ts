// Webhook outage: the receiver is down (500s, then refusing connections) for longer than the whole
// retry schedule, so Bob turns the endpoint off; Bob is killed with SIGKILL during the outage and
// started again; events are raised before, during and after. Once the receiver is back and the
// endpoint turned on, every event arrives, in the order it was raised.
import { afterAll, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually';
import { startReceiver } from '../helpers/webhook-receiver';
import { api, bobProcesses, loginOwner, n, report, SIZES, sleep } from './lib';

const procs = bobProcesses({ BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '300ms,300ms' });
afterAll(() => procs.cleanup());

it(`webhook events raised before, during and after an outage with a kill -9 are all delivered in order`, async () => {
  const receiver = await startReceiver();
  // What the CRM kept: receipts it answered 2xx (the 500s during the outage do not count).
  const accepted: (typeof receiver.received)[number][] = [];
  let answering = true;
  receiver.answer((r) => {
    if (!answering) return { status: 500, body: 'down for maintenance' };
    accepted.push(r);
    return { status: 204 };
  });
  try {
    let bob = await procs.start();
    let token = await loginOwner(bob.url);
    const created = await api(bob.url, token, 'POST', '/api/webhooks', { url: receiver.url, events: ['persona.updated'] });
    expect(created.status).toBe(201);
    const endpointId = created.body.id as string;
    receiver.trust(created.body.secret as string);
    const personas = (await api<{ data: { id: string }[] }>(bob.url, token, 'GET', '/api/personas')).body.data;
    const personaId = personas[0]!.id;

    const raised: string[] = [];
    const raise = async (phase: string, count = SIZES.webhookEvents) => {
      for (let i = 0; i < count; i++) {
        const description = `outage #${String(raised.length).padStart(4, '0')} ${phase}`;
        const res = await api(bob.url, token, 'PATCH', `/api/personas/${personaId}`, { description });
        expect(res.status, `raise ${description}`).toBe(200);
        raised.push(description);
      }
    };
    const endpoint = async () => (await api<{ enabled: boolean; disabled_reason: string | null }>(bob.url, token, 'GET', `/api/webhooks/${endpointId}`)).body;

    // Before: the receiver answers.
    await raise('before');
    await eventually(() => accepted.length >= raised.length, 10_000, 'deliveries before the outage');

    // The outage starts: 500s, longer than the whole retry schedule (300 ms + 300 ms).
    answering = false;
    await raise('during, answering 500');
    const turnedOff = await eventually(async () => !(await endpoint()).enabled, 15_000, 'Bob turns the endpoint off').then(
      () => true,
      () => false,
    );
    await raise('during, endpoint off');
    // Now refusing connections; Bob is killed mid-outage and started again on the same data dir.
    await receiver.down();
    await raise('during, receiver refusing');
    await procs.kill9(bob);
    bob = await procs.start();
    token = await loginOwner(bob.url);
    await raise('after the restart, still down');
    await sleep(1000); // longer than the retry schedule again

    // The receiver is back, answering 204, and the endpoint is turned on.
    answering = true;
    await receiver.up();
    const enabled = await api(bob.url, token, 'PATCH', `/api/webhooks/${endpointId}`, { enabled: true });
    expect(enabled.status).toBe(200);
    await raise('after the endpoint is on');

    // Everything raised arrives (or the wait ends); then a little longer, for stragglers.
    const descriptionOf = (r: (typeof receiver.received)[number]) => (r.data.persona as { description?: string } | undefined)?.description ?? '';
    const deliveredSet = () => new Set(accepted.filter((r) => r.verifiedWith && r.type === 'persona.updated').map(descriptionOf));
    await eventually(() => raised.every((d) => deliveredSet().has(d)), 20_000, 'every event delivered').catch(() => undefined);
    await sleep(500);

    const kept = accepted.filter((r) => r.verifiedWith && r.type === 'persona.updated');
    const order: number[] = [];
    const seen = new Set<string>();
    for (const r of kept) {
      const d = descriptionOf(r);
      if (seen.has(d)) continue;
      seen.add(d);
      order.push(raised.indexOf(d));
    }
    let outOfOrder = 0;
    for (let i = 1; i < order.length; i++) if (order[i]! < order[i - 1]!) outOfOrder++;
    const lost = raised.filter((d) => !seen.has(d)).length;
    const duplicates = kept.length - seen.size;
    const lostByPhase = new Map<string, number>();
    for (const d of raised.filter((x) => !seen.has(x))) {
      const phase = d.replace(/^outage #\d+ /, '');
      lostByPhase.set(phase, (lostByPhase.get(phase) ?? 0) + 1);
    }
    const lostDetail = [...lostByPhase].map(([phase, c]) => `${c} ${phase}`).join('; ');
    report(
      `webhooks: ${n(raised.length)} events raised, ${n(seen.size)} delivered, ${n(outOfOrder)} out of order, ${n(lost)} lost${lostDetail ? ` (${lostDetail})` : ''}` +
        ` (${n(duplicates)} redelivered; endpoint turned off by Bob during the outage: ${turnedOff ? 'yes' : 'no'})`,
    );
    expect({ lost, outOfOrder }).toEqual({ lost: 0, outOfOrder: 0 });
  } finally {
    await receiver.close();
  }
}, 120_000);

