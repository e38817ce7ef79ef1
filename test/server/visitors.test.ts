// A visitor's rights (issue #22): find their conversations, export everything Bob holds about them,
// erase it everywhere it is held (messages, the search index, the event store, webhook bodies), over
// real HTTP on both databases.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatRepo } from '../../src/server/modules/chat/chat.repo';
import { demoKey, publicChat, sid, tenantBySlug, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { rowCounts } from '../helpers/raw-sql';
import { eventually } from '../helpers/eventually';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { secondBusiness } from '../helpers/demo';
import { SseClient } from '../helpers/sse';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

const ENV = { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms,200ms', BOB_WEBHOOK_TIMEOUT: '1s' };
const ORIGIN = 'http://localhost:3000';

let server: TestServer;
let owner: Session;
let admin: Session;
let agent: Session;
let anna: Session;
let receiver: Receiver;
let key: string;
const streams: SseClient[] = [];

// Visitor A wrote an address and a word no one else wrote; visitor B others of their own.
const A = sid();
const B = sid();
const A_WORD = 'zanzibarite';
const A_EMAIL = 'Giulia.Verdi@example.com';
const B_WORD = 'quokkafur';

beforeAll(async () => {
  server = await startTestServer({ env: ENV });
  owner = await login(server, DEMO_OWNER);
  admin = await login(server, DEMO_ADMIN);
  const team = await server.send('POST', '/api/team', { email: 'agent@business.com', name: 'Agent', role: 'agent', password: 'agent-password-1' }, owner.bearer);
  expect(team.status, await team.clone().text()).toBe(201);
  agent = await login(server, { email: 'agent@business.com', password: 'agent-password-1' });
  anna = await secondBusiness(server, admin);
  key = await demoKey(server);
  receiver = await startReceiver();
});
afterAll(async () => {
  for (const s of streams) s.close();
  await receiver?.close();
  await server?.close();
});

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
const find = async (q: string, who = owner) => {
  const res = await server.fetch(`/api/visitors?q=${encodeURIComponent(q)}`, { headers: who.bearer });
  expect(res.status).toBe(200);
  return (await json<{ data: { session_id: string; matched_by: string; messages: number }[] }>(res)).data;
};
const search = async (q: string) =>
  (await json<{ data: { session_id: string }[] }>(await server.fetch(`/api/chat/sessions?q=${encodeURIComponent(q)}`, { headers: owner.bearer }))).data.map((s) => s.session_id);
const exportOf = (id: string, who = owner, notes = '0') => server.fetch(`/api/visitors/${encodeURIComponent(id)}/export?notes=${notes}`, { headers: who.bearer });

describe('a visitor\'s rights', () => {
  let endpointId = '';
  let secret = '';

  it('sets up: two visitors chat, staff add a note, a webhook endpoint hears it', async () => {
    const e = await server.send('POST', '/api/webhooks', { url: receiver.url, events: ['message.created', 'visitor.erased'], description: 'CRM' }, owner.bearer);
    expect(e.status).toBe(201);
    ({ id: endpointId, secret } = await json<{ id: string; secret: string }>(e));
    receiver.trust(secret);
    for (const message of [`I like ${B_WORD} hats, write to marco@example.com`]) expect((await widgetChat(server, key, ORIGIN, { session_id: B, message })).status).toBe(200);
    for (const message of [`Hello, my email is ${A_EMAIL}`, `Do you sell ${A_WORD} lamps?`]) expect((await widgetChat(server, key, ORIGIN, { session_id: A, message })).status).toBe(200);
    const a = (await records(server).session(A))!;
    expect((await server.send('POST', `/api/chat/sessions/${a.id}/notes`, { body: 'Staff note: called her back' }, owner.bearer)).status).toBe(201);
    await eventually(() => receiver.received.filter((r) => r.type === 'message.created').length >= 6, 5000, 'the deliveries');
  });

  it('finds a visitor by session id, by an email they wrote (exactly) and by name', async () => {
    expect(await find(A)).toMatchObject([{ session_id: A, matched_by: 'session_id', messages: 4 }]);
    expect((await find(A_EMAIL.toLowerCase())).map((m) => [m.session_id, m.matched_by])).toEqual([[A, 'email']]);
    expect((await find('marco@example.com')).map((m) => m.session_id)).toEqual([B]);
    // Words of the address alone, or another address on the same domain, are no match.
    expect(await find('example.com')).toEqual([]);
    expect(await find('verdi@example.com')).toEqual([]);
    // A conversation whose visitor gave a name (stored as the chat stores it).
    const tenant = await tenantBySlug(server, 'business-co');
    const chat = createChatRepo(server.database.storage, server.database.dialect);
    const named = sid();
    await chat.insertSession({ id: randomUUID(), tenant_id: tenant.id, external_id: named, channel: 'widget', persona_id: null, visitor_name: 'Carla Bianchi', language: 'it', origin: ORIGIN, key_mode: 'live', created_by: null, at: new Date().toISOString() });
    expect((await find('carla BIANCHI')).map((m) => [m.session_id, m.matched_by])).toEqual([[named, 'name']]);
    // Another tenant finds nothing of this one's; an agent may not search.
    expect(await find(A, anna)).toEqual([]);
    expect(await find(A_EMAIL, anna)).toEqual([]);
    expect((await server.fetch(`/api/visitors?q=${A}`, { headers: agent.bearer })).status).toBe(403);
  });

  it('exports exactly that visitor\'s data, notes only when asked; another tenant gets 404, an agent 403', async () => {
    const res = await exportOf(A);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="bob-visitor-.+\.json"$/);
    const body = await json<{ session_id: string; sessions: { session_id: string }[]; messages: { author: string; body: string }[]; consents: unknown[]; attachments: unknown[]; includes_notes: boolean }>(res);
    expect(body.session_id).toBe(A);
    expect(body.sessions.map((s) => s.session_id)).toEqual([A]);
    expect(body.messages.map((m) => m.author)).toEqual(['visitor', 'bot', 'visitor', 'bot']);
    expect(body.messages[0]!.body).toContain(A_EMAIL);
    expect(body).toMatchObject({ consents: [], attachments: [], includes_notes: false });
    const text = JSON.stringify(body);
    expect(text).not.toContain(B_WORD);
    expect(text).not.toContain('marco@example.com');
    expect(text).not.toContain('Staff note');
    const withNotes = await json<{ messages: { author: string; body: string }[] }>(await exportOf(A, owner, '1'));
    expect(withNotes.messages.filter((m) => m.author === 'note').map((m) => m.body)).toEqual(['Staff note: called her back']);
    expect((await exportOf(A, anna)).status).toBe(404);
    expect((await exportOf(A, agent)).status).toBe(403);
    expect((await exportOf(sid())).status).toBe(404);
    // Another tenant's id cannot erase either.
    expect((await server.fetch(`/api/visitors/${A}`, { method: 'DELETE', headers: anna.bearer })).status).toBe(404);
    expect((await server.fetch(`/api/visitors/${A}`, { method: 'DELETE', headers: agent.bearer })).status).toBe(403);
  });

  it('erases the visitor everywhere: search, transcript, export, redelivery, stream replay; audit and webhook with counts only', async () => {
    const a = (await records(server).session(A))!;
    expect(await search(A_WORD)).toEqual([A]);
    const aEvents = (await records(server).events()).filter((e) => e.sessionId === a.id);
    const firstId = aEvents[0]!.id;
    const ds = (await json<{ data: { id: number; type: string }[] }>(await server.fetch(`/api/webhooks/${endpointId}/deliveries?limit=200`, { headers: owner.bearer }))).data;
    const aMessageIds = new Set(receiver.received.filter((r) => r.type === 'message.created' && (r.data as { external_id?: string }).external_id === A).map((r) => r.id));
    const delivered = ds.find((d) => d.type === 'message.created' && aMessageIds.has((d as unknown as { msg_id: string }).msg_id))!;
    expect(delivered).toBeTruthy();

    const erased = await server.fetch(`/api/visitors/${A}`, { method: 'DELETE', headers: owner.bearer });
    expect(erased.status).toBe(200);
    const result = await json<{ session_id: string; counts: Record<string, number> }>(erased);
    expect(result).toEqual({ session_id: A, counts: { sessions: 1, messages: 5, unanswered_questions: expect.any(Number), consents: 0, events_redacted: aEvents.length, deliveries_redacted: 5 } });

    // Search (the index follows the rows), transcript, export and a second erasure: gone.
    expect(await search(A_WORD)).toEqual([]);
    expect(await search('verdi')).toEqual([]);
    expect(await search(B_WORD)).toEqual([B]);
    expect((await server.fetch(`/api/chat/sessions/${a.id}`, { headers: owner.bearer })).status).toBe(404);
    expect((await exportOf(A)).status).toBe(404);
    expect(await find(A)).toEqual([]);
    expect(await find(A_EMAIL)).toEqual([]);
    expect((await server.fetch(`/api/visitors/${A}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(404);
    expect((await exportOf(B)).status).toBe(200);

    // The webhook visitor.erased, with counts.
    const announced = await eventually(() => receiver.received.find((r) => r.type === 'visitor.erased'), 5000, 'visitor.erased');
    expect(announced.data).toEqual({ session_id: A, counts: result.counts });
    expect(announced.verifiedWith).toBe(secret);

    // A redelivery sends the redacted body, signed.
    const before = receiver.received.length;
    expect((await server.send('POST', `/api/webhooks/${endpointId}/deliveries/${delivered.id}/redeliver`, {}, owner.bearer)).status).toBe(202);
    const again = await eventually(() => receiver.received.slice(before).find((r) => r.type === 'message.created'), 5000, 'the redelivery');
    expect(again.verifiedWith).toBe(secret);
    expect(again.data).toMatchObject({ redacted: true, external_id: A, message: { body: '' } });
    expect(again.body).not.toContain(A_WORD);
    expect(again.body).not.toContain(A_EMAIL);

    // A staff stream resumed from before the erasure replays the redacted shapes, then the erasure.
    const staff = await SseClient.open(new URL('/api/events', server.url).href, { ...owner.bearer, 'Last-Event-ID': String(firstId - 1) });
    expect(firstId - 1).toBeGreaterThan(0);
    streams.push(staff);
    expect(staff.status).toBe(200);
    await staff.next((e) => e.event === 'visitor.erased', 5000);
    expect(staff.events.filter((e) => e.event === 'message.created' && e.data.external_id === A).length).toBe(5);
    const replayed = JSON.stringify(staff.events);
    expect(replayed).toContain('"redacted":true');
    expect(replayed).not.toContain(A_WORD);
    expect(replayed).not.toContain(A_EMAIL);
    expect(replayed).not.toContain('Staff note');
    // And the visitor's own stream, resumed, carries none of it.
    const visitor = await SseClient.open(new URL(`/api/widget/stream?session_id=${A}&key=${key}`, server.url).href, { Origin: ORIGIN, 'Last-Event-ID': String(firstId - 1) });
    streams.push(visitor);
    expect(JSON.stringify(visitor.events)).not.toContain(A_WORD);
    // Nor does the event store.
    const stored = JSON.stringify((await records(server).events()).filter((e) => e.sessionId === a.id));
    expect(stored).not.toContain(A_WORD);
    expect(stored).not.toContain(A_EMAIL);

    // Audit: who and how many, never what.
    const entry = (await records(server).audit()).find((e) => e.action === 'visitor.erased')!;
    expect(entry).toBeTruthy();
    const audited = JSON.stringify(entry);
    expect(audited).toContain(DEMO_OWNER.email);
    expect(JSON.parse(String(entry.after))).toEqual({ by: 'staff', ...result.counts });
    expect(entry.actor_email).toBe(DEMO_OWNER.email);
    expect(audited).not.toContain(A_WORD);
    expect(audited).not.toContain(A_EMAIL);
    expect(audited).not.toContain(A);
  });

  it('lets the visitor erase their own conversation from the widget, with the key and an allowed origin only', async () => {
    const mine = sid();
    expect((await widgetChat(server, key, ORIGIN, { session_id: mine, message: 'Please forget platypusoid' })).status).toBe(200);
    const erase = (origin: string | null, k = key, body: Record<string, unknown> = { session_id: mine }) =>
      server.send('POST', '/api/widget/session/erase', body, { ...(k ? { 'X-Widget-Key': k } : {}), ...(origin ? { Origin: origin } : {}) });
    expect((await erase('https://evil.example')).status).toBe(403);
    expect((await erase(null)).status).toBe(403);
    expect((await erase(ORIGIN, '')).status).toBe(401);
    expect(await search('platypusoid')).toEqual([mine]);
    const preflight = await server.fetch('/api/widget/session/erase', { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-widget-key' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const res = await erase(ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await json(res)).toMatchObject({ session_id: mine, counts: { sessions: 1, messages: 2 } });
    expect(await search('platypusoid')).toEqual([]);
    expect((await erase(ORIGIN)).status).toBe(404);
    // A key of one business cannot reach another's visitor.
    const theirs = sid();
    expect((await publicChat(server, { session_id: theirs, business_id: 'rossi', message: 'Avete cornetti?' })).status).toBe(200);
    expect((await erase(ORIGIN, key, { session_id: theirs })).status).toBe(404);
    expect((await records(server).session(theirs))?.message_count).toBe(2);
    const audit = (await records(server).audit()).filter((e) => e.action === 'visitor.erased');
    expect(audit.length).toBe(2);
    expect(JSON.stringify(audit[audit.length - 1])).not.toContain('platypusoid');
  });

  it('exports the visitor\'s privacy-notice acceptance and what the site said about them, and forgets both on erasure', async () => {
    const withNotice = await server.send('PATCH', '/api/tenant', { settings: { consent_notice: { en: 'We keep your messages for 90 days.', it: 'Conserviamo i messaggi per 90 giorni.' } } }, owner.bearer);
    expect(withNotice.status).toBe(200);
    const mine = sid();
    const consent = await server.send('POST', '/api/widget/consent', { session_id: mine }, { 'X-Widget-Key': key, Origin: ORIGIN });
    expect(consent.status).toBe(200);
    const { version } = await json<{ version: number }>(consent);
    expect((await widgetChat(server, key, ORIGIN, { session_id: mine, message: 'Hello' })).status).toBe(200);
    // What the site told Bob about the visitor (window.Bob.setVisitor) is theirs too.
    const told = await server.send('POST', '/api/widget/visitor', { session_id: mine, name: 'Giulia Verdi', email: 'giulia@example.com', attributes: { plan: 'gold' } }, { 'X-Widget-Key': key, Origin: ORIGIN });
    expect(told.status).toBe(200);

    const exported = await json<{ consents: { version: number; accepted_at: string }[]; visitor: unknown }>(await exportOf(mine));
    expect(exported.consents).toEqual([{ version, accepted_at: expect.any(String) }]);
    expect(exported.visitor).toEqual({ name: 'Giulia Verdi', email: 'giulia@example.com', attributes: { plan: 'gold' }, verified: null });
    const erased = await server.send('DELETE', `/api/visitors/${mine}`, undefined, owner.bearer);
    expect(erased.status).toBe(200);
    expect((await json<{ counts: { consents: number } }>(erased)).counts.consents).toBe(1);
    expect((await exportOf(mine)).status).toBe(404);
    expect(await rowCounts(server.database.storage, ['visitor_profiles'])).toEqual({ visitor_profiles: 0 });
  });
});
