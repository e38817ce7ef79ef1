import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

describe('GET /api/audit', () => {
  it('shows the tenant\'s changes, filtered and paged, without secrets', async () => {
    const owner = await login(server, DEMO_OWNER);
    const key = await (await server.send('POST', '/api/widget-keys', { label: 'Shop', allowed_origins: ['https://shop.example.com'] }, owner.bearer)).json();
    await server.fetch(`/api/widget-keys/${key.id}`, { method: 'DELETE', headers: owner.bearer });
    await server.send('POST', '/api/auth/password', { current_password: DEMO_OWNER.password, new_password: 'brand-new-password-1' }, owner.bearer);

    const all = await (await server.fetch('/api/audit', { headers: owner.bearer })).json();
    const actions = all.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'widget_key.created', 'widget_key.revoked', 'auth.password_changed']));
    expect(all.data[0]).toMatchObject({ actor_email: DEMO_OWNER.email, ip: expect.any(String) });
    const text = JSON.stringify(all);
    for (const secret of [DEMO_OWNER.password, 'brand-new-password-1', owner.token, key.key]) expect(text).not.toContain(secret);

    const keysOnly = await (await server.fetch('/api/audit?action=widget_key.', { headers: owner.bearer })).json();
    expect(keysOnly.data.every((e: { action: string }) => e.action.startsWith('widget_key.'))).toBe(true);
    expect(keysOnly.data).toHaveLength(2);

    const first = await (await server.fetch('/api/audit?limit=2', { headers: owner.bearer })).json();
    const second = await (await server.fetch(`/api/audit?limit=2&cursor=${first.next_cursor}`, { headers: owner.bearer })).json();
    const ids = [...first.data, ...second.data].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('keeps tenants apart and needs audit.view', async () => {
    const owner = await login(server, DEMO_OWNER);
    const admin = await login(server, DEMO_ADMIN);
    const mine = await (await server.fetch('/api/audit', { headers: owner.bearer })).json();
    expect(mine.data.every((e: { actor_email: string }) => e.actor_email === DEMO_OWNER.email)).toBe(true);
    expect((await server.fetch('/api/audit?business_id=office16852-platform', { headers: owner.bearer })).status).toBe(404);
    const theirs = await (await server.fetch('/api/audit?business_id=business-co', { headers: admin.bearer })).json();
    expect(theirs.data.some((e: { actor_email: string }) => e.actor_email === DEMO_OWNER.email)).toBe(true);
    expect((await server.fetch('/api/audit')).status).toBe(401);
    expect((await server.fetch('/api/audit?cursor=garbage', { headers: owner.bearer })).status).toBe(400);
  });

  it('filters by person and date, and names each target as Mission Control does', async () => {
    const admin = await login(server, DEMO_ADMIN);
    const member = (await (await server.send('POST', '/api/team', { email: 'marta@office16852.com', name: 'Marta Bianchi', role: 'agent', password: 'marta-password-1' }, admin.bearer)).json()) as { id: string };
    await login(server, { email: 'marta@office16852.com', password: 'marta-password-1' });
    const session_id = sid();
    await publicChat(server, { session_id, message: 'voglio parlare con un operatore' });
    const chat = (await records(server).session(session_id))!.id;
    await server.send('POST', `/api/chat/sessions/${chat}/takeover`, {}, admin.bearer);
    const hook = await (await server.send('POST', '/api/webhooks', { url: 'https://93.184.215.14/in/secret-token', enabled: false }, admin.bearer)).json();
    await server.fetch(`/api/webhooks/${hook.id}`, { method: 'DELETE', headers: admin.bearer });
    const get = async (q: string) => (await (await server.fetch(`/api/audit?${q}`, { headers: admin.bearer })).json()).data as Record<string, unknown>[];

    const theirs = await get(`actor_id=${member.id}`);
    expect(theirs.map((e) => [e.action, e.actor_name])).toEqual([['auth.login', 'Marta Bianchi']]);
    expect((await get(`actor_id=${member.id}&action=chat.`))).toEqual([]);

    const [takeover] = await get('action=chat.takeover');
    expect(takeover).toMatchObject({ target_type: 'chat_session', target_id: chat, session_id, target_name: null, actor_name: 'Office Admin' });
    expect((await get('action=team.member_added'))[0]).toMatchObject({ target_id: member.id, target_name: 'Marta Bianchi' });
    // The endpoint is gone: it keeps the name it had, and only its host (the path held a token).
    expect((await get('action=webhook.deleted'))[0]).toMatchObject({ target_name: '93.184.215.14' });

    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(await get(`to=${yesterday}T00:00:00.000Z`)).toEqual([]);
    expect((await get(`from=${today}T00:00:00.000Z&action=chat.`)).length).toBe(1);
  });
});
