import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { records } from '../helpers/db';
import { DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/eventually';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

// Two quick retries: an outage of a few seconds outlasts them and Bob turns the endpoint off.
const env = { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '500ms,500ms', BOB_WEBHOOK_TIMEOUT: '1s' };

let server: TestServer;
let owner: Session;
let receiver: Receiver;
let personaId: string;

beforeAll(async () => {
  server = await startTestServer({ env });
  owner = await login(server, DEMO_OWNER);
  const personas = (await (await server.fetch('/api/personas', { headers: owner.bearer })).json()) as { data: { id: string }[] };
  personaId = personas.data[0]!.id;
});
afterAll(() => server.close());
afterEach(async () => {
  await receiver?.close();
  const list = (await (await server.fetch('/api/webhooks', { headers: owner.bearer })).json()) as { data: { id: string }[] };
  for (const e of list.data) await server.fetch(`/api/webhooks/${e.id}`, { method: 'DELETE', headers: owner.bearer });
});

interface Endpoint {
  id: string;
  enabled: boolean;
  disabled_reason: string | null;
  secret?: string;
  pending: number;
  failed: number;
  waiting: number;
  dropped: number;
}

async function createEndpoint(body: Record<string, unknown>): Promise<Endpoint> {
  const res = await server.send('POST', '/api/webhooks', body, owner.bearer);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}
const getEndpoint = async (id: string): Promise<Endpoint> => (await server.fetch(`/api/webhooks/${id}`, { headers: owner.bearer })).json();
const setEnabled = async (id: string, enabled: boolean) => expect((await server.send('PATCH', `/api/webhooks/${id}`, { enabled }, owner.bearer)).status).toBe(200);
/** One persona.updated event per call, its description saying which. */
const personaChange = async (description: string) => expect((await server.send('PATCH', `/api/personas/${personaId}`, { description }, owner.bearer)).status).toBe(200);
const descriptions = (r: Receiver) => r.received.map((x) => (x.data.persona as { description: string }).description);

it('loses nothing in an outage longer than the retry schedule: the exhausted event first, then the rest in order', async () => {
  receiver = await startReceiver();
  const e = await createEndpoint({ url: receiver.url, events: ['persona.updated'] });
  receiver.trust(e.secret!);
  receiver.answer(() => ({ status: 500 }));

  const sent = Array.from({ length: 80 }, (_, i) => `change ${i + 1}`);
  for (const d of sent.slice(0, 30)) await personaChange(d);
  const off = await eventually(async () => {
    const x = await getEndpoint(e.id);
    return !x.enabled && x;
  }, 8000, 'turned off by Bob');
  expect(off.disabled_reason).toMatch(/3 times.*HTTP 500/);
  const exhaustedId = receiver.received[0]!.id;
  expect(receiver.received.every((r) => r.id === exhaustedId)).toBe(true); // only the head was tried
  // While it is off, events keep queueing behind the one Bob gave up on.
  for (const d of sent.slice(30)) await personaChange(d);
  expect(await getEndpoint(e.id)).toMatchObject({ enabled: false, waiting: 80, failed: 1, dropped: 0 });

  receiver.answer(() => ({ status: 200 }));
  const tried = receiver.received.length;
  await setEnabled(e.id, true);
  await eventually(() => receiver.received.length - tried >= 80, 8000, '80 deliveries after turning it on');
  await new Promise((r) => setTimeout(r, 200)); // nothing more arrives
  const after = receiver.received.slice(tried);
  expect(after[0]!.id).toBe(exhaustedId);
  expect(descriptions({ ...receiver, received: after })).toEqual(sent);
  expect(new Set(after.map((r) => r.id)).size).toBe(80);
  expect(after.every((r) => r.verifiedWith === e.secret)).toBe(true);
  expect(await getEndpoint(e.id)).toMatchObject({ enabled: true, waiting: 0, pending: 0, failed: 0, dropped: 0 });
});

it('keeps events raised while a person paused the endpoint, and sends them in order when turned on', async () => {
  receiver = await startReceiver();
  const e = await createEndpoint({ url: receiver.url, events: ['persona.updated'] });
  receiver.trust(e.secret!);
  await setEnabled(e.id, false);
  const sent = ['paused 1', 'paused 2', 'paused 3', 'paused 4'];
  for (const d of sent) await personaChange(d);
  await new Promise((r) => setTimeout(r, 300));
  expect(receiver.received).toHaveLength(0);
  expect(await getEndpoint(e.id)).toMatchObject({ enabled: false, disabled_reason: null, waiting: 4, pending: 4, dropped: 0 });

  await setEnabled(e.id, true);
  await eventually(() => receiver.received.length >= 4, 5000, 'the paused events');
  expect(descriptions(receiver)).toEqual(sent);
  expect(await getEndpoint(e.id)).toMatchObject({ waiting: 0 });
});

it('bounds a waiting queue by count and age, and counts what falls off', async () => {
  receiver = await startReceiver();
  const e = await createEndpoint({ url: receiver.url, events: ['persona.updated'], enabled: false });
  receiver.trust(e.secret!);
  // The same outbox the server writes to, with a small bound (the server keeps 10,000 or 30 days).
  const outbox = records(server).webhookOutbox({ queueLimit: 5, queueDays: 30 });
  const tenantId = owner.user.tenant_id;
  const event = (n: number, createdAt: string) =>
    outbox.enqueue({ id: 1_000_000 + n, tenantId, type: 'persona.updated', createdAt, data: { persona: { id: personaId, description: `queued ${n}` } } });
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms).toISOString();
  expect(await event(1, ago(40 * 86_400_000))).toBe(1);
  expect(await event(2, ago(31 * 86_400_000))).toBe(1);
  expect(await getEndpoint(e.id)).toMatchObject({ waiting: 2, dropped: 0 });
  // A month later: the two older than 30 days fall off; of 8 new ones, the newest 5 are kept.
  for (let n = 3; n <= 10; n++) await event(n, ago((10 - n) * 1000));
  expect(await getEndpoint(e.id)).toMatchObject({ enabled: false, waiting: 5, dropped: 5 });

  await setEnabled(e.id, true);
  await eventually(() => receiver.received.length >= 5, 5000, 'the kept events');
  await new Promise((r) => setTimeout(r, 200));
  expect(descriptions(receiver)).toEqual(['queued 6', 'queued 7', 'queued 8', 'queued 9', 'queued 10']);
  expect(await getEndpoint(e.id)).toMatchObject({ waiting: 0, dropped: 5 });
});
