import { SignJWT, UnsecuredJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sid, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_OWNER, TestClock, login, startTestServer, type Session, type TestServer } from '../helpers/server';

const ORIGIN = 'https://shop.example.com';
let server: TestServer;
let owner: Session;
let clock: TestClock;
beforeEach(async () => {
  clock = new TestClock();
  server = await startTestServer({ clock });
  owner = await login(server, DEMO_OWNER);
});
afterEach(() => server.close());

interface Key {
  id: string;
  key: string;
  secret: string;
}
async function keyWithSecret(): Promise<Key> {
  const key = await (await server.send('POST', '/api/widget-keys', { allowed_origins: [ORIGIN] }, owner.bearer)).json();
  const res = await server.send('POST', `/api/widget-keys/${key.id}/identity-secret`, {}, owner.bearer);
  expect(res.status).toBe(201);
  const body = await res.json();
  expect(body.secret).toMatch(/^bobid_/);
  expect(body.identity_secret_hint).toBe(`…${body.secret.slice(-4)}`);
  return { id: key.id, key: key.key, secret: body.secret };
}
/** What the site's server does: sign the signed-in user's id with the key's identity secret. */
const sign = (secret: string, claims: Record<string, unknown> = { sub: 'user-42', name: 'Ada Lovelace', email: 'ada@example.com' }, exp: string | number = '10m') => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (exp !== 0) jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
};
const widget = (key: string) => ({ 'X-Widget-Key': key, Origin: ORIGIN });
const identify = (key: string, session_id: string, token: string) => server.send('POST', '/api/widget/identify', { session_id, token }, widget(key));
const chat = (key: string, session_id: string, message = 'hello') => widgetChat(server, key, ORIGIN, { session_id, message });

