import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWidgetKeysRepo, newPublishableKey } from '../../src/server/modules/widget-keys/widget-keys.repo';
import { demoKey, publicChat, sid, tenantBySlug, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, TestClock, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { SseClient } from '../helpers/sse';
import { MATCH_END, MATCH_START, splitSnippet } from '../../src/shared/search-snippet';

let server: TestServer;
let clock: TestClock;
const streams: SseClient[] = [];
beforeEach(async () => {
  clock = new TestClock();
  server = await startTestServer({ clock });
});
afterEach(async () => {
  streams.splice(0).forEach((s) => s.close());
  await server.close();
});
const openStream = async (path: string, headers?: Record<string, string>) => {
  const s = await SseClient.open(new URL(path, server.url).href, headers);
  streams.push(s);
  return s;
};
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function addKey(slug: string, mode: 'live' | 'test', allowed: string[]) {
  const key = newPublishableKey(mode);
  await createWidgetKeysRepo(server.database.storage).insert({ id: randomUUID(), tenant_id: (await tenantBySlug(server, slug)).id, key, label: 'test', mode, allowed_origins: allowed, at: new Date().toISOString() });
  return key;
}

describe('POST /api/chat (same origin, anonymous)', () => {
  it('answers with the reply body and creates the session in the default business', async () => {
    const session_id = sid();
    const res = await publicChat(server, { session_id, message: 'Hello, I need help with my order' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const body = await res.json();
    expect(body).toMatchObject({ session_id, from: 'bot', persona: { name: 'Bob' }, status: 'bot', handoff: false });
    expect(body.message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof body.reply).toBe('string');
    const platform = await tenantBySlug(server, 'office16852-platform');
    expect((await records(server).session(session_id))?.tenant_id).toBe(platform.id);
  });

  it('keeps the same session_id in two businesses as two sessions', async () => {
    const session_id = sid();
    expect((await publicChat(server, { session_id, message: 'hi' })).status).toBe(200);
    expect((await publicChat(server, { session_id, message: 'hi', business_id: 'business-co' })).status).toBe(200);
    expect((await records(server).sessions()).filter((s) => s.external_id === session_id)).toHaveLength(2);
  });

  it('refuses an unknown business, a foreign Origin and a cross-site fetch', async () => {
    const unknown = await publicChat(server, { session_id: sid(), message: 'hi', business_id: 'nope' });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('unknown_business');

    const foreign = await publicChat(server, { session_id: sid(), message: 'hi' }, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const body = await foreign.json();
    expect(body.error.code).toBe('cross_origin_forbidden');
    expect(body.error.message).toContain('/api/widget/chat');

    // Another site gets the same 403 whatever it sends, even a body that would not validate.
    const foreignBadBody = await server.send('POST', '/api/chat', '{"broken', { Origin: 'https://evil.example' });
    expect(foreignBadBody.status).toBe(403);
    const crossSite = await publicChat(server, { session_id: sid(), message: 'hi' }, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const sameOrigin = await publicChat(server, { session_id: sid(), message: 'hi' }, { Origin: server.url, 'Sec-Fetch-Site': 'same-origin' });
    expect(sameOrigin.status).toBe(200);
  });

  it('validates message, session_id and body size', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ session_id: sid(), message: '   ' }, 400],
      [{ session_id: sid(), message: 'x'.repeat(4001) }, 400],
      [{ session_id: 'bad id with spaces', message: 'hi' }, 400],
      [{ session_id: 'x'.repeat(129), message: 'hi' }, 400],
      [{ message: 'hi' }, 400],
    ];
    for (const [body, status] of cases) expect((await publicChat(server, body)).status).toBe(status);
    expect((await publicChat(server, { session_id: sid(), message: 'x'.repeat(4000) })).status).toBe(200);
    const huge = await publicChat(server, { session_id: sid(), message: 'hi', pad: 'x'.repeat(33 * 1024) });
    expect(huge.status).toBe(413);
  });
});

describe('the built-in responder answers from the published pricebook', () => {
  it('quotes Pro in English and Base credits in Italian', async () => {
    const en = await (await publicChat(server, { session_id: sid(), message: 'How much is Pro?' })).json();
    expect(en.reply).toContain('$249');
    const it = await (await publicChat(server, { session_id: sid(), message: 'Quanti crediti ha il piano Base?' })).json();
    expect(it.reply).toMatch(/15[.,]000/);
  });

  it('uses the tenant FAQ', async () => {
    const tenant = await tenantBySlug(server, 'business-co');
    await records(server).addFaq({ id: randomUUID(), tenant_id: tenant.id, question: 'Do you offer parking for visitors?', answer: 'Yes, free parking behind the building.', at: new Date().toISOString() });
    const res = await (await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'Is there parking for visitors?' })).json();
    expect(res.reply).toContain('free parking behind the building');
  });
});

