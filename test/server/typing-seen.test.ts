// Presence in a conversation (issue #23): typing indicators both ways (ephemeral: never stored,
// never replayed) and seen receipts (stored, announced as session.seen).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoKey, publicChat, sid, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { SseClient } from '../helpers/sse';

let server: TestServer;
let owner: Session;
let key: string;
const origin = 'http://localhost:5173';
const streams: SseClient[] = [];
beforeEach(async () => {
  server = await startTestServer();
  owner = await login(server, DEMO_OWNER);
  key = await demoKey(server);
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
const widget = (path: string, body: Record<string, unknown>) => server.send('POST', path, body, { 'X-Widget-Key': key, Origin: origin });
async function startConversation() {
  const session_id = sid();
  expect((await widgetChat(server, key, origin, { session_id, message: 'Hi there' })).status).toBe(200);
  return { session_id, id: (await records(server).session(session_id))!.id };
}

describe('typing indicators', () => {
  it('reach the other side\'s stream and are never stored nor replayed', async () => {
    const { session_id, id } = await startConversation();
    const visitor = await openStream(`/api/widget/stream?session_id=${session_id}&key=${key}`, { Origin: origin });
    const staff = await openStream('/api/events', owner.bearer);
    const before = (await records(server).events()).length;

    // A person types: the visitor's stream hears it, with their name, and no id.
    expect((await server.send('POST', `/api/chat/sessions/${id}/typing`, { typing: true }, owner.bearer)).status).toBe(204);
    const typing = await visitor.next((e) => e.event === 'typing');
    expect(typing.data).toEqual({ by: 'staff', name: expect.any(String), typing: true });
    expect(typing.id).toBeUndefined();
    // By the visitor's id too.
    expect((await server.send('POST', `/api/chat/sessions/${session_id}/typing`, { typing: false }, owner.bearer)).status).toBe(204);
    await visitor.next((e) => e.event === 'typing' && e.data.typing === false);

    // The visitor types: staff hear it.
    const res = await widget('/api/widget/typing', { session_id, typing: true });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    const heard = await staff.next((e) => e.event === 'typing');
    expect(heard.data).toEqual({ session_id: id, tenant_id: expect.any(String), by: 'visitor', typing: true });
    expect(heard.id).toBeUndefined();
    // Staff never hear their own typing, the visitor never their own.
    expect(staff.events.filter((e) => e.event === 'typing').every((e) => e.data.by === 'visitor')).toBe(true);
    expect(visitor.events.filter((e) => e.event === 'typing').every((e) => e.data.by === 'staff')).toBe(true);

    // Nothing stored: no event, and a resumed stream gets no typing.
    expect((await records(server).events()).length).toBe(before);
    const resumed = await openStream(`/api/widget/stream?session_id=${session_id}&key=${key}`, { Origin: origin, 'Last-Event-ID': '1' });
    expect((await server.send('POST', `/api/chat/sessions/${id}/seen`, {}, owner.bearer)).status).toBe(200);
    await resumed.next((e) => e.event === 'seen');
    expect(resumed.events.some((e) => e.event === 'typing')).toBe(false);
  });

  it('limits the rate per conversation side, and checks the tenant, key and origin', async () => {
    const { session_id, id } = await startConversation();
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await server.send('POST', `/api/chat/sessions/${id}/typing`, { typing: true }, owner.bearer)).status);
    expect(codes.slice(0, 4)).toEqual([204, 204, 204, 204]);
    expect(codes).toContain(429);
    // The visitor's side has its own allowance.
    const visitorCodes: number[] = [];
    for (let i = 0; i < 8; i++) visitorCodes.push((await widget('/api/widget/typing', { session_id, typing: true })).status);
    expect(visitorCodes[0]).toBe(204);
    expect(visitorCodes).toContain(429);

    // Another tenant's conversation: 404 to this tenant's staff; an unknown conversation: 404 to the widget.
    const other = sid();
    await publicChat(server, { session_id: other, message: 'hi' }); // the platform's business
    const otherId = (await records(server).session(other))!.id;
    expect((await server.send('POST', `/api/chat/sessions/${otherId}/typing`, { typing: true }, owner.bearer)).status).toBe(404);
    expect((await server.send('POST', `/api/chat/sessions/${otherId}/seen`, {}, owner.bearer)).status).toBe(404);
    expect((await widget('/api/widget/typing', { session_id: other, typing: true })).status).toBe(404);
    expect((await widget('/api/widget/seen', { session_id: other })).status).toBe(404);
    // Key, origin, body and sign-in rules.
    expect((await server.send('POST', '/api/widget/typing', { session_id, typing: true }, { 'X-Widget-Key': key, Origin: 'https://evil.example' })).status).toBe(403);
    expect((await server.send('POST', '/api/widget/typing', { session_id, typing: true }, { Origin: origin })).status).toBe(401);
    expect((await widget('/api/widget/typing', { session_id, typing: 'yes' })).status).toBe(400);
    expect((await server.send('POST', `/api/chat/sessions/${id}/typing`, { typing: true })).status).toBe(401);
  });
});

