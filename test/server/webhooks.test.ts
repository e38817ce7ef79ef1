import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { eventually } from '../helpers/eventually';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

// Short waits between attempts so a test sees retries; the total (~3 s) outlasts a receiver outage.
const FAST_RETRIES = { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms,200ms,400ms,800ms,1600ms', BOB_WEBHOOK_TIMEOUT: '1s' };
const ORIGIN = 'http://localhost:3000';

let server: TestServer;
let owner: Session;
let admin: Session;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer({ env: FAST_RETRIES });
  owner = await login(server, DEMO_OWNER);
  admin = await login(server, DEMO_ADMIN);
});
afterAll(() => server.close());
afterEach(async () => {
  await receiver?.close();
  // Each test starts with no endpoints (the demo Pro plan allows 3).
  for (const who of [owner, admin]) {
    const list = (await (await server.fetch('/api/webhooks', { headers: who.bearer })).json()) as { data: { id: string }[] };
    for (const e of list.data) await server.fetch(`/api/webhooks/${e.id}`, { method: 'DELETE', headers: who.bearer });
  }
});

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  secret?: string;
  secret_hint: string;
  pending: number;
  failed: number;
}
interface Delivery {
  id: number;
  msg_id: string;
  type: string;
  status: string;
  attempts: number;
  attempt_log?: { response_status: number | null; response_body: string | null; error: string | null }[];
}

async function createEndpoint(body: Record<string, unknown>, who = owner, query = ''): Promise<Endpoint> {
  const res = await server.send('POST', `/api/webhooks${query}`, body, who.bearer);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}
const getEndpoint = async (id: string, who = owner): Promise<Endpoint> => (await server.fetch(`/api/webhooks/${id}`, { headers: who.bearer })).json();
const deliveries = async (id: string, who = owner): Promise<Delivery[]> =>
  ((await (await server.fetch(`/api/webhooks/${id}/deliveries?limit=200`, { headers: who.bearer })).json()) as { data: Delivery[] }).data;
const delivery = async (id: string, deliveryId: number): Promise<Delivery> => (await server.fetch(`/api/webhooks/${id}/deliveries/${deliveryId}`, { headers: owner.bearer })).json();

/** A visitor conversation: session.created, then message.created for the visitor and for Bob, per message. */
async function converse(messages: string[]) {
  const key = await demoKey(server);
  const session_id = sid();
  for (const message of messages) expect((await widgetChat(server, key, ORIGIN, { session_id, message })).status).toBe(200);
  return session_id;
}

