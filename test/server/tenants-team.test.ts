import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicChat, sid, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, TestClock, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: Session;
beforeEach(async () => {
  server = await startTestServer();
  admin = await login(server, DEMO_ADMIN);
});
afterEach(() => server.close());

async function createBaseTenant(password?: string) {
  const res = await server.send('POST', '/api/tenants', { name: 'Pasticceria Rossi', slug: 'pasticceria-rossi', plan_id: 'base', owner_email: 'anna@rossi.it', ...(password ? { owner_password: password } : {}) }, admin.bearer);
  expect(res.status).toBe(201);
  return res.json();
}

describe('tenants', () => {
  it('creates a business with owner, default persona and a closed live key; owners cannot', async () => {
    const created = await createBaseTenant('anna-password-1');
    expect(created.tenant).toMatchObject({ slug: 'pasticceria-rossi', plan_id: 'base', is_platform: false, settings: { onboarded: false } });
    expect(created.owner.invite_url).toBeNull();
    const anna = await login(server, { email: 'anna@rossi.it', password: 'anna-password-1' });
    expect(anna.user.role).toBe('owner');
    const personas = await (await server.fetch('/api/personas', { headers: anna.bearer })).json();
    expect(personas.data.map((p: { name: string; is_default: boolean }) => [p.name, p.is_default])).toEqual([['Bob', true]]);
    // The new key accepts no site until the owner lists one (closed by default).
    expect((await widgetChat(server, created.widget_key.key, 'http://localhost:3000', { session_id: sid(), message: 'hi' })).status).toBe(403);

    expect((await server.send('POST', '/api/tenants', { name: 'X', slug: 'pasticceria-rossi', plan_id: 'base', owner_email: 'x@x.it' }, admin.bearer)).status).toBe(409);
    expect((await server.send('POST', '/api/tenants', { name: 'X', slug: 'x-co', plan_id: 'gold', owner_email: 'x@x.it' }, admin.bearer)).status).toBe(400);
    expect((await server.send('POST', '/api/tenants', { name: 'X', slug: 'Bad Slug', plan_id: 'base', owner_email: 'x@x.it' }, admin.bearer)).status).toBe(400);
    const owner = await login(server, DEMO_OWNER);
    expect((await server.send('POST', '/api/tenants', { name: 'X', slug: 'x-co', plan_id: 'base', owner_email: 'x@x.it' }, owner.bearer)).status).toBe(403);
  });

  it('invites an owner without a password with a one-time link', async () => {
    const created = await createBaseTenant();
    const token = created.owner.invite_url.split('/invite/')[1];
    expect(created.owner.invite_url).toMatch(/\/app\/#\/invite\//);
    expect(await (await server.fetch(`/api/auth/invite?token=${token}`)).json()).toMatchObject({ email: 'anna@rossi.it', business_name: 'Pasticceria Rossi' });
    expect((await server.send('POST', '/api/auth/login', { email: 'anna@rossi.it', password: 'anything-at-all' })).status).toBe(401);
    // Accepting signs the person in, like a login: the body is a session and the cookie is set.
    const accepted = await server.send('POST', '/api/auth/accept-invite', { token, password: 'anna-chosen-pass' });
    expect(accepted.status).toBe(200);
    const session = await accepted.json();
    expect(session).toMatchObject({ user: { email: 'anna@rossi.it', role: 'owner', tenant_id: created.tenant.id } });
    expect(accepted.headers.get('set-cookie')).toMatch(/^bob_session=[^;]+;.*httponly/i);
    const me = await server.fetch('/api/auth/me', { headers: { Authorization: `Bearer ${session.token}` } });
    expect((await me.json()).user.email).toBe('anna@rossi.it');
    expect((await server.send('POST', '/api/auth/accept-invite', { token, password: 'second-time-pass' })).status).toBe(404);
    await login(server, { email: 'anna@rossi.it', password: 'anna-chosen-pass' });
    expect((await records(server).invites())[0]?.token_hash).not.toContain(token);
  });

  it('lets an owner edit settings and finish onboarding, but not change the plan', async () => {
    const owner = await login(server, DEMO_OWNER);
    const res = await server.send('PATCH', '/api/tenant', { settings: { greeting: 'Benvenuti!', onboarded: true } }, owner.bearer);
    expect(res.status).toBe(200);
    expect((await res.json()).settings).toMatchObject({ greeting: 'Benvenuti!', onboarded: true, languages: ['en', 'it'] });
    expect((await server.send('PATCH', '/api/tenant', { plan_id: 'enterprise' }, owner.bearer)).status).toBe(403);
    expect((await server.send('PATCH', '/api/tenant', { settings: { theme_color: 'blue' } }, owner.bearer)).status).toBe(400);
    expect((await server.send('PATCH', '/api/tenant?business_id=business-co', { plan_id: 'enterprise' }, admin.bearer)).status).toBe(200);
  });
});

describe('business list and plans (platform admin)', () => {
  type Row = { slug: string; plan_id: string; owner: { name: string; email: string } | null; usage: { month: string; conversations: number; credits_used: number; credits_allowance: number } };
  const list = async (who = admin) => (await (await server.fetch('/api/tenants', { headers: who.bearer })).json()) as { data: Row[] };
  const row = async (slug: string) => (await list()).data.find((r) => r.slug === slug)!;

  it('lists each business with its owner, plan and this month\'s conversations and AI credits', async () => {
    const clock = new TestClock();
    await server.close();
    server = await startTestServer({ clock });
    admin = await login(server, DEMO_ADMIN);
    const pricebook = await (await server.fetch('/api/pricebook')).json();
    const before = await row('business-co');
    expect(before.owner).toMatchObject({ email: 'customer@business.com' });
    expect(before.usage.month).toBe(new Date().toISOString().slice(0, 7));
    expect(before.usage.credits_allowance).toBe(pricebook.plans.find((p: { id: string }) => p.id === before.plan_id).credits_month);

    expect((await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'Do you deliver?' })).status).toBe(200);
    const after = await row('business-co');
    expect(after.usage.conversations).toBe(before.usage.conversations + 1);
    expect(after.usage.credits_used).toBe(before.usage.credits_used + pricebook.credits_per_ai_reply);
    expect((await row('office16852-platform')).owner).toBeNull();

    const created = await createBaseTenant();
    const rossi = await row('pasticceria-rossi');
    expect(rossi).toMatchObject({ plan_id: 'base', owner: { name: 'Pasticceria Rossi', email: 'anna@rossi.it' }, usage: { conversations: 0, credits_used: 0 } });
    expect(created.owner.invite_url).toContain('/invite/');

    // Next month starts from zero.
    clock.advance(32 * 86_400_000);
    admin = await login(server, DEMO_ADMIN); // the first session has expired by then
    expect((await row('business-co')).usage).toMatchObject({ month: clock.now().toISOString().slice(0, 7), conversations: 0, credits_used: 0 });
    expect((await server.fetch('/api/tenants', { headers: (await login(server, DEMO_OWNER)).bearer })).status).toBe(403);
  });

  it('moves a business to another plan by id or slug: published plans only, admins only, audited', async () => {
    const was = (await row('business-co')).plan_id;
    const res = await server.send('PATCH', '/api/tenants/business-co', { plan_id: 'pro' }, admin.bearer);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ slug: 'business-co', plan_id: 'pro' });
    const pricebook = await (await server.fetch('/api/pricebook')).json();
    expect(await row('business-co')).toMatchObject({ plan_id: 'pro', usage: { credits_allowance: pricebook.plans.find((p: { id: string }) => p.id === 'pro').credits_month } });
    const entry = (await records(server).audit()).filter((a) => a.action === 'tenant.updated').at(-1)!;
    expect(entry.actor_email).toBe(DEMO_ADMIN.email);
    expect([JSON.parse(entry.before!).plan_id, JSON.parse(entry.after!).plan_id]).toEqual([was, 'pro']);

    const id = (await records(server).tenant('business-co'))!.id;
    expect((await (await server.send('PATCH', `/api/tenants/${id}`, { plan_id: 'base' }, admin.bearer)).json()).plan_id).toBe('base');
    expect((await server.send('PATCH', '/api/tenants/business-co', { plan_id: 'gold' }, admin.bearer)).status).toBe(400);
    expect((await server.send('PATCH', '/api/tenants/business-co', {}, admin.bearer)).status).toBe(400);
    expect((await server.send('PATCH', '/api/tenants/no-such-business', { plan_id: 'pro' }, admin.bearer)).status).toBe(404);
    const owner = await login(server, DEMO_OWNER);
    expect((await server.send('PATCH', '/api/tenants/business-co', { plan_id: 'enterprise' }, owner.bearer)).status).toBe(403);
    expect((await row('business-co')).plan_id).toBe('base');
  });
});

