import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { demoKey, tenantBySlug } from '../helpers/chat';
import { DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ env: { BOB_PUBLIC_URL: 'https://bob.example.com' } });
});
afterEach(() => server.close());

describe('GET /widget/:tenantId/widget.js', () => {
  it('serves the script with the tenant\'s key and API base built in, cacheable with an ETag', async () => {
    const tenant = await tenantBySlug(server, 'business-co');
    const res = await server.fetch(`/widget/${tenant.id}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const js = await res.text();
    expect(js).toContain(await demoKey(server));
    expect(js).toContain('"api":"https://bob.example.com"');
    expect(js).not.toContain('__BOB_CONFIG__');
    const etag = res.headers.get('etag')!;
    const again = await server.fetch(`/widget/${tenant.id}/widget.js`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('builds in the colour and persona name the launcher is first painted with, and a new ETag when they change', async () => {
    const tenant = await tenantBySlug(server, 'business-co');
    const before = await server.fetch(`/widget/${tenant.id}/widget.js`);
    expect(await before.text()).toContain('"color":"#2563eb","persona":"Bob"');
    const owner = await login(server, DEMO_OWNER);
    const personas = await (await server.fetch('/api/personas', { headers: owner.bearer })).json();
    const persona = personas.data.find((p: { is_default: boolean }) => p.is_default);
    expect((await server.send('PATCH', `/api/personas/${persona.id}`, { name: 'Giulia' }, owner.bearer)).status).toBe(200);
    expect((await server.send('PATCH', '/api/tenant', { settings: { theme_color: '#b91c1c' } }, owner.bearer)).status).toBe(200);
    const after = await server.fetch(`/widget/${tenant.id}/widget.js`, { headers: { 'If-None-Match': before.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('"color":"#b91c1c","persona":"Giulia"');
  });

  it('404s an unknown business and warns when it has no active key', async () => {
    expect((await server.fetch('/widget/00000000-0000-4000-8000-000000000000/widget.js')).status).toBe(404);
    expect((await server.fetch('/widget/not-a-uuid/widget.js')).status).toBe(404);
    const owner = await login(server, DEMO_OWNER);
    const keys = await (await server.fetch('/api/widget-keys', { headers: owner.bearer })).json();
    for (const k of keys.data) await server.fetch(`/api/widget-keys/${k.id}`, { method: 'DELETE', headers: owner.bearer });
    const js = await (await server.fetch(`/widget/${(await tenantBySlug(server, 'business-co')).id}/widget.js`)).text();
    expect(js).toMatch(/^console\.warn\(/);
    expect(js).not.toContain('pk_');
  });
});

describe('the widget\'s size and its on-demand parts', () => {
  it('keeps what loads with the launcher within 12 KB gzip', async () => {
    const tenant = await tenantBySlug(server, 'business-co');
    const js = await (await server.fetch(`/widget/${tenant.id}/widget.js`)).text();
    expect(gzipSync(js, { level: 9 }).length).toBeLessThanOrEqual(12 * 1024);
  });

  it('serves each built part as a day-cacheable script, the same for every business; an unknown name is 404, a malformed one 400', async () => {
    const parts = fs.existsSync(path.join(DEFAULT_WIDGET_DIR, 'parts')) ? fs.readdirSync(path.join(DEFAULT_WIDGET_DIR, 'parts')) : [];
    for (const file of parts) {
      const res = await server.fetch(`/widget/parts/${file}?v=1`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(await res.text()).toBe(fs.readFileSync(path.join(DEFAULT_WIDGET_DIR, 'parts', file), 'utf8'));
    }
    expect((await server.fetch('/widget/parts/no-such-part.js')).status).toBe(404);
    expect((await server.fetch('/widget/parts/..%2Fwidget.js')).status).toBe(400);
  });
});