describe('identity verification (Bob.identify)', () => {
  it('links a conversation to a verified identity, shown to staff', async () => {
    const k = await keyWithSecret();
    const s = sid();
    expect((await chat(k.key, s)).status).toBe(200);
    const res = await identify(k.key, s, await sign(k.secret));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ session_id: s, verified: true, name: 'Ada Lovelace', email: 'ada@example.com' });
    const session = (await records(server).sessions()).find((r) => r.external_id === s)!;
    const profile = await (await server.fetch(`/api/chat/sessions/${session.id}/visitor`, { headers: owner.bearer })).json();
    expect(profile).toMatchObject({ verified: true, identity: { sub: 'user-42', name: 'Ada Lovelace', email: 'ada@example.com' } });
    expect(server.logs.join('\n')).not.toContain(k.secret);
  });

  it('refuses forged, expired, wrongly signed, alg none and sub-less tokens with 401 invalid_identity', async () => {
    const k = await keyWithSecret();
    const other = await keyWithSecret();
    const s = sid();
    const good = await sign(k.secret);
    const [head, body] = good.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), sub: 'admin' })).toString('base64url');
    const cases: [string, string, RegExp][] = [
      ['forged', `${head}.${forgedBody}.${good.split('.')[2]}`, /signature/],
      ['expired', await sign(k.secret, { sub: 'user-42' }, Math.floor(Date.now() / 1000) - 60), /expired/],
      ['no exp', await sign(k.secret, { sub: 'user-42' }, 0), /exp/],
      ['wrong secret', await sign('not-the-secret-at-all-not-the-secret'), /signature/],
      ["another key's secret", await sign(other.secret), /signature/],
      ['alg none', new UnsecuredJWT({ sub: 'user-42' }).setExpirationTime('10m').encode(), /HS256/],
      ['missing sub', await sign(k.secret, { name: 'Nobody' }), /sub/],
      ['garbage', 'not.a.jwt', /valid JWT/],
    ];
    for (const [what, token, message] of cases) {
      const res = await identify(k.key, s, token);
      expect(res.status, what).toBe(401);
      const err = (await res.json()).error;
      expect(err.code, what).toBe('invalid_identity');
      expect(err.message, what).toMatch(message);
      expect(server.logs.join('\n')).not.toContain(token);
    }
    const huge = await identify(k.key, s, 'x'.repeat(5000));
    expect(huge.status).toBe(400);
  });

  it('with identity_required: 403 identity_required before, 200 after identify', async () => {
    const plain = await (await server.send('POST', '/api/widget-keys', { allowed_origins: [ORIGIN] }, owner.bearer)).json();
    const refused = await server.send('PATCH', `/api/widget-keys/${plain.id}`, { identity_required: true }, owner.bearer);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.code).toBe('identity_secret_missing');

    const k = await keyWithSecret();
    const patched = await server.send('PATCH', `/api/widget-keys/${k.id}`, { identity_required: true }, owner.bearer);
    expect((await patched.json()).identity_required).toBe(true);
    const s = sid();
    const before = await chat(k.key, s);
    expect(before.status).toBe(403);
    expect((await before.json()).error.code).toBe('identity_required');
    expect((await identify(k.key, s, await sign(k.secret))).status).toBe(200);
    expect((await chat(k.key, s)).status).toBe(200);
  });

  it('rotating the secret refuses tokens signed with the old one', async () => {
    const k = await keyWithSecret();
    const old = await sign(k.secret);
    const rotated = await (await server.send('POST', `/api/widget-keys/${k.id}/identity-secret`, {}, owner.bearer)).json();
    expect(rotated.secret).not.toBe(k.secret);
    expect((await identify(k.key, sid(), old)).status).toBe(401);
    expect((await identify(k.key, sid(), await sign(rotated.secret))).status).toBe(200);
    const audit = (await records(server).audit()).filter((a) => a.action.startsWith('widget_key.identity_secret'));
    expect(audit.map((a) => a.action)).toEqual(['widget_key.identity_secret_created', 'widget_key.identity_secret_rotated']);
    expect(JSON.stringify(audit)).not.toContain(rotated.secret);
  });

  it('a verified visitor finds their conversations on another device, which continues the open one', async () => {
    const k = await keyWithSecret();
    const laptop = sid();
    expect((await chat(k.key, laptop, 'from the laptop')).status).toBe(200);
    expect((await identify(k.key, laptop, await sign(k.secret))).status).toBe(200);

    const phone = sid();
    const unverified = await server.fetch(`/api/widget/conversations?session_id=${phone}`, { headers: widget(k.key) });
    expect(unverified.status).toBe(403);
    const res = await (await identify(k.key, phone, await sign(k.secret))).json();
    expect(res.session_id).toBe(laptop);
    const list = await (await server.fetch(`/api/widget/conversations?session_id=${phone}`, { headers: widget(k.key) })).json();
    expect(list.data.map((c: { session_id: string }) => c.session_id)).toEqual([laptop]);
    expect(list.data[0].status).toBe('bot');

    // Someone else on a shared computer never gets that conversation.
    const bob = await (await identify(k.key, laptop, await sign(k.secret, { sub: 'user-7' }))).json();
    expect(bob.session_id).not.toBe(laptop);
    const again = await (await server.fetch(`/api/widget/conversations?session_id=${laptop}`, { headers: widget(k.key) })).json();
    expect(again.data.map((c: { session_id: string }) => c.session_id)).toEqual([laptop]);
  });

  it('the site\'s own key and origin rules apply', async () => {
    const k = await keyWithSecret();
    const res = await server.send('POST', '/api/widget/identify', { session_id: sid(), token: await sign(k.secret) }, { 'X-Widget-Key': k.key, Origin: 'https://evil.example.net' });
    expect(res.status).toBe(403);
    expect((await server.send('POST', '/api/widget/identify', { session_id: sid(), token: 'x' }, { Origin: ORIGIN })).status).toBe(401);
  });
});

describe('Bob.setVisitor', () => {
  it('stores name, email and attributes as unverified, merging, within limits', async () => {
    const k = await keyWithSecret();
    const s = sid();
    const set = (body: Record<string, unknown>) => server.send('POST', '/api/widget/visitor', { session_id: s, ...body }, widget(k.key));
    expect((await set({ name: 'Grace', email: 'grace@example.com', attributes: { plan: 'pro', seats: 3 } })).status).toBe(200);
    expect((await set({ attributes: { seats: null, vip: true } })).status).toBe(200);
    expect((await chat(k.key, s)).status).toBe(200);
    const session = (await records(server).sessions()).find((r) => r.external_id === s)!;
    const profile = await (await server.fetch(`/api/chat/sessions/${session.id}/visitor`, { headers: owner.bearer })).json();
    expect(profile).toEqual({ name: 'Grace', email: 'grace@example.com', attributes: { plan: 'pro', vip: true }, verified: false, identity: null });

    expect((await set({ email: 'not an email' })).status).toBe(400);
    expect((await set({ name: 'x'.repeat(101) })).status).toBe(400);
    expect((await set({ attributes: { 'bad key!': 1 } })).status).toBe(400);
    expect((await set({ attributes: { long: 'x'.repeat(201) } })).status).toBe(400);
    expect((await set({ attributes: { nested: { a: 1 } } })).status).toBe(400);
    const many = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`a${i}`, i]));
    const tooMany = await set({ attributes: many });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.code).toBe('too_many_attributes');
  });
});