describe('handoff', () => {
  it('hands off when the visitor asks for a person, then the bot stays silent', async () => {
    const session_id = sid();
    const res = await (await publicChat(server, { session_id, message: 'voglio parlare con un operatore' })).json();
    expect(res).toMatchObject({ status: 'waiting_for_agent', handoff: true, from: 'system' });
    expect(res.reply).toBeTruthy();
    const next = await (await publicChat(server, { session_id, message: 'quanto costa il piano Pro?' })).json();
    expect(next).toMatchObject({ reply: null, status: 'waiting_for_agent' });
  });

  it('says a team member left only when one had the conversation', async () => {
    const owner = await login(server, DEMO_OWNER);
    const session_id = sid();
    await publicChat(server, { session_id, business_id: 'business-co', message: 'voglio parlare con un operatore' });
    await server.send('POST', `/api/chat/sessions/${session_id}/release`, {}, owner.bearer);
    const t = await (await server.fetch(`/api/chat/sessions/${session_id}`, { headers: owner.bearer })).json();
    expect(t.messages.data.map((m: { body: string }) => m.body).join(' ')).not.toMatch(/has left/);
  });

  it('hands off after two unanswerable questions in a row', async () => {
    const session_id = sid();
    const first = await (await publicChat(server, { session_id, business_id: 'business-co', message: 'What is the airspeed velocity of an unladen swallow?' })).json();
    expect(first).toMatchObject({ status: 'bot', handoff: false, from: 'bot' });
    expect(first.reply).toMatch(/Would you like me to bring in a person/);
    const second = await (await publicChat(server, { session_id, business_id: 'business-co', message: 'Can you repaint my boat on Tuesday?' })).json();
    // One plain message, not a question followed by its answer.
    const plain = "I can't answer that either, so I'm bringing in a person from the team: they'll reply here shortly.";
    expect(second).toMatchObject({ status: 'waiting_for_agent', handoff: true, from: 'system', reply: plain });
    const owner = await login(server, DEMO_OWNER);
    const t = await (await server.fetch(`/api/chat/sessions/${session_id}`, { headers: owner.bearer })).json();
    const bodies: string[] = t.messages.data.map((m: { body: string }) => m.body);
    expect(bodies.slice(-2)).toEqual(['Can you repaint my boat on Tuesday?', plain]);
    const sentences = bodies.flatMap((b) => b.split(/(?<=[.?!])\s+/));
    expect(sentences.filter((x, i) => sentences.indexOf(x) !== i)).toEqual([]);
  });

  it('says plainly in Italian that a person is coming after two unanswerable questions', async () => {
    const session_id = sid();
    await publicChat(server, { session_id, message: 'Qual è la velocità di una rondine scarica?' });
    const second = await (await publicChat(server, { session_id, message: 'Potete ridipingere la mia barca martedì?' })).json();
    expect(second).toMatchObject({ status: 'waiting_for_agent', from: 'system', reply: 'Non so rispondere nemmeno a questo, quindi chiamo una persona del team: ti risponderà qui a breve.' });
  });
});

