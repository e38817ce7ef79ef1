// Issue #23, when nobody is there: out of hours or a handoff not taken in time, the visitor leaves
// an email and a message; the agent's reply reaches them by email (a local SMTP server started
// here) and in the widget's history; Settings → Email keeps its password to itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { everyRow } from '../helpers/raw-sql';
import { startSmtp as startLocalSmtp } from '../helpers/smtp';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, TestClock, type Session, type TestServer } from '../helpers/server';

const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'smtp-secret-Xq93';
const startSmtp = () => startLocalSmtp(PASSWORD);

const ALWAYS_CLOSED = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const ALWAYS_OPEN = Object.fromEntries(Object.keys(ALWAYS_CLOSED).map((d) => [d, [['00:00', '24:00']]]));

let server: TestServer;
let clock: TestClock;
let owner: Session;
let key: string;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeEach(async () => {
  clock = new TestClock();
  // The local SMTP server listens on 127.0.0.1: allowed only with BOB_ALLOW_PRIVATE_SMTP=1.
  server = await startTestServer({ clock, env: { BOB_ALLOW_PRIVATE_SMTP: '1' } });
  owner = await login(server, DEMO_OWNER);
  key = await demoKey(server);
  smtp = await startSmtp();
});
afterEach(async () => {
  await server.close();
  await smtp.close();
});

const W = { 'X-Widget-Key': '', Origin: ORIGIN };
const widget = () => ({ ...W, 'X-Widget-Key': key });
const config = async (session?: string) =>
  (await (await server.fetch(`/api/widget/config?language=en${session ? `&session_id=${session}` : ''}`, { headers: widget() })).json()) as { available: boolean; reason?: string };
const setHours = (hours: unknown, extra: Record<string, unknown> = {}) => server.send('PATCH', '/api/tenant', { settings: { hours, timezone: 'UTC', ...extra } }, owner.bearer);
const saveEmail = (port: number, extra: Record<string, unknown> = {}) =>
  server.send('PUT', '/api/settings/email', { host: '127.0.0.1', port, secure: false, user: 'bob', password: PASSWORD, from: 'shop@business.example', ...extra }, owner.bearer);
const callback = (body: Record<string, unknown>) => server.send('POST', '/api/widget/callback', body, widget());
const history = async (session: string) =>
  (await (await server.fetch(`/api/widget/history?session_id=${session}`, { headers: widget() })).json()) as { messages: { author: string; body: string }[] };
const events = async (type: string) => (await everyRow(server.database.storage)).events!.filter((e) => e.type === type);