describe('seen receipts', () => {
  it('are stored, announced as session.seen, and shown to the other side', async () => {
    const { session_id, id } = await startConversation();
    const visitor = await openStream(`/api/widget/stream?session_id=${session_id}&key=${key}`, { Origin: origin });
    const staff = await openStream('/api/events', owner.bearer);

    // Staff read the conversation: stored, the visitor's stream hears `seen`, staff hear session.seen.
    const read = await server.send('POST', `/api/chat/sessions/${id}/seen`, {}, owner.bearer);
    expect(read.status).toBe(200);
    const receipt = await read.json();
    expect(receipt).toEqual({ by: 'staff', at: expect.any(String) });
    const seen = await visitor.next((e) => e.event === 'seen');
    expect(seen.data).toEqual({ at: receipt.at });
    expect(seen.id).toBeDefined();
    const announced = await staff.next((e) => e.event === 'session.seen');
    // (A staff frame's `at` is the event's time, a moment after the receipt's.)
    expect(announced.data).toMatchObject({ session_id: id, external_id: session_id, by: 'staff' });
    expect((await records(server).events()).find((e) => e.type === 'session.seen')!.data).toEqual({ session_id: id, external_id: session_id, by: 'staff', at: receipt.at });
    expect((await records(server).session(session_id))!.staff_seen_at).toBe(receipt.at);
    // The widget restores it after a reload; the transcript shows it to staff.
    const history = await (await server.fetch(`/api/widget/history?session_id=${session_id}`, { headers: { 'X-Widget-Key': key, Origin: origin } })).json();
    expect(history.staff_seen_at).toBe(receipt.at);

    // Again with nothing new: the same receipt, no second event.
    expect(await (await server.send('POST', `/api/chat/sessions/${id}/seen`, {}, owner.bearer)).json()).toEqual(receipt);
    expect((await records(server).events()).filter((e) => e.type === 'session.seen')).toHaveLength(1);

    // An agent replies; the visitor (widget open and visible) has seen it.
    await server.send('POST', `/api/chat/sessions/${id}/takeover`, {}, owner.bearer);
    await server.send('POST', '/api/chat/message', { session_id, message: 'Hello, Anna here' }, owner.bearer);
    const vis = await widget('/api/widget/seen', { session_id });
    expect(vis.status).toBe(200);
    expect(vis.headers.get('access-control-allow-origin')).toBe(origin);
    const visReceipt = await vis.json();
    expect(visReceipt).toEqual({ by: 'visitor', at: expect.any(String) });
    await staff.next((e) => e.event === 'session.seen' && e.data.by === 'visitor');
    const transcript = await (await server.fetch(`/api/chat/sessions/${id}`, { headers: owner.bearer })).json();
    expect(transcript.session.visitor_seen_at).toBe(visReceipt.at);
    // The visitor's own receipts never reach their stream.
    expect(visitor.events.filter((e) => e.event === 'seen')).toHaveLength(1);
    // Audit entries: none for receipts (nothing of the visitor's in the log).
    expect((await records(server).audit()).some((a) => a.action.includes('seen'))).toBe(false);
  });

  it('lets a platform admin reach another business\'s conversation', async () => {
    const { id } = await startConversation();
    const admin = await login(server, DEMO_ADMIN);
    expect((await server.send('POST', `/api/chat/sessions/${id}/seen`, {}, admin.bearer)).status).toBe(200);
    expect((await server.send('POST', `/api/chat/sessions/${id}/typing`, { typing: true }, admin.bearer)).status).toBe(204);
  });
});

describe('the widget\'s sound', () => {
  it('is off by default and follows the business\'s widget_sound setting', async () => {
    const config = async () => (await (await server.fetch('/api/widget/config', { headers: { 'X-Widget-Key': key, Origin: origin } })).json()).sound;
    expect(await config()).toBe(false);
    expect((await server.send('PATCH', '/api/tenant', { settings: { widget_sound: true } }, owner.bearer)).status).toBe(200);
    expect(await config()).toBe(true);
    expect((await server.send('PATCH', '/api/tenant', { settings: { widget_sound: 'loud' } }, owner.bearer)).status).toBe(400);
  });
});