describe('Mission Control chat routes', () => {
  let admin: Session;
  let owner: Session;
  beforeEach(async () => {
    admin = await login(server, DEMO_ADMIN);
    owner = await login(server, DEMO_OWNER);
  });

  it('refuses anonymous callers with a hint to use /api/chat', async () => {
    for (const path of ['/api/chat/session', '/api/chat/message']) {
      const res = await server.send('POST', path, { session_id: 'x', message: 'hi' });
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toContain('POST /api/chat');
    }
  });

  it('runs a console session in which Bob replies, with cookie auth needing CSRF', async () => {
    const created = await server.send('POST', '/api/chat/session', {}, owner.bearer);
    expect(created.status).toBe(201);
    const s = await created.json();
    expect(s).toMatchObject({ status: 'bot', persona: { name: 'Bob' } });
    const noCsrf = await server.send('POST', '/api/chat/message', { session_id: s.session_id, message: 'How much is Pro?' }, { Cookie: owner.cookie });
    expect(noCsrf.status).toBe(403);
    const reply = await server.send('POST', '/api/chat/message', { session_id: s.session_id, message: 'How much is a tax return?' }, { Cookie: owner.cookie, 'X-CSRF-Token': owner.csrf });
    expect(reply.status).toBe(200);
    expect((await reply.json()).reply).toContain('€180.00');
  });

  it('takeover silences the bot and the agent reply reaches the visitor stream', async () => {
    const key = await demoKey(server);
    const origin = 'http://localhost:5173';
    const session_id = sid();
    expect((await widgetChat(server, key, origin, { session_id, message: 'Hi there' })).status).toBe(200);
    const stream = await openStream(`/api/widget/stream?session_id=${session_id}&key=${key}`, { Origin: origin });
    expect(stream.status).toBe(200);
    expect(stream.headers!.get('access-control-allow-origin')).toBe(origin);

    const takeover = await server.send('POST', `/api/chat/sessions/${session_id}/takeover`, {}, owner.bearer);
    expect(takeover.status).toBe(200);
    expect((await takeover.json()).status).toBe('agent');
    const silent = await (await widgetChat(server, key, origin, { session_id, message: 'How much is Pro?' })).json();
    expect(silent).toMatchObject({ reply: null, status: 'agent' });

    const sent = await server.send('POST', '/api/chat/message', { session_id, message: 'Hello, this is Anna from Business Co.' }, owner.bearer);
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({ status: 'agent' });
    const arrived = await stream.next((e) => e.event === 'message' && e.data.author === 'agent', 1000);
    expect(arrived.data.body).toBe('Hello, this is Anna from Business Co.');
    expect(arrived.data).not.toHaveProperty('session_id');
    await stream.next((e) => e.event === 'status' && e.data.status === 'agent');

    const release = await server.send('POST', `/api/chat/sessions/${session_id}/release`, {}, owner.bearer);
    expect((await release.json()).status).toBe('bot');
    const back = await (await widgetChat(server, key, origin, { session_id, message: 'How much is a tax return?' })).json();
    expect(back.reply).toContain('€180.00');
    const closed = await server.send('POST', `/api/chat/sessions/${session_id}/close`, {}, owner.bearer);
    expect((await closed.json()).status).toBe('closed');
    const audit = (await records(server).audit()).map((a) => a.action).filter((a) => a.startsWith('chat.'));
    expect(audit).toEqual(['chat.takeover', 'chat.release', 'chat.close']);
  });

  it('gives another tenant\'s staff a 404 for a session, never its data', async () => {
    const session_id = sid();
    await publicChat(server, { session_id, message: 'hi' }); // platform tenant
    const internalId = (await records(server).session(session_id))!.id;
    for (const ref of [session_id, internalId]) {
      expect((await server.fetch(`/api/chat/sessions/${ref}`, { headers: owner.bearer })).status).toBe(404);
      expect((await server.send('POST', `/api/chat/sessions/${ref}/takeover`, {}, owner.bearer)).status).toBe(404);
      expect((await server.send('POST', '/api/chat/message', { session_id: ref, message: 'x' }, owner.bearer)).status).toBe(404);
    }
    expect((await server.send('POST', '/api/chat/message', { session_id, message: 'x', business_id: 'office16852-platform' }, owner.bearer)).status).toBe(404);
    const list = await (await server.fetch('/api/chat/sessions', { headers: owner.bearer })).json();
    expect(list.data.find((s: { session_id: string }) => s.session_id === session_id)).toBeUndefined();
    // The platform admin reaches it, and another tenant's with business_id.
    expect((await server.fetch(`/api/chat/sessions/${session_id}`, { headers: admin.bearer })).status).toBe(200);
    const bizSession = sid();
    await publicChat(server, { session_id: bizSession, message: 'hi', business_id: 'business-co' });
    const adminReply = await server.send('POST', '/api/chat/message', { session_id: bizSession, message: 'Hello from the office', business_id: 'business-co' }, admin.bearer);
    expect(adminReply.status).toBe(201);
  });

  it('lists sessions by status and full-text search, and pages a transcript', async () => {
    const a = sid();
    const b = sid();
    await publicChat(server, { session_id: a, business_id: 'business-co', message: 'My invoice number is wrong' });
    await publicChat(server, { session_id: b, business_id: 'business-co', message: 'voglio parlare con un operatore' });
    const waiting = await (await server.fetch('/api/chat/sessions?status=waiting_for_agent', { headers: owner.bearer })).json();
    expect(waiting.data.map((s: { session_id: string }) => s.session_id)).toEqual([b]);
    const found = await (await server.fetch('/api/chat/sessions?q=invoice', { headers: owner.bearer })).json();
    expect(found.data.map((s: { session_id: string }) => s.session_id)).toEqual([a]);
    const syntax = await server.fetch('/api/chat/sessions?q=' + encodeURIComponent('"AND OR * ('), { headers: owner.bearer });
    expect(syntax.status).toBe(200);
    const page1 = await (await server.fetch('/api/chat/sessions?limit=1', { headers: owner.bearer })).json();
    expect(page1.data).toHaveLength(1);
    const page2 = await (await server.fetch(`/api/chat/sessions?limit=1&cursor=${page1.next_cursor}`, { headers: owner.bearer })).json();
    expect(page2.data[0].session_id).not.toBe(page1.data[0].session_id);

    const note = await server.send('POST', `/api/chat/sessions/${a}/notes`, { body: 'Customer is a VIP' }, owner.bearer);
    expect(note.status).toBe(201);
    const t1 = await (await server.fetch(`/api/chat/sessions/${a}?limit=2`, { headers: owner.bearer })).json();
    expect(t1.messages.data.map((m: { author: string }) => m.author)).toEqual(['bot', 'note']);
    const t2 = await (await server.fetch(`/api/chat/sessions/${a}?limit=2&before=${t1.messages.next_cursor}`, { headers: owner.bearer })).json();
    expect(t2.messages.data.map((m: { author: string }) => m.author)).toEqual(['visitor']);
    expect(t2.messages.next_cursor).toBeNull();
    // Notes never reach the visitor.
    const history = await (await server.fetch(`/api/widget/history?session_id=${a}`, { headers: { 'X-Widget-Key': await demoKey(server), Origin: 'http://localhost:3000' } })).json();
    expect(history.messages.map((m: { author: string }) => m.author)).toEqual(['visitor', 'bot']);
  });

  it('returns the matching message of each search hit as a snippet with the words marked', async () => {
    const a = sid();
    await publicChat(server, { session_id: a, business_id: 'business-co', message: 'Do you deliver to Trastevere after 11pm?' });
    await publicChat(server, { session_id: a, business_id: 'business-co', message: 'And how much is a tax return?' });
    await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'How much is a tax return?' });
    const found = await (await server.fetch('/api/chat/sessions?q=trastev', { headers: owner.bearer })).json();
    expect(found.data).toHaveLength(1);
    const hit = found.data[0];
    expect(hit.session_id).toBe(a);
    const msgId = (await records(server).messages()).find((m) => m.body.startsWith('Do you deliver'))?.id;
    expect(hit.match).toEqual({ message_id: msgId, snippet: `Do you deliver to ${MATCH_START}Trastevere${MATCH_END} after 11pm?` });
    expect(splitSnippet(hit.match.snippet)).toEqual([
      { text: 'Do you deliver to ', hit: false },
      { text: 'Trastevere', hit: true },
      { text: ' after 11pm?', hit: false },
    ]);
    // Without q there is nothing to match.
    const all = await (await server.fetch('/api/chat/sessions', { headers: owner.bearer })).json();
    expect(all.data[0]).not.toHaveProperty('match');
  });

  it('keeps persona try-it (console) runs out of the lists, search and staff events', async () => {
    const events = await openStream('/api/events', owner.bearer);
    const run = await (await server.send('POST', '/api/chat/session', {}, owner.bearer)).json();
    const reply = await server.send('POST', '/api/chat/message', { session_id: run.session_id, message: 'Zanzibar: how much is a tax return?' }, owner.bearer);
    expect(reply.status).toBe(200);
    expect((await reply.json()).reply).toContain('€180.00');
    const visitor = sid();
    await publicChat(server, { session_id: visitor, business_id: 'business-co', message: 'Zanzibar hello' });

    const list = await (await server.fetch('/api/chat/sessions', { headers: owner.bearer })).json();
    expect(list.data.map((s: { channel: string }) => s.channel)).not.toContain('console');
    expect(list.data.map((s: { session_id: string }) => s.session_id)).toContain(visitor);
    const found = await (await server.fetch('/api/chat/sessions?q=zanzibar', { headers: owner.bearer })).json();
    expect(found.data.map((s: { session_id: string }) => s.session_id)).toEqual([visitor]);
    // The visitor's events arrive; none of the try-it run's came before them.
    await events.next((e) => e.event === 'message.created' && e.data.message.body === 'Zanzibar hello');
    const consoleId = (await records(server).session(run.session_id))!.id;
    expect(JSON.stringify(events.events)).not.toContain(consoleId);
    // The run is still readable by its id (the Personas page shows it).
    expect((await server.fetch(`/api/chat/sessions/${run.session_id}`, { headers: owner.bearer })).status).toBe(200);
  });

  it('streams tenant-filtered staff events and resumes from Last-Event-ID', async () => {
    const ownerStream = await openStream('/api/events', owner.bearer);
    const adminStream = await openStream('/api/events', admin.bearer);
    expect(ownerStream.status).toBe(200);
    await publicChat(server, { session_id: sid(), message: 'hi from the platform site' });
    const biz = sid();
    await publicChat(server, { session_id: biz, business_id: 'business-co', message: 'voglio parlare con un operatore' });
    const handoff = await ownerStream.next((e) => e.event === 'handoff.requested');
    expect(handoff.data.session.session_id).toBe(biz);
    await adminStream.next((e) => e.event === 'message.created' && e.data.message.body === 'hi from the platform site');
    expect(ownerStream.events.some((e) => JSON.stringify(e.data).includes('hi from the platform site'))).toBe(false);

    const created = ownerStream.events.find((e) => e.event === 'session.created')!;
    const resumed = await openStream('/api/events', { ...owner.bearer, 'Last-Event-ID': created.id! });
    await resumed.next((e) => e.event === 'handoff.requested' && e.data.session.session_id === biz);
    expect(resumed.events.some((e) => Number(e.id) <= Number(created.id))).toBe(false);
    expect((await SseClient.open(new URL('/api/events', server.url).href)).status).toBe(401);
  });
});