describe('team', () => {
  it('keeps a Base tenant within 3 seats', async () => {
    await createBaseTenant('anna-password-1');
    const anna = await login(server, { email: 'anna@rossi.it', password: 'anna-password-1' });
    for (const n of [1, 2]) {
      const res = await server.send('POST', '/api/team', { email: `agent${n}@rossi.it`, name: `Agent ${n}`, role: 'agent', password: 'agent-password-1' }, anna.bearer);
      expect(res.status).toBe(201);
    }
    const list = await (await server.fetch('/api/team', { headers: anna.bearer })).json();
    expect(list.seats).toEqual({ used: 3, limit: 3 });
    const fourth = await server.send('POST', '/api/team', { email: 'agent3@rossi.it', name: 'Agent 3', role: 'agent' }, anna.bearer);
    expect(fourth.status).toBe(409);
    expect((await fourth.json()).error.code).toBe('seat_limit_reached');

    // Freeing a seat makes room; the removed member's sessions end.
    const agent1 = list.data.find((m: { email: string }) => m.email === 'agent1@rossi.it');
    const a1 = await login(server, { email: 'agent1@rossi.it', password: 'agent-password-1' });
    expect((await server.fetch(`/api/team/${agent1.id}`, { method: 'DELETE', headers: anna.bearer })).status).toBe(204);
    expect((await server.fetch('/api/auth/me', { headers: a1.bearer })).status).toBe(401);
    const invited = await server.send('POST', '/api/team', { email: 'agent3@rossi.it', name: 'Agent 3', role: 'agent' }, anna.bearer);
    expect(invited.status).toBe(201);
    expect((await invited.json()).invite_url).toContain('/invite/');
    expect((await server.send('PATCH', `/api/team/${agent1.id}`, { disabled: false }, anna.bearer)).status).toBe(409);
    const audit = (await records(server).audit()).map((a) => a.action).filter((a) => a.startsWith('team.'));
    expect(audit).toEqual(['team.member_added', 'team.member_added', 'team.member_updated', 'team.member_added']);
    expect(JSON.stringify((await records(server).audit()).map(({ before, after }) => ({ before, after })))).not.toContain('agent-password-1');
  });

  it('keeps one owner, limits roles, rejects duplicates and isolates tenants', async () => {
    const owner = await login(server, DEMO_OWNER);
    const me = (await (await server.fetch('/api/team', { headers: owner.bearer })).json()).data[0];
    expect((await server.send('PATCH', `/api/team/${me.id}`, { role: 'agent' }, owner.bearer)).status).toBe(409);
    expect((await server.fetch(`/api/team/${me.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(409);
    expect((await server.send('POST', '/api/team', { email: 'boss@business.com', name: 'Boss', role: 'admin' }, owner.bearer)).status).toBe(400);
    expect((await server.send('POST', '/api/team', { email: DEMO_ADMIN.email, name: 'Dup', role: 'agent' }, owner.bearer)).status).toBe(409);
    const adminMe = (await (await server.fetch('/api/team', { headers: admin.bearer })).json()).data[0];
    expect((await server.send('PATCH', `/api/team/${adminMe.id}`, { name: 'pwned' }, owner.bearer)).status).toBe(404);
    const agent = await (await server.send('POST', '/api/team', { email: 'agent@business.com', name: 'Agent', role: 'agent', password: 'agent-password-1' }, owner.bearer)).json();
    const agentSession = await login(server, { email: agent.email, password: 'agent-password-1' });
    expect((await server.fetch('/api/team', { headers: agentSession.bearer })).status).toBe(403);
  });
});