describe('webhook endpoints', () => {
  it('shows the secret once, signs every delivery per Standard Webhooks, and rotates with a grace period', async () => {
    receiver = await startReceiver();
    const created = await createEndpoint({ url: receiver.url, events: ['session.created', 'message.created'], description: 'CRM' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created.secret_hint).toBe(`whsec_…${created.secret!.slice(-4)}`);
    receiver.trust(created.secret!);

    const again = await getEndpoint(created.id);
    expect(again).not.toHaveProperty('secret');
    const listed = JSON.stringify(await (await server.fetch('/api/webhooks', { headers: owner.bearer })).json());
    expect(listed).not.toContain(created.secret);

    const session_id = await converse(['Hello']);
    const got = await eventually(() => receiver.received.length >= 3 && receiver.received, 5000, '3 deliveries');
    expect(got.map((r) => r.type)).toEqual(['session.created', 'message.created', 'message.created']);
    expect(got.every((r) => r.verifiedWith === created.secret)).toBe(true);
    const first = JSON.parse(got[0]!.body) as { type: string; timestamp: string; data: { session: { id: string } } };
    expect(Object.keys(first)).toEqual(['type', 'timestamp', 'data']);
    expect(first.data.session.id).toBeTruthy();
    expect(got[1]!.data).toMatchObject({ session_id: expect.any(String), message: { author: 'visitor', body: 'Hello' } });
    expect(new Set(got.map((r) => r.id)).size).toBe(3);
    expect(session_id).toBeTruthy();

    // Rotation: both secrets sign for a day, so a receiver still on the old one keeps verifying.
    const rotated = (await (await server.send('POST', `/api/webhooks/${created.id}/rotate-secret`, {}, owner.bearer)).json()) as Endpoint;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    receiver.trust(created.secret!);
    await converse(['Ciao']);
    await eventually(() => receiver.received.length >= 6, 5000, 'deliveries after rotation');
    expect(receiver.received.slice(3).every((r) => r.signature.split(' ').length === 2 && r.verifiedWith === created.secret)).toBe(true);
    receiver.trust(rotated.secret!);
    await converse(['Hi again']);
    await eventually(() => receiver.received.length >= 9, 5000, 'more deliveries');
    expect(receiver.received.slice(6).every((r) => r.verifiedWith === rotated.secret)).toBe(true);

    // Secrets never reach the audit log.
    const audit = JSON.stringify(await (await server.fetch('/api/audit?action=webhook.', { headers: owner.bearer })).json());
    expect(audit).toContain('webhook.secret_rotated');
    expect(audit).not.toContain(created.secret);
    expect(audit).not.toContain(rotated.secret);
  });

  it('sends only the subscribed events, and a test ping on demand', async () => {
    receiver = await startReceiver();
    const e = await createEndpoint({ url: receiver.url, events: ['handoff.requested'] });
    receiver.trust(e.secret!);
    await converse(['Hello', 'I want to talk to a person']);
    const [handoff] = await eventually(() => receiver.received.length >= 1 && receiver.received, 5000, 'handoff');
    expect(handoff!.type).toBe('handoff.requested');
    expect(handoff!.verifiedWith).toBe(e.secret);

    const ping = await server.send('POST', `/api/webhooks/${e.id}/test`, {}, owner.bearer);
    expect(ping.status).toBe(200);
    const detail = (await ping.json()) as Delivery & { request: { body: string } };
    expect(detail).toMatchObject({ type: 'webhook.test', status: 'delivered', attempts: 1 });
    expect(detail.attempt_log![0]!.response_status).toBe(204);
    expect(receiver.received.at(-1)).toMatchObject({ type: 'webhook.test', verifiedWith: e.secret });
    expect(receiver.received).toHaveLength(2);
  });

  it('delivers every event exactly once and in order after the receiver was down for a while', async () => {
    receiver = await startReceiver();
    const e = await createEndpoint({ url: receiver.url, events: ['session.created', 'message.created'] });
    receiver.trust(e.secret!);
    await receiver.down();
    const texts = ['Hello', 'How much is Pro?', 'And Base?', 'How many seats in Enterprise?', 'Thanks'];
    const session = await converse(texts);
    const sessionIds = new Set((await records(server).sessions()).filter((s) => s.external_id === session).map((s) => s.id));
    const expected = (await records(server).events()).filter((e) => sessionIds.has(e.sessionId!) && (e.type === 'session.created' || e.type === 'message.created')).length;
    expect(expected).toBeGreaterThanOrEqual(6);
    // Nothing got through, the first delivery is being retried, the rest wait behind it.
    await eventually(async () => (await deliveries(e.id)).some((d) => d.attempts >= 2), 5000, 'retries');
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.received).toHaveLength(0);
    await receiver.up();

    const all = await eventually(async () => {
      const list = await deliveries(e.id);
      return list.length === expected && list.every((d) => d.status === 'delivered') && list;
    }, 10_000, 'all delivered');
    expect(receiver.received).toHaveLength(expected);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(expected);
    expect(receiver.received.map((r) => r.id)).toEqual(all.map((d) => d.msg_id).reverse());
    const visitorTexts = receiver.received
      .filter((r) => r.type === 'message.created' && (r.data.message as { author: string }).author === 'visitor')
      .map((r) => (r.data.message as { body: string }).body);
    expect(visitorTexts).toEqual(texts);
    expect(receiver.received.every((r) => r.verifiedWith === e.secret)).toBe(true);
    // The log pages newest first, by cursor.
    const paged: Delivery[] = [];
    for (let cursor = ''; ; ) {
      const page = (await (await server.fetch(`/api/webhooks/${e.id}/deliveries?limit=4${cursor && `&cursor=${cursor}`}`, { headers: owner.bearer })).json()) as { data: Delivery[]; next_cursor: string | null };
      paged.push(...page.data);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    expect(paged.map((d) => d.id)).toEqual(all.map((d) => d.id));
    expect((await server.fetch(`/api/webhooks/${e.id}/deliveries?cursor=garbage`, { headers: owner.bearer })).status).toBe(400);
    const head = await delivery(e.id, all.at(-1)!.id);
    expect(head.attempt_log!.length).toBeGreaterThanOrEqual(3);
    expect(head.attempt_log![0]!.error).toMatch(/ECONNREFUSED/);
    expect(head.attempt_log!.at(-1)!.response_status).toBe(204);
  });

  it('turns the endpoint off on 410 Gone, keeps queueing for it, and resumes in order when turned back on', async () => {
    receiver = await startReceiver();
    receiver.answer(() => ({ status: 410, body: 'gone' }));
    const e = await createEndpoint({ url: receiver.url, events: ['session.created'] });
    await converse(['Hello']);
    const off = await eventually(async () => {
      const x = await getEndpoint(e.id);
      return !x.enabled && x;
    }, 5000, 'disabled');
    expect(off.disabled_reason).toMatch(/410/);
    expect(receiver.received).toHaveLength(1);
    const [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 1 });

    // While off, new events wait for it.
    await converse(['Hello again']);
    await new Promise((r) => setTimeout(r, 200));
    expect(await deliveries(e.id)).toHaveLength(2);
    expect(receiver.received).toHaveLength(1);
    expect(await getEndpoint(e.id)).toMatchObject({ waiting: 2, failed: 1, pending: 1 });

    // Turned on: the one it refused goes again first (same webhook-id), then the one that waited.
    receiver.answer(() => ({ status: 200 }));
    const on = (await (await server.send('PATCH', `/api/webhooks/${e.id}`, { enabled: true }, owner.bearer)).json()) as Endpoint;
    expect(on).toMatchObject({ enabled: true, disabled_reason: null });
    await eventually(() => receiver.received.length === 3, 5000, 'resumed deliveries');
    expect(receiver.received[1]!.id).toBe(receiver.received[0]!.id);
    expect(receiver.received[2]!.id).not.toBe(receiver.received[0]!.id);
    await eventually(async () => (await delivery(e.id, d!.id)).status === 'delivered', 5000, 'settled');

    // A delivered one can be sent again from its log.
    const redo = await server.send('POST', `/api/webhooks/${e.id}/deliveries/${d!.id}/redeliver`, {}, owner.bearer);
    expect(redo.status).toBe(202);
    await eventually(() => receiver.received.length === 4, 5000, 'redelivery');
    expect(receiver.received[3]!.id).toBe(receiver.received[0]!.id);
    expect((await server.send('POST', `/api/webhooks/${e.id}/deliveries/999999/redeliver`, {}, owner.bearer)).status).toBe(404);
  });

  it('keeps waiting deliveries while turned off by a person, and sends them in order when turned on', async () => {
    receiver = await startReceiver();
    const e = await createEndpoint({ url: receiver.url, events: ['session.created', 'message.created'] });
    receiver.trust(e.secret!);
    await receiver.down();
    await converse(['Hello', 'Thanks']);
    await eventually(async () => (await deliveries(e.id)).some((d) => d.attempts >= 1), 5000, 'a first attempt');
    expect((await server.send('PATCH', `/api/webhooks/${e.id}`, { enabled: false }, owner.bearer)).status).toBe(200);
    const waiting = (await getEndpoint(e.id)).pending;
    expect(waiting).toBeGreaterThanOrEqual(3);
    await receiver.up();
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(0);
    const off = await getEndpoint(e.id);
    expect(off).toMatchObject({ enabled: false, disabled_reason: null, pending: waiting });

    expect((await server.send('PATCH', `/api/webhooks/${e.id}`, { enabled: true }, owner.bearer)).status).toBe(200);
    await eventually(() => receiver.received.length === waiting, 5000, 'resumed deliveries');
    const ids = (await deliveries(e.id)).map((d) => d.msg_id).reverse();
    expect(receiver.received.map((r) => r.id)).toEqual(ids);
    expect(receiver.received[0]!.type).toBe('session.created');
  });

  it('gives up after the last retry, turns the endpoint off and says why; truncates long answers in the log', async () => {
    receiver = await startReceiver();
    receiver.answer(() => ({ status: 500, body: 'x'.repeat(5000) }));
    const e = await createEndpoint({ url: receiver.url, events: ['session.created'] });
    await converse(['Hello']);
    const off = await eventually(async () => {
      const x = await getEndpoint(e.id);
      return !x.enabled && x;
    }, 10_000, 'disabled after retries');
    expect(off.disabled_reason).toMatch(/7 times.*HTTP 500/);
    expect(receiver.received).toHaveLength(7); // the first attempt and six retries
    const [d] = await deliveries(e.id);
    const detail = await delivery(e.id, d!.id);
    expect(detail.status).toBe('failed');
    expect(detail.attempt_log).toHaveLength(7);
    expect(detail.attempt_log![0]!.response_body!.length).toBeLessThanOrEqual(1025);
    expect(off.failed).toBe(1);
  });

  it('does not follow redirects, and times out a receiver that never answers', async () => {
    receiver = await startReceiver();
    const elsewhere = await startReceiver();
    try {
      receiver.answer(() => ({ status: 307, headers: { Location: elsewhere.url } }));
      const e = await createEndpoint({ url: receiver.url, events: ['session.created'] });
      const ping = (await (await server.send('POST', `/api/webhooks/${e.id}/test`, {}, owner.bearer)).json()) as Delivery;
      expect(ping.status).toBe('failed');
      expect(ping.attempt_log![0]).toMatchObject({ response_status: 307, error: expect.stringMatching(/not followed/) });
      expect(elsewhere.received).toHaveLength(0);

      receiver.answer(() => 'hang');
      const slow = (await (await server.send('POST', `/api/webhooks/${e.id}/test`, {}, owner.bearer)).json()) as Delivery;
      expect(slow.attempt_log![0]!.error).toMatch(/no answer within 1000 ms/);
    } finally {
      await elsewhere.close();
    }
  });

  it('announces a published pricebook to every tenant subscribed to it', async () => {
    receiver = await startReceiver();
    const e = await createEndpoint({ url: receiver.url, events: ['pricebook.published'] });
    receiver.trust(e.secret!);
    const draft = (await (await server.send('POST', '/api/pricebook/versions', {}, admin.bearer)).json()) as { version: number };
    expect((await server.send('POST', `/api/pricebook/versions/${draft.version}/publish`, {}, admin.bearer)).status).toBe(200);
    const [got] = await eventually(() => receiver.received.length >= 1 && receiver.received, 5000, 'pricebook event');
    expect(got).toMatchObject({ type: 'pricebook.published', verifiedWith: e.secret });
    expect(got!.data).toMatchObject({ version: draft.version });
  });
});

