import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sid, tenantBySlug, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, TestClock, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let owner: Session;
let clock: TestClock;
beforeEach(async () => {
  clock = new TestClock();
  server = await startTestServer({ clock, env: { BOB_PUBLIC_URL: 'https://bob.example.com' } });
  owner = await login(server, DEMO_OWNER);
});
afterEach(() => server.close());

const chatFrom = (key: string, origin: string) => widgetChat(server, key, origin, { session_id: sid(), message: 'hi' });

describe('widget keys', () => {
  it('creates a key with a normalised allowlist that works from those origins only', async () => {
    const res = await server.send('POST', '/api/widget-keys', { label: 'Shop', allowed_origins: ['HTTPS://Shop.Example.com:443', 'https://*.example.org'] }, owner.bearer);
    expect(res.status).toBe(201);
    const key = await res.json();
    expect(key).toMatchObject({ label: 'Shop', mode: 'live', status: 'active', allowed_origins: ['https://shop.example.com', 'https://*.example.org'] });
    expect(key.key).toMatch(/^pk_live_/);
    expect((await chatFrom(key.key, 'https://shop.example.com')).status).toBe(200);
    expect((await chatFrom(key.key, 'https://a.example.org')).status).toBe(200);
    expect((await chatFrom(key.key, 'https://example.org')).status).toBe(403);
    const used = await (await server.fetch('/api/widget-keys', { headers: owner.bearer })).json();
    expect(used.data.find((k: { id: string }) => k.id === key.id).last_used_at).not.toBeNull();
  });

  it('names a malformed origin in a 400', async () => {
    const res = await server.send('POST', '/api/widget-keys', { allowed_origins: ['https://ok.example.com', 'shop.example.com'] }, owner.bearer);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.message).toContain('"shop.example.com"');
    expect(body.error.details[0].path).toEqual(['body', 'allowed_origins', '1']);
  });

  it('edits origins, revokes at once, and rotates with a grace period', async () => {
    const key = await (await server.send('POST', '/api/widget-keys', { allowed_origins: ['https://a.example.com'] }, owner.bearer)).json();
    expect((await chatFrom(key.key, 'https://b.example.com')).status).toBe(403);
    const patched = await server.send('PATCH', `/api/widget-keys/${key.id}`, { allowed_origins: ['https://b.example.com'] }, owner.bearer);
    expect((await patched.json()).allowed_origins).toEqual(['https://b.example.com']);
    expect((await chatFrom(key.key, 'https://b.example.com')).status).toBe(200);

    const rotated = await server.send('POST', `/api/widget-keys/${key.id}/rotate`, {}, owner.bearer);
    expect(rotated.status).toBe(201);
    const fresh = await rotated.json();
    expect(fresh.key).not.toBe(key.key);
    expect(fresh.allowed_origins).toEqual(['https://b.example.com']);
    expect((await chatFrom(key.key, 'https://b.example.com')).status).toBe(200);
    clock.advance(24 * 60 * 60 * 1000 + 1000);
    expect((await chatFrom(key.key, 'https://b.example.com')).status).toBe(401);
    expect((await chatFrom(fresh.key, 'https://b.example.com')).status).toBe(200);

    owner = await login(server, DEMO_OWNER); // a day later, the morning's session has expired
    expect((await server.fetch(`/api/widget-keys/${fresh.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(204);
    const revoked = await chatFrom(fresh.key, 'https://b.example.com');
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.code).toBe('invalid_widget_key');
    expect((await records(server).events()).filter((e) => e.type === 'widget_key.revoked')).toHaveLength(1);

    const audit = (await records(server).audit()).filter((a) => a.action.startsWith('widget_key.')).map(({ action, before, after }) => ({ action, before, after }));
    expect(audit.map((a) => a.action)).toEqual(['widget_key.created', 'widget_key.updated', 'widget_key.created', 'widget_key.rotated', 'widget_key.revoked']);
    expect(JSON.stringify(audit)).not.toContain(key.key);
  });

  it('gives Widget Setup the exact snippet, with no key in it', async () => {
    const tenant = await tenantBySlug(server, 'business-co');
    const setup = await (await server.fetch('/api/widget/setup', { headers: owner.bearer })).json();
    expect(setup).toEqual({
      tenant_id: tenant.id,
      script_url: `https://bob.example.com/widget/${tenant.id}/widget.js`,
      snippet: `<script src="https://bob.example.com/widget/${tenant.id}/widget.js" async></script>`,
      public_url_kind: 'public',
    });
  });

  it('isolates tenants and needs widget.manage', async () => {
    const admin = await login(server, DEMO_ADMIN);
    const platformKey = (await (await server.fetch('/api/widget-keys', { headers: admin.bearer })).json()).data[0];
    expect((await server.send('PATCH', `/api/widget-keys/${platformKey.id}`, { label: 'x' }, owner.bearer)).status).toBe(404);
    expect((await server.fetch(`/api/widget-keys/${platformKey.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(404);
    expect((await server.send('POST', `/api/widget-keys/${platformKey.id}/rotate`, {}, owner.bearer)).status).toBe(404);
    expect((await server.fetch('/api/widget-keys')).status).toBe(401);
    expect((await server.fetch('/api/widget/setup')).status).toBe(401);
  });
});
