// Issue #23, tools for agents: quick replies, labels, assignment and the conversation list's filters,
// through real HTTP on both databases.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoKey, publicChat, sid, widgetChat } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { SseClient } from '../helpers/sse';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

const ORIGIN = 'http://localhost:5173';
let server: TestServer;
let owner: Session;
let admin: Session;
let agent: Session;
let agentId: string;
let receiver: Receiver | undefined;
const streams: SseClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms', BOB_WEBHOOK_TIMEOUT: '1s' } });
  owner = await login(server, DEMO_OWNER);
  admin = await login(server, DEMO_ADMIN);
  const created = await server.send('POST', '/api/team', { email: 'anna@business.com', name: 'Anna', role: 'agent', password: 'anna-password-1' }, owner.bearer);
  expect(created.status).toBe(201);
  agentId = (await created.json()).id;
  agent = await login(server, { email: 'anna@business.com', password: 'anna-password-1' });
});
afterAll(() => server.close());
afterEach(async () => {
  streams.splice(0).forEach((s) => s.close());
  await receiver?.close();
  receiver = undefined;
});

const json = async <T = any>(res: Response): Promise<T> => (await res.json()) as T; // eslint-disable-line @typescript-eslint/no-explicit-any
const code = async (res: Response) => (await json<{ error: { code: string } }>(res)).error.code;
const get = (path: string, who: Session) => server.fetch(path, { headers: who.bearer });
const del = (path: string, who: Session) => server.fetch(path, { method: 'DELETE', headers: who.bearer });

/** A visitor's conversation in business-co: through the widget, or the web page. Returns its internal id. */
async function conversation(channel: 'widget' | 'web' = 'widget'): Promise<string> {
  const session_id = sid();
  const res =
    channel === 'widget'
      ? await widgetChat(server, await demoKey(server), ORIGIN, { session_id, message: 'Hello there' })
      : await publicChat(server, { session_id, message: 'Hello there', business_id: 'business-co' });
  expect(res.status).toBe(200);
  return (await records(server).session(session_id))!.id;
}

describe('quick replies', () => {
  it('are created, listed, changed and deleted by owners; agents use them; audited', async () => {
    const body = { shortcut: 'greet', title: 'Greeting', body_en: 'Hello! How can I help?', body_it: 'Ciao! Come posso aiutarti?' };
    const created = await server.send('POST', '/api/canned-responses', body, owner.bearer);
    expect(created.status).toBe(201);
    const c = await json(created);
    expect(c).toMatchObject(body);

    expect(await code(await server.send('POST', '/api/canned-responses', body, owner.bearer))).toBe('shortcut_taken');
    expect((await server.send('POST', '/api/canned-responses', { ...body, shortcut: 'Bad Shortcut' }, owner.bearer)).status).toBe(400);
    // Agents list and use them, but may not change them.
    expect((await json(await get('/api/canned-responses', agent))).data.map((r: { shortcut: string }) => r.shortcut)).toEqual(['greet']);
    expect((await server.send('POST', '/api/canned-responses', { ...body, shortcut: 'other' }, agent.bearer)).status).toBe(403);
    expect((await server.send('PATCH', `/api/canned-responses/${c.id}`, { title: 'x' }, agent.bearer)).status).toBe(403);
    expect((await del(`/api/canned-responses/${c.id}`, agent)).status).toBe(403);

    const patched = await server.send('PATCH', `/api/canned-responses/${c.id}`, { title: 'Welcome', body_it: 'Benvenuto!' }, owner.bearer);
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ shortcut: 'greet', title: 'Welcome', body_en: body.body_en, body_it: 'Benvenuto!' });

    // Another tenant's quick reply is a 404; the platform's own list does not have it.
    expect((await json(await get('/api/canned-responses', admin))).data).toEqual([]);
    expect((await server.send('PATCH', `/api/canned-responses/${c.id}`, { title: 'x' }, admin.bearer)).status).toBe(404);
    expect((await del(`/api/canned-responses/${c.id}`, admin)).status).toBe(404);

    expect((await del(`/api/canned-responses/${c.id}`, owner)).status).toBe(204);
    expect((await json(await get('/api/canned-responses', owner))).data).toEqual([]);
    const audit = (await records(server).audit()).filter((a) => a.action.startsWith('canned.'));
    expect(audit.map((a) => a.action)).toEqual(['canned.created', 'canned.updated', 'canned.deleted']);
    // The log keeps the shortcut and title, not the text.
    expect(JSON.stringify(audit)).not.toContain('How can I help');
  });
});