describe('webhook audit trail', () => {
  it('records the endpoint URL without its query string', async () => {
    const e = await createEndpoint({ url: 'http://127.0.0.1:9/in?token=s3cret', events: ['session.created'], enabled: false, description: 'CRM' });
    const updated = await server.send('PATCH', `/api/webhooks/${e.id}`, { url: 'http://127.0.0.1:9/in2?token=s3cret&x=1', description: 'CRM 2' }, owner.bearer);
    expect(updated.status).toBe(200);
    const res = await server.fetch('/api/audit?action=webhook.', { headers: owner.bearer });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('webhook.created');
    expect(text).toContain('webhook.updated');
    expect(text).not.toContain('s3cret');
    const entries = (JSON.parse(text) as { data: { action: string; target_id: string; before: { url: string } | null; after: { url: string } | null }[] }).data.filter((a) => a.target_id === e.id);
    expect(entries.find((a) => a.action === 'webhook.updated')).toMatchObject({ before: { url: 'http://127.0.0.1:9/in?…' }, after: { url: 'http://127.0.0.1:9/in2?…', description: 'CRM 2' } });
    expect(entries.find((a) => a.action === 'webhook.created')!.after!.url).toBe('http://127.0.0.1:9/in?…');
    // The endpoint itself keeps its whole URL: the receiver needs the token.
    expect((await getEndpoint(e.id)).url).toBe('http://127.0.0.1:9/in2?token=s3cret&x=1');
  });
});

