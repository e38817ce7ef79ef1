import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, DEMO_OWNER, TestClock, login, startTestServer, type TestServer } from '../../../../test/helpers/server';
import { createTenantsRepo } from '../tenants/tenants.repo';
import { records } from '../../../../test/helpers/db';
import { requestFrom } from '../../../../test/helpers/from-address';
import { hashPassword } from './passwords';
import { SESSION_TTL_MS } from './auth.service';

let server: TestServer;
let clock: TestClock;
beforeEach(async () => {
  clock = new TestClock();
  server = await startTestServer({ clock });
});
afterEach(() => server.close());

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('login', () => {
  it.each([
    [DEMO_ADMIN, 'admin', 'tenants.manage'],
    [DEMO_OWNER, 'owner', 'team.manage'],
  ])('signs in %s with a token, CSRF token and an HttpOnly cookie', async (who, role, permission) => {
    const res = await server.send('POST', '/api/auth/login', who);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.token.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url
    expect(body.csrf_token).toBeTruthy();
    expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now());
    expect(body.user).toMatchObject({ email: who.email, role });
    expect(body.user.permissions).toContain(permission);
    expect(body.user).not.toHaveProperty('password_hash');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('bob_session='))!;
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
    expect(cookie).toContain(body.token);
  });

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await server.send('POST', '/api/auth/login', { email: DEMO_ADMIN.email, password: 'nope' });
    const unknown = await server.send('POST', '/api/auth/login', { email: 'nobody@example.com', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await errorOf(wrong), await errorOf(unknown)];
    expect(a).toEqual(b);
    expect(a.code).toBe('invalid_credentials');
  });

  it('after 5 failures on an account answers 429 with Retry-After, even with the right password, until the delay has passed', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await server.send('POST', '/api/auth/login', { email: DEMO_OWNER.email, password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const sixth = await server.send('POST', '/api/auth/login', { email: DEMO_OWNER.email, password: 'wrong-6' });
    expect(sixth.status).toBe(429);
    expect((await errorOf(sixth)).code).toBe('rate_limited');
    expect(sixth.headers.get('Retry-After')).toBe('1');
    expect((await server.send('POST', '/api/auth/login', DEMO_OWNER)).status).toBe(429);
    // Another account from the same IP is not locked out.
    expect((await server.send('POST', '/api/auth/login', DEMO_ADMIN)).status).toBe(200);
    clock.advance(1000);
    expect((await server.send('POST', '/api/auth/login', DEMO_OWNER)).status).toBe(200);
  });

  it('doubles the wait after each further failure and starts over after a success', async () => {
    const wrong = () => server.send('POST', '/api/auth/login', { email: DEMO_OWNER.email, password: 'nope' });
    for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
    const waits: string[] = [];
    for (let i = 0; i < 4; i++) {
      const refused = await wrong();
      expect(refused.status).toBe(429);
      waits.push(refused.headers.get('Retry-After')!);
      clock.advance(Number(waits[i]) * 1000);
      expect((await wrong()).status).toBe(401);
    }
    expect(waits).toEqual(['1', '2', '4', '8']);
    const refused = await server.send('POST', '/api/auth/login', DEMO_OWNER);
    expect(refused.headers.get('Retry-After')).toBe('16');
    clock.advance(16_000);
    expect((await server.send('POST', '/api/auth/login', DEMO_OWNER)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
  });

  it('throttles guesses at one account from 30 different addresses', async () => {
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 2; i <= 31; i++) {
      const res = await requestFrom(`127.0.0.${i}`, `${server.url}/api/auth/login`, { method: 'POST', body: { email: DEMO_ADMIN.email, password: `guess-${i}` } });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.json?.error?.code).toBe('rate_limited');
        retryAfter ??= res.headers['retry-after'];
      }
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(25).fill(429));
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // The owner of the account still gets in once the delay has passed, from anywhere.
    clock.advance(Number(retryAfter) * 1000);
    const ok = await requestFrom('127.0.0.32', `${server.url}/api/auth/login`, { method: 'POST', body: DEMO_ADMIN });
    expect(ok.status).toBe(200);
  });

  it('throttles one address guessing at 40 different emails', async () => {
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 40; i++) {
      const res = await requestFrom('127.0.0.40', `${server.url}/api/auth/login`, { method: 'POST', body: { email: `user-${i}@example.com`, password: 'password1' } });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.json?.error?.code).toBe('rate_limited');
        retryAfter ??= res.headers['retry-after'];
      }
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(20).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(14 * 60);
    // Only that address: others sign in as usual; it may again once its window has passed.
    expect((await requestFrom('127.0.0.41', `${server.url}/api/auth/login`, { method: 'POST', body: DEMO_ADMIN })).status).toBe(200);
    expect((await requestFrom('127.0.0.40', `${server.url}/api/auth/login`, { method: 'POST', body: DEMO_ADMIN })).status).toBe(429);
    clock.advance(Number(retryAfter) * 1000);
    expect((await requestFrom('127.0.0.40', `${server.url}/api/auth/login`, { method: 'POST', body: DEMO_ADMIN })).status).toBe(200);
  });

  it('keys the per-address limit on the forwarded client IP only when BOB_TRUST_PROXY=1', async () => {
    const failFrom = (target: TestServer, ip: string, i: number) =>
      target.send('POST', '/api/auth/login', { email: `user-${i}@example.com`, password: 'nope' }, { 'X-Forwarded-For': ip });
    for (let i = 0; i < 20; i++) await failFrom(server, '203.0.113.1', i);
    // Without trust, the header is ignored: every "client" is the proxy, all throttled together.
    expect((await failFrom(server, '203.0.113.2', 20)).status).toBe(429);
    const proxied = await startTestServer({ env: { BOB_TRUST_PROXY: '1' } });
    try {
      for (let i = 0; i < 20; i++) expect((await failFrom(proxied, '203.0.113.1', i)).status).toBe(401);
      expect((await failFrom(proxied, '203.0.113.1', 20)).status).toBe(429);
      expect((await failFrom(proxied, '203.0.113.2', 21)).status).toBe(401);
      const login = await proxied.send('POST', '/api/auth/login', DEMO_ADMIN, { 'X-Forwarded-For': '198.51.100.7', 'X-Forwarded-Proto': 'https' });
      expect(login.headers.getSetCookie()[0]).toMatch(/secure/i);
    } finally {
      await proxied.close();
    }
  });

  it('rejects malformed JSON, a wrong content type and a missing field as client errors', async () => {
    const malformed = await server.send('POST', '/api/auth/login', '{"email": ');
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).code).toBe('invalid_request');
    const text = await server.fetch('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hi' });
    expect(text.status).toBe(415);
    expect((await errorOf(text)).code).toBe('unsupported_media_type');
    const missing = await server.send('POST', '/api/auth/login', { email: DEMO_ADMIN.email });
    expect(missing.status).toBe(400);
    const body = await missing.json();
    expect(body.error.details[0].path).toEqual(['body', 'password']);
    const huge = await server.send('POST', '/api/auth/login', { email: DEMO_ADMIN.email, password: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).code).toBe('payload_too_large');
  });
});