describe('labels', () => {
  it('are set on a conversation, announced with session.updated, and isolated per tenant', async () => {
    const vip = await json(await server.send('POST', '/api/chat/labels', { name: 'VIP', color: 'purple' }, owner.bearer));
    const billing = await json(await server.send('POST', '/api/chat/labels', { name: 'Billing' }, owner.bearer));
    expect(billing.color).toBe('gray');
    expect(await code(await server.send('POST', '/api/chat/labels', { name: 'VIP' }, owner.bearer))).toBe('label_exists');
    expect((await server.send('POST', '/api/chat/labels', { name: 'Nope' }, agent.bearer)).status).toBe(403);
    const platformLabel = await json(await server.send('POST', '/api/chat/labels', { name: 'Platform' }, admin.bearer));

    const id = await conversation();
    const events = await SseClient.open(new URL('/api/events', server.url).href, owner.bearer);
    streams.push(events);
    const put = await server.send('PUT', `/api/chat/sessions/${id}/labels`, { labels: [vip.id, billing.id] }, agent.bearer);
    expect(put.status).toBe(200);
    expect((await json(put)).labels.map((l: { name: string }) => l.name)).toEqual(['Billing', 'VIP']);
    const updated = await events.next((e) => e.event === 'session.updated' && e.data.session.id === id);
    expect(updated.data.session.labels.map((l: { name: string }) => l.name)).toEqual(['Billing', 'VIP']);

    // Another business's label is refused; another business's conversation is a 404.
    expect(await code(await server.send('PUT', `/api/chat/sessions/${id}/labels`, { labels: [platformLabel.id] }, owner.bearer))).toBe('unknown_label');
    const platformSession = sid();
    await publicChat(server, { session_id: platformSession, message: 'hi' });
    expect((await server.send('PUT', `/api/chat/sessions/${platformSession}/labels`, { labels: [] }, owner.bearer)).status).toBe(404);

    // The transcript and the list carry the labels; deleting a label takes it off.
    expect((await json(await get(`/api/chat/sessions/${id}`, owner))).session.labels.map((l: { name: string }) => l.name)).toEqual(['Billing', 'VIP']);
    expect((await del(`/api/chat/labels/${billing.id}`, owner)).status).toBe(204);
    expect((await json(await get(`/api/chat/sessions/${id}`, owner))).session.labels.map((l: { name: string }) => l.name)).toEqual(['VIP']);
    const audit = (await records(server).audit()).map((a) => a.action).filter((a) => a.startsWith('label.') || a === 'chat.labels');
    expect(audit).toEqual(['label.created', 'label.created', 'label.created', 'chat.labels', 'label.deleted']);
  });
});

