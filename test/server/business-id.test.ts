import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sid, tenantBySlug } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: Session;
let owner: Session;
let business: { id: string; slug: string };
let platform: { id: string; slug: string };
beforeAll(async () => {
  server = await startTestServer();
  admin = await login(server, DEMO_ADMIN);
  owner = await login(server, DEMO_OWNER);
  business = await tenantBySlug(server, 'business-co');
  platform = await records(server).platform();
});
afterAll(() => server.close());

// Every staff route family that takes `business_id` in its query.
const ROUTES = [
  '/api/tenant',
  '/api/faq',
  '/api/team',
  '/api/widget-keys',
  '/api/widget/setup',
  '/api/webhooks',
  '/api/personas',
  '/api/personas/export',
  '/api/audit',
  '/api/usage',
  '/api/chat/sessions',
];

const read = async (who: Session, path: string, businessId: string) => {
  const res = await server.fetch(`${path}?business_id=${encodeURIComponent(businessId)}`, { headers: who.bearer });
  return { status: res.status, body: await res.json() };
};

describe('business_id', () => {
  it('is listed by GET /api/tenants as the id the admin passes on', async () => {
    const list = await (await server.fetch('/api/tenants', { headers: admin.bearer })).json();
    expect(list.data.map((t: { id: string }) => t.id)).toContain(business.id);
  });

  it.each(ROUTES)('%s: the admin gets the same answer with the id as with the slug', async (path) => {
    const bySlug = await read(admin, path, business.slug);
    expect(bySlug.status).toBe(200);
    const byId = await read(admin, path, business.id);
    expect(byId.status, JSON.stringify(byId.body)).toBe(200);
    expect(byId.body).toEqual(bySlug.body);
  });

  it.each(ROUTES)('%s: an owner naming another tenant by id or slug gets 404, its own id is its own', async (path) => {
    for (const other of [platform.id, platform.slug]) {
      const res = await read(owner, path, other);
      expect(res.status, other).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const own = await read(owner, path, business.id);
    expect(own.status).toBe(200);
    expect(own.body).toEqual((await read(owner, path, business.slug)).body);
  });

  it('addresses a tenant by id in POST /api/chat and in the console chat', async () => {
    const bySlug = await server.send('POST', '/api/chat', { session_id: sid(), business_id: business.slug, message: 'hello' });
    const byId = await server.send('POST', '/api/chat', { session_id: sid(), business_id: business.id, message: 'hello' });
    expect(bySlug.status).toBe(200);
    expect(byId.status).toBe(200);
    const tenants = [...new Set((await records(server).sessions()).map((s) => s.tenant_id))];
    expect(tenants).toEqual([business.id]);
  });
});