describe('sessions', () => {
  it('/api/auth/me works with Bearer and with the cookie, and is 401 without either', async () => {
    const s = await login(server, DEMO_ADMIN);
    const bearer = await server.fetch('/api/auth/me', { headers: s.bearer });
    expect(bearer.status).toBe(200);
    expect((await bearer.json()).user.email).toBe(DEMO_ADMIN.email);
    const cookie = await server.fetch('/api/auth/me', { headers: { Cookie: s.cookie } });
    expect(cookie.status).toBe(200);
    expect((await cookie.json()).csrf_token).toBe(s.csrf);
    const none = await server.fetch('/api/auth/me');
    expect(none.status).toBe(401);
    expect((await errorOf(none)).code).toBe('unauthenticated');
    const bogus = await server.fetch('/api/auth/me', { headers: { Authorization: 'Bearer not-a-token' } });
    expect(bogus.status).toBe(401);
  });

  it('needs X-CSRF-Token on cookie writes but not with Bearer', async () => {
    const s = await login(server, DEMO_ADMIN);
    const without = await server.fetch('/api/auth/logout', { method: 'POST', headers: { Cookie: s.cookie } });
    expect(without.status).toBe(403);
    expect((await errorOf(without)).code).toBe('csrf_failed');
    const wrong = await server.fetch('/api/auth/logout', { method: 'POST', headers: { Cookie: s.cookie, 'X-CSRF-Token': 'x'.repeat(43) } });
    expect(wrong.status).toBe(403);
    const ok = await server.fetch('/api/auth/logout', { method: 'POST', headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf } });
    expect(ok.status).toBe(204);

    const b = await login(server, DEMO_ADMIN);
    expect((await server.fetch('/api/auth/logout', { method: 'POST', headers: b.bearer })).status).toBe(204);
  });

  it('refuses a logged-out token and an expired one', async () => {
    const s = await login(server, DEMO_OWNER);
    expect((await server.fetch('/api/auth/logout', { method: 'POST', headers: s.bearer })).status).toBe(204);
    expect((await server.fetch('/api/auth/me', { headers: s.bearer })).status).toBe(401);
    expect((await server.fetch('/api/auth/me', { headers: { Cookie: s.cookie } })).status).toBe(401);

    const t = await login(server, DEMO_OWNER);
    expect((await server.fetch('/api/auth/me', { headers: t.bearer })).status).toBe(200);
    clock.advance(SESSION_TTL_MS + 1000);
    expect((await server.fetch('/api/auth/me', { headers: t.bearer })).status).toBe(401);
  });

  it('stores only a hash of the token', async () => {
    const s = await login(server, DEMO_ADMIN);
    const rows = await records(server).tokenHashes();
    expect(rows.length).toBe(1);
    expect(rows[0]).not.toContain(s.token);
    expect(rows[0]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('permissions', () => {
  async function addAgent() {
    const tenantId = (await records(server).tenant('business-co'))!.id;
    const agent = { email: `agent-${randomUUID().slice(0, 8)}@business.com`, password: 'agent-password-1' };
    await createTenantsRepo(server.database.storage).insertUser({ id: randomUUID(), tenant_id: tenantId, email: agent.email, name: 'Agent', role: 'agent', password_hash: await hashPassword(agent.password), at: new Date().toISOString() });
    return agent;
  }

  it('lets an admin list tenants and refuses agents and owners with 403', async () => {
    const admin = await login(server, DEMO_ADMIN);
    const list = await server.fetch('/api/tenants', { headers: admin.bearer });
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.data.map((t: { slug: string }) => t.slug)).toEqual(['business-co', 'office16852-platform']);
    expect(body.next_cursor).toBeNull();

    const agent = await login(server, await addAgent());
    expect(agent.user.permissions).toEqual(['chat.view', 'chat.manage']);
    const refused = await server.fetch('/api/tenants', { headers: agent.bearer });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('forbidden');
    const owner = await login(server, DEMO_OWNER);
    expect((await server.fetch('/api/tenants', { headers: owner.bearer })).status).toBe(403);
    expect((await server.fetch('/api/tenants')).status).toBe(401);
  });

  it('pages tenants with a cursor', async () => {
    const admin = await login(server, DEMO_ADMIN);
    const first = await (await server.fetch('/api/tenants?limit=1', { headers: admin.bearer })).json();
    expect(first.data).toHaveLength(1);
    const second = await (await server.fetch(`/api/tenants?limit=1&cursor=${first.next_cursor}`, { headers: admin.bearer })).json();
    expect(second.data[0].slug).toBe('office16852-platform');
    expect(second.next_cursor).toBeNull();
    expect((await server.fetch('/api/tenants?limit=0', { headers: admin.bearer })).status).toBe(400);
  });
});

describe('password change', () => {
  it('checks the current password, signs out other sessions and lets the new one in', async () => {
    const a = await login(server, DEMO_OWNER);
    const other = await login(server, DEMO_OWNER);
    const wrong = await server.send('POST', '/api/auth/password', { current_password: 'nope', new_password: 'a-much-better-one' }, a.bearer);
    expect(wrong.status).toBe(401);
    const short = await server.send('POST', '/api/auth/password', { current_password: DEMO_OWNER.password, new_password: 'short' }, a.bearer);
    expect(short.status).toBe(400);
    const ok = await server.send('POST', '/api/auth/password', { current_password: DEMO_OWNER.password, new_password: 'a-much-better-one' }, a.bearer);
    expect(ok.status).toBe(204);
    expect((await server.fetch('/api/auth/me', { headers: a.bearer })).status).toBe(200);
    expect((await server.fetch('/api/auth/me', { headers: other.bearer })).status).toBe(401);
    expect((await server.send('POST', '/api/auth/login', DEMO_OWNER)).status).toBe(401);
    expect((await server.send('POST', '/api/auth/login', { ...DEMO_OWNER, password: 'a-much-better-one' })).status).toBe(200);
  });
});

describe('secrets stay out of logs and the audit log', () => {
  it('never writes a password or a token', async () => {
    const s = await login(server, DEMO_ADMIN);
    await server.send('POST', '/api/auth/login', { email: DEMO_ADMIN.email, password: 'wrong-password-xyz' });
    await server.send('POST', '/api/auth/password', { current_password: DEMO_ADMIN.password, new_password: 'new-admin-password' }, s.bearer);
    const logs = server.logs.join('\n');
    expect(server.logs.length).toBeGreaterThan(3);
    for (const secret of [DEMO_ADMIN.password, 'wrong-password-xyz', 'new-admin-password', s.token, s.csrf]) {
      expect(logs).not.toContain(secret);
    }
    const audit = (await records(server).audit()).map(({ action, before, after }) => ({ action, before, after }));
    expect(audit.map((r) => r.action)).toEqual(['auth.login', 'auth.password_changed']);
    expect(JSON.stringify(audit)).not.toContain(DEMO_ADMIN.password);
  });
});