describe('assignment', () => {
  it('assigns to an active teammate only, notifies staff streams and webhooks, and audits', async () => {
    receiver = await startReceiver();
    const endpoint = await json(await server.send('POST', '/api/webhooks', { url: receiver.url, events: ['session.assigned'] }, owner.bearer));
    receiver.trust(endpoint.secret);
    const id = await conversation();
    const agentStream = await SseClient.open(new URL('/api/events', server.url).href, agent.bearer);
    streams.push(agentStream);

    const teammates = (await json(await get('/api/chat/teammates', agent))).data;
    expect(teammates.map((m: { name: string }) => m.name)).toContain('Anna');

    const res = await server.send('PUT', `/api/chat/sessions/${id}/assignee`, { user_id: agentId }, owner.bearer);
    expect(res.status).toBe(200);
    expect((await json(res)).assigned_user_id).toBe(agentId);
    const assigned = await agentStream.next((e) => e.event === 'session.assigned');
    expect(assigned.data).toMatchObject({ session: { id, assigned_user_id: agentId }, assignee: { id: agentId, name: 'Anna' }, by: { id: owner.user.id } });
    const [hook] = await eventually(() => receiver!.received.length >= 1 && receiver!.received, 5000, 'the webhook');
    expect(hook!.type).toBe('session.assigned');

    // Someone of another business, an unknown id, and a disabled member are refused.
    const adminId = admin.user.id;
    expect(await code(await server.send('PUT', `/api/chat/sessions/${id}/assignee`, { user_id: adminId }, owner.bearer))).toBe('invalid_assignee');
    expect((await server.send('PUT', `/api/chat/sessions/${id}/assignee`, { user_id: 'not-a-uuid' }, owner.bearer)).status).toBe(400);
    const bruno = await json(await server.send('POST', '/api/team', { email: 'bruno@business.com', name: 'Bruno', role: 'agent', password: 'bruno-password-1' }, owner.bearer));
    expect((await server.send('PATCH', `/api/team/${bruno.id}`, { disabled: true }, owner.bearer)).status).toBe(200);
    expect(await code(await server.send('PUT', `/api/chat/sessions/${id}/assignee`, { user_id: bruno.id }, owner.bearer))).toBe('invalid_assignee');

    // Unassigning; an agent may assign too (chat.manage); another business's conversation is a 404.
    const cleared = await server.send('PUT', `/api/chat/sessions/${id}/assignee`, { user_id: null }, agent.bearer);
    expect((await json(cleared)).assigned_user_id).toBeNull();
    const platformSession = sid();
    await publicChat(server, { session_id: platformSession, message: 'hi' });
    expect((await server.send('PUT', `/api/chat/sessions/${platformSession}/assignee`, { user_id: agentId }, owner.bearer)).status).toBe(404);
    const audit = (await records(server).audit()).filter((a) => a.action === 'chat.assigned');
    expect(audit).toHaveLength(2);
  });
});

describe('filters', () => {
  it('return exactly the sessions that match label, assignee, status and channel', async () => {
    const urgent = await json(await server.send('POST', '/api/chat/labels', { name: 'Urgent', color: 'red' }, owner.bearer));
    const a = await conversation('widget');
    const b = await conversation('web');
    const c = await conversation('widget');
    await server.send('PUT', `/api/chat/sessions/${a}/labels`, { labels: [urgent.id] }, owner.bearer);
    await server.send('PUT', `/api/chat/sessions/${b}/labels`, { labels: [urgent.id] }, owner.bearer);
    await server.send('PUT', `/api/chat/sessions/${b}/assignee`, { user_id: agentId }, owner.bearer);
    // Closing clears the assignee; assigning a closed conversation (a follow-up) keeps it closed.
    await server.send('POST', `/api/chat/sessions/${c}/close`, undefined, owner.bearer);
    await server.send('PUT', `/api/chat/sessions/${c}/assignee`, { user_id: owner.user.id }, owner.bearer);

    const ours = new Set([a, b, c]);
    const list = async (query: string, who = owner) => {
      const res = await get(`/api/chat/sessions?limit=100&${query}`, who);
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await json(res)).data as { id: string }[]).map((s) => s.id).filter((s) => ours.has(s)).sort();
    };
    expect(await list(`label=${urgent.id}`)).toEqual([a, b].sort());
    expect(await list(`label=${urgent.id}&channel=web`)).toEqual([b]);
    expect(await list('channel=widget')).toEqual([a, c].sort());
    expect(await list('assignee=me', agent)).toEqual([b]);
    expect(await list('assignee=me')).toEqual([c]);
    expect(await list(`assignee=${agentId}`)).toEqual([b]);
    expect(await list('assignee=anyone')).toEqual([b, c].sort());
    expect(await list('assignee=unassigned')).toEqual([a]);
    expect(await list('status=closed&assignee=anyone')).toEqual([c]);
    expect(await list(`label=${urgent.id}&assignee=unassigned&status=bot`)).toEqual([a]);
    // The list shows each session's labels.
    const listed = (await json(await get(`/api/chat/sessions?label=${urgent.id}`, owner))).data as { labels: { name: string }[] }[];
    expect(listed.every((s) => s.labels.some((l) => l.name === 'Urgent'))).toBe(true);

    for (const bad of ['assignee=someone', 'channel=console', 'label=nope', 'status=open']) expect((await get(`/api/chat/sessions?${bad}`, owner)).status).toBe(400);
  });
});