describe('POST /api/widget/chat (cross-origin embed)', () => {
  it('allows a listed origin with exactly that origin in CORS', async () => {
    const res = await widgetChat(server, await demoKey(server), 'http://localhost:5173', { session_id: sid(), message: 'How much is a tax return?' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('vary')).toMatch(/origin/i);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After,X-Request-Id');
    expect((await res.json()).reply).toContain('€180.00');
  });

  it('refuses missing, unknown and revoked keys with 401', async () => {
    for (const key of ['', 'pk_live_unknown']) {
      const res = await widgetChat(server, key, 'http://localhost:5173', { session_id: sid(), message: 'hi' });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('invalid_widget_key');
    }
    const key = await demoKey(server);
    await records(server).revokeKey(key);
    expect((await widgetChat(server, key, 'http://localhost:5173', { session_id: sid(), message: 'hi' })).status).toBe(401);
  });

  it('refuses absent, null and unlisted origins with 403 and no CORS header', async () => {
    for (const origin of [null, 'null', 'https://evil.example']) {
      const res = await widgetChat(server, await demoKey(server), origin, { session_id: sid(), message: 'hi' });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('origin_not_allowed');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('matches wildcard subdomains but not the apex or a look-alike, and an empty list accepts nothing', async () => {
    const key = await addKey('business-co', 'live', ['https://*.example.com']);
    const ok = await widgetChat(server, key, 'https://a.example.com', { session_id: sid(), message: 'hi' });
    expect(ok.status).toBe(200);
    for (const origin of ['https://example.com', 'https://evil-example.com']) {
      expect((await widgetChat(server, key, origin, { session_id: sid(), message: 'hi' })).status).toBe(403);
    }
    const closed = await addKey('business-co', 'live', []);
    expect((await widgetChat(server, closed, 'http://localhost:5173', { session_id: sid(), message: 'hi' })).status).toBe(403);
  });

  it('answers preflights with CORS only for origins on an active key', async () => {
    const allowed = await server.fetch('/api/widget/chat', { method: 'OPTIONS', headers: { Origin: 'http://localhost:8080', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-widget-key' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('Content-Type,X-Widget-Key');
    expect(Number(allowed.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    const refused = await server.fetch('/api/widget/chat', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets pk_test_ keys work only on loopback and consume no credits', async () => {
    const key = await addKey('business-co', 'test', ['http://localhost:*', 'https://shop.example.com']);
    expect((await widgetChat(server, key, 'http://localhost:3000', { session_id: sid(), message: 'How much is Pro?' })).status).toBe(200);
    expect((await widgetChat(server, key, 'https://shop.example.com', { session_id: sid(), message: 'hi' })).status).toBe(403);
    const creditsUsed = async () => (await records(server).credits.rows()).reduce((sum, r) => sum + r.used, 0);
    expect(await creditsUsed()).toBe(0);
    expect((await widgetChat(server, await demoKey(server), 'http://localhost:3000', { session_id: sid(), message: 'How much is Pro?' })).status).toBe(200);
    expect(await creditsUsed()).toBe(1);
  });

  it('serves config and history for the widget', async () => {
    const headers = { 'X-Widget-Key': await demoKey(server), Origin: 'http://localhost:3000' };
    const config = await server.fetch('/api/widget/config', { headers });
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({
      persona: { name: 'Bob' },
      greetings: { en: 'Hi! How can I help you today?', it: 'Ciao! Come posso aiutarti oggi?' },
      languages: ['en', 'it'],
      online: false,
      mode: 'live',
    });
    const owner = await login(server, DEMO_OWNER);
    await openStream('/api/events', owner.bearer);
    expect((await (await server.fetch('/api/widget/config', { headers })).json()).online).toBe(true);
    const empty = await (await server.fetch(`/api/widget/history?session_id=${sid()}`, { headers })).json();
    expect(empty.messages).toEqual([]);
    // A same-origin GET carries no Origin (Mission Control's live preview): Bob's own origin counts.
    const sameOrigin = await server.fetch('/api/widget/config', { headers: { 'X-Widget-Key': await demoKey(server), 'Sec-Fetch-Site': 'same-origin' } });
    expect(sameOrigin.status).toBe(200);
    expect((await server.fetch('/api/widget/config', { headers: { 'X-Widget-Key': await demoKey(server) } })).status).toBe(403);
  });

  it('finds a conversation on the visitor paths by the visitor’s session_id only, never by its internal id', async () => {
    const headers = { 'X-Widget-Key': await demoKey(server), Origin: 'http://localhost:3000' };
    const externalId = sid();
    expect((await widgetChat(server, headers['X-Widget-Key'], headers.Origin, { session_id: externalId, message: 'hello' })).status).toBe(200);
    const session = (await records(server).sessions()).find((s) => s.external_id === externalId)!;
    const history = async (id: string) => (await (await server.fetch(`/api/widget/history?session_id=${id}`, { headers })).json()).messages as unknown[];
    expect((await history(externalId)).length).toBeGreaterThan(0);
    expect(await history(session.id)).toEqual([]);
    // Writing with the internal id starts another conversation (named by it) instead of joining this one.
    expect((await widgetChat(server, headers['X-Widget-Key'], headers.Origin, { session_id: session.id, message: 'hello again' })).status).toBe(200);
    const sessions = await records(server).sessions();
    expect(sessions.filter((s) => s.external_id === session.id)).toHaveLength(1);
    expect(sessions.find((s) => s.id === session.id)!.message_count).toBe(session.message_count);
  });
});

describe('credits and rate limits', () => {
  it('announces 80 % and 100 %, then hands off when credits run out', async () => {
    const tenant = await tenantBySlug(server, 'business-co'); // plan pro: 75,000 credits
    const owner = await login(server, DEMO_OWNER);
    const stream = await openStream('/api/events', owner.bearer);
    const month = new Date().toISOString().slice(0, 7);
    await records(server).credits.add(tenant.id, month, 59_999);
    await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'How much is Pro?' });
    expect((await stream.next((e) => e.event === 'credits.threshold')).data).toMatchObject({ percent: 80, used: 60_000, allowance: 75_000 });
    await records(server).credits.setUsed(tenant.id, month, 74_999);
    await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'How much is Pro?' });
    await stream.next((e) => e.event === 'credits.threshold' && e.data.percent === 100);
    const out = await (await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'How much is Pro?' })).json();
    expect(out).toMatchObject({ status: 'waiting_for_agent', handoff: true, from: 'system' });
    expect(out.reply).not.toContain('$');
  });

  it('limits messages per session per minute with 429 and Retry-After', async () => {
    const session_id = sid();
    for (let i = 0; i < 20; i++) expect((await publicChat(server, { session_id, message: `hello ${i}` })).status).toBe(200);
    const limited = await publicChat(server, { session_id, message: 'one more' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    clock.advance(61_000);
    expect((await publicChat(server, { session_id, message: 'after a minute' })).status).toBe(200);
  });

  it('limits a staff member\'s messages to visitors too (120 a minute)', async () => {
    const session_id = sid();
    await publicChat(server, { session_id, message: 'hello' });
    const owner = await login(server, DEMO_ADMIN);
    for (let i = 0; i < 120; i++) {
      const res = await server.send('POST', '/api/chat/message', { session_id, message: `reply ${i}` }, owner.bearer);
      expect(res.status).toBe(201);
    }
    const limited = await server.send('POST', '/api/chat/message', { session_id, message: 'one more' }, owner.bearer);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    clock.advance(61_000);
    expect((await server.send('POST', '/api/chat/message', { session_id, message: 'later' }, owner.bearer)).status).toBe(201);
  });
});

describe('GET /api/widget-keys', () => {
  it('lists the tenant\'s demo key for its owner and refuses agents', async () => {
    const owner = await login(server, DEMO_OWNER);
    const res = await (await server.fetch('/api/widget-keys', { headers: owner.bearer })).json();
    expect(res.data).toHaveLength(1);
    expect(res.data[0]).toMatchObject({ mode: 'live', status: 'active', allowed_origins: ['http://localhost:*', 'http://127.0.0.1:*'] });
    expect(res.data[0].key).toBe(await demoKey(server));
    expect((await server.fetch('/api/widget-keys?business_id=office16852-platform', { headers: owner.bearer })).status).toBe(404);
  });
});

describe('a platform admin viewing a business', () => {
  it("tries that business's persona: the console session and its replies live in that business", async () => {
    const admin = await login(server, DEMO_ADMIN);
    const personas = (await (await server.fetch('/api/personas?business_id=business-co', { headers: admin.bearer })).json()) as { data: { id: string }[] };
    const created = await server.send('POST', '/api/chat/session?business_id=business-co', { persona_id: personas.data[0]!.id }, admin.bearer);
    expect(created.status).toBe(201);
    const { session_id } = (await created.json()) as { session_id: string };
    const reply = await server.send('POST', '/api/chat/message', { session_id, message: 'How much is a tax return?', business_id: 'business-co' }, admin.bearer);
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { reply: string }).reply).toContain('€180.00');
    // Without the business, the persona is not one of the admin's own.
    expect((await server.send('POST', '/api/chat/session', { persona_id: personas.data[0]!.id }, admin.bearer)).status).toBe(404);
  });
});