describe('webhook limits and isolation', () => {
  it('keeps tenants apart: another tenant\'s endpoint is a 404', async () => {
    const mine = await createEndpoint({ url: 'http://127.0.0.1:9/x', events: ['session.created'], enabled: false }, admin);
    for (const [method, path] of [
      ['GET', `/api/webhooks/${mine.id}`],
      ['PATCH', `/api/webhooks/${mine.id}`],
      ['DELETE', `/api/webhooks/${mine.id}`],
      ['POST', `/api/webhooks/${mine.id}/test`],
      ['POST', `/api/webhooks/${mine.id}/rotate-secret`],
      ['GET', `/api/webhooks/${mine.id}/deliveries`],
    ] as const) {
      const res = method === 'GET' ? await server.fetch(path, { headers: owner.bearer }) : await server.send(method, path, { enabled: true }, owner.bearer);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = (await (await server.fetch('/api/webhooks', { headers: owner.bearer })).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(0);
    expect((await getEndpoint(mine.id, admin)).enabled).toBe(false);
  });

  it('allows a Base business one integration: the second is 409 integration_limit_reached', async () => {
    const t = await server.send('POST', '/api/tenants', { name: 'Fioreria Bianchi', slug: 'fioreria-bianchi', plan_id: 'base', owner_email: 'gio@bianchi.it' }, admin.bearer);
    expect(t.status).toBe(201);
    const scope = '?business_id=fioreria-bianchi';
    await createEndpoint({ url: 'http://127.0.0.1:9/a', enabled: false }, admin, scope);
    const second = await server.send('POST', `/api/webhooks${scope}`, { url: 'http://127.0.0.1:9/b' }, admin.bearer);
    expect(second.status).toBe(409);
    const body = (await second.json()) as { error: { code: string; details: unknown } };
    expect(body.error).toMatchObject({ code: 'integration_limit_reached', details: { used: 1, limit: 1 } });
  });

  it('validates input: events, URL scheme, credentials in the URL', async () => {
    const bad = async (body: unknown) => (await server.send('POST', '/api/webhooks', body, owner.bearer)).status;
    expect(await bad({ url: 'ftp://example.com/hook' })).toBe(400);
    expect(await bad({ url: 'not a url' })).toBe(400);
    expect(await bad({ url: 'http://127.0.0.1:9/x', events: [] })).toBe(400);
    expect(await bad({ url: 'http://127.0.0.1:9/x', events: ['session.updated'] })).toBe(400);
    expect(await bad({ url: 'http://user:pw@127.0.0.1:9/x' })).toBe(400);
    expect((await server.fetch('/api/webhooks', { headers: owner.bearer })).status).toBe(200);
  });
});

describe('webhook SSRF guard (local integrations not allowed)', () => {
  let strict: TestServer;
  let strictOwner: Session;
  beforeAll(async () => {
    strict = await startTestServer();
    strictOwner = await login(strict, DEMO_OWNER);
  });
  afterAll(() => strict.close());

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/hook',
    'http://127.0.0.1:4600/api/health',
    'http://localhost:8080/hook',
    'http://[::1]/hook',
    'http://[::ffff:10.0.0.1]/hook',
    'http://[fe80::1]/hook',
    'http://0.0.0.0/hook',
    'http://192.168.1.20/hook',
    'http://172.16.5.4/hook',
    'http://[::127.0.0.1]/',
    'http://[::ffff:0:127.0.0.1]/',
    'http://[2002:7f00:1::]/',
    'http://[fec0::1]/',
  ])('refuses %s at creation', async (url) => {
    const res = await strict.send('POST', '/api/webhooks', { url }, strictOwner.bearer);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/BOB_ALLOW_PRIVATE_WEBHOOKS/);
  });

  it('accepts a public address', async () => {
    const res = await strict.send('POST', '/api/webhooks', { url: 'https://93.184.215.14/hook', enabled: false }, strictOwner.bearer);
    expect(res.status).toBe(201);
  });
});