describe('when nobody is there', () => {
  it('out of hours: config says unavailable; the request is stored with an event; the reply goes by email and into the history', async () => {
    // The demo business has opening hours, so what config says at first depends on the time of day.
    expect((await setHours(null)).status).toBe(200);
    expect((await config()).available).toBe(true); // hours unknown: nobody guesses
    expect((await setHours(ALWAYS_CLOSED)).status).toBe(200);
    expect(await config()).toMatchObject({ available: false, reason: 'closed' });
    expect((await setHours(ALWAYS_OPEN)).status).toBe(200);
    expect(await config()).toMatchObject({ available: true });
    await setHours(ALWAYS_CLOSED);

    expect((await saveEmail(smtp.port)).status).toBe(200);
    const session = sid();
    const created = await callback({ session_id: session, email: 'visitor@example.com', message: 'Do you ship to Milan?' });
    expect(created.status).toBe(200);
    expect(created.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const { id } = (await created.json()) as { id: string };
    const requested = await events('callback.requested');
    expect(requested).toHaveLength(1);
    expect(String(requested[0]!.data)).not.toContain('visitor@example.com');

    const list = (await (await server.fetch('/api/callbacks', { headers: owner.bearer })).json()) as { items: { id: string; email: string; message: string; reason: string; status: string }[] };
    expect(list.items).toEqual([expect.objectContaining({ id, email: 'visitor@example.com', message: 'Do you ship to Milan?', reason: 'closed', status: 'open' })]);

    const replied = await server.send('POST', `/api/callbacks/${id}/reply`, { message: 'Yes, in two days.' }, owner.bearer);
    expect(replied.status).toBe(200);
    expect(await replied.json()).toMatchObject({ emailed: true, request: { status: 'answered' } });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['visitor@example.com']);
    expect(mail.from).toBe('shop@business.example');
    expect(mail.data).toMatch(/^Subject: Reply from /m);
    expect(mail.data).toContain('Yes, in two days.');
    expect(await events('callback.answered')).toHaveLength(1);

    const h = await history(session);
    expect(h.messages.map((m) => [m.author, m.body])).toEqual([['visitor', 'Do you ship to Milan?'], ['agent', 'Yes, in two days.']]);
    // Answered: out of the open queue; answering again is a conflict.
    expect(((await (await server.fetch('/api/callbacks', { headers: owner.bearer })).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await server.send('POST', `/api/callbacks/${id}/reply`, { message: 'again' }, owner.bearer)).status).toBe(409);
  });

  it('a handoff nobody takes within the timeout: config says no_one and the conversation is told once', async () => {
    await setHours(null, { handoff_timeout_minutes: 5 });
    const session = sid();
    expect((await widgetChat(server, key, ORIGIN, { session_id: session, message: 'I would like to talk to a person' })).status).toBe(200);
    expect((await config(session)).available).toBe(true);
    expect(await server.app.callbacks.sweep()).toBe(0);
    clock.advance(5 * 60_000 + 1000);
    expect(await config(session)).toMatchObject({ available: false, reason: 'no_one' });
    expect((await config()).available).toBe(true); // other visitors: someone may still answer
    expect(await server.app.callbacks.sweep()).toBe(1);
    expect(await server.app.callbacks.sweep()).toBe(0);
    expect((await history(session)).messages.at(-1)).toMatchObject({ author: 'system', body: expect.stringContaining('Nobody is here right now') });
    expect(await events('callback.offered')).toHaveLength(1);
    const created = await callback({ session_id: session, phone: '+39 02 1234567', message: 'Call me back please' });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    // No email address: answered in the conversation only.
    const replied = await server.send('POST', `/api/callbacks/${id}/reply`, { message: 'We will call you.' }, owner.bearer);
    expect(await replied.json()).toMatchObject({ emailed: false, request: { reason: 'no_one', phone: '+39 02 1234567' } });
    expect(smtp.mails).toHaveLength(0);
  });

  it('Settings → Email: send test works and fails clearly; the password never shows in GET, audit or logs', async () => {
    expect((await server.send('POST', '/api/settings/email/test', { to: 'me@example.com' }, owner.bearer)).status).toBe(409);
    expect((await saveEmail(smtp.port)).status).toBe(200);
    const got = (await (await server.fetch('/api/settings/email', { headers: owner.bearer })).json()) as Record<string, unknown>;
    expect(got).toEqual({ configured: true, host: '127.0.0.1', port: smtp.port, secure: false, user: 'bob', from: 'shop@business.example', password_set: true });
    const ok = await server.send('POST', '/api/settings/email/test', { to: 'me@example.com' }, owner.bearer);
    expect(await ok.json()).toEqual({ ok: true });
    expect(smtp.mails.at(-1)!.to).toEqual(['me@example.com']);

    // Saved again without a password: the stored one is kept.
    expect((await saveEmail(smtp.port, { password: undefined })).status).toBe(200);
    expect((await server.send('POST', '/api/settings/email/test', { to: 'me@example.com' }, owner.bearer)).status).toBe(200);
    expect(smtp.mails).toHaveLength(2);

    // A wrong password, then a closed port: ok false with the SMTP error.
    await saveEmail(smtp.port, { password: 'wrong-password' });
    const badAuth = (await (await server.send('POST', '/api/settings/email/test', { to: 'me@example.com' }, owner.bearer)).json()) as { ok: boolean; error: string };
    expect(badAuth.ok).toBe(false);
    expect(badAuth.error).toMatch(/Invalid credentials|auth/i);
    const closed = await startSmtp();
    const deadPort = closed.port;
    await closed.close();
    await saveEmail(deadPort);
    const bad = (await (await server.send('POST', '/api/settings/email/test', { to: 'me@example.com' }, owner.bearer)).json()) as { ok: boolean; error: string };
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/ECONNREFUSED/);

    const audit = await (await server.fetch('/api/audit?limit=100', { headers: owner.bearer })).text();
    expect(audit).toContain('email.settings_updated');
    expect(audit).not.toContain(PASSWORD);
    expect(server.logs.join('\n')).not.toContain(PASSWORD);
    expect(JSON.stringify((await everyRow(server.database.storage)).audit_log)).not.toContain(PASSWORD);
  });

  it('another business gets 404; bad input 400; another origin 403; requests are rate limited', async () => {
    await setHours(ALWAYS_CLOSED);
    const created = await callback({ session_id: sid(), email: 'v@example.com', message: 'hello' });
    const { id } = (await created.json()) as { id: string };
    const admin = await login(server, DEMO_ADMIN);
    // The platform admin's own business does not have it.
    expect((await server.send('POST', `/api/callbacks/${id}/reply`, { message: 'x' }, admin.bearer)).status).toBe(404);
    expect((await server.send('POST', `/api/callbacks/${id}/reply?business_id=business-co`, { message: 'x' }, admin.bearer)).status).toBe(200);

    expect((await callback({ session_id: sid(), message: 'no contact' })).status).toBe(400);
    expect((await callback({ session_id: sid(), email: 'not-an-email', message: 'x' })).status).toBe(400);
    expect((await callback({ session_id: sid(), phone: 'call me', message: 'x' })).status).toBe(400);
    expect((await callback({ session_id: sid(), email: 'v@example.com', message: '' })).status).toBe(400);
    expect((await saveEmail(70000)).status).toBe(400);
    expect((await server.send('POST', '/api/widget/callback', { session_id: sid(), email: 'v@example.com', message: 'x' }, { 'X-Widget-Key': key, Origin: 'https://evil.example' })).status).toBe(403);

    const s = sid();
    for (let i = 0; i < 3; i++) expect((await callback({ session_id: s, email: 'v@example.com', message: `m${i}` })).status).toBe(200);
    expect((await callback({ session_id: s, email: 'v@example.com', message: 'm4' })).status).toBe(429);
  });

  it('the SMTP host passes the webhooks\' address guard: loopback and private hosts refused unless BOB_ALLOW_PRIVATE_SMTP=1', async () => {
    const strict = await startTestServer({ clock });
    try {
      const o = await login(strict, DEMO_OWNER);
      const put = (host: string) => strict.send('PUT', '/api/settings/email', { host, port: smtp.port, secure: false, user: '', from: 'shop@business.example' }, o.bearer);
      for (const host of ['127.0.0.1', 'localhost', '10.0.0.5', '192.168.1.10', '169.254.169.254', '[::1]']) {
        const res = await put(host);
        expect(res.status, host).toBe(400);
        expect(await res.text(), host).toContain('BOB_ALLOW_PRIVATE_SMTP');
      }
      expect(((await (await strict.fetch('/api/settings/email', { headers: o.bearer })).json()) as { configured: boolean }).configured).toBe(false);
    } finally {
      await strict.close();
    }
    // Allowed here; a saved private host is checked again before each connection elsewhere.
    expect((await saveEmail(smtp.port)).status).toBe(200);
  });
});
