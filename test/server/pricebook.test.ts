import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { SseClient } from '../helpers/sse';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: Session;
beforeEach(async () => {
  server = await startTestServer();
  admin = await login(server, DEMO_ADMIN);
});
afterEach(() => server.close());

describe('pricebook', () => {
  it('serves the published V1 publicly, exactly as the seed', async () => {
    const res = await server.fetch('/api/pricebook');
    expect(res.status).toBe(200);
    const pb = await res.json();
    expect(pb).toMatchObject({ version: 1, status: 'published', currency: 'USD' });
    expect(pb.plans).toEqual([
      { id: 'base', name: 'Base', price_month: 79, credits_month: 15000, seats: 3, integrations: 1, support: 'Standard', storage_mb: 1024 },
      { id: 'pro', name: 'Pro', price_month: 249, credits_month: 75000, seats: 10, integrations: 3, support: 'Priority', storage_mb: 10240 },
      { id: 'enterprise', name: 'Enterprise', price_month: 899, credits_month: 250000, seats: null, integrations: 10, support: 'Dedicated', storage_mb: 51200 },
    ]);
  });

  it('publishes V2 with Pro at $259: the public pricebook and the next bot answer change', async () => {
    const draft = await server.send('POST', '/api/pricebook/versions', {}, admin.bearer);
    expect(draft.status).toBe(201);
    const v2 = await draft.json();
    expect(v2).toMatchObject({ version: 2, status: 'draft' });
    const plans = v2.plans.map((p: { id: string; price_month: number }) => (p.id === 'pro' ? { ...p, price_month: 259 } : p));
    const edited = await server.send('PUT', '/api/pricebook/versions/2', { plans }, admin.bearer);
    expect(edited.status).toBe(200);
    // Not published yet: Bob still quotes V1.
    expect((await (await publicChat(server, { session_id: sid(), message: 'How much is Pro?' })).json()).reply).toContain('$249');

    const events = async () => (await records(server).events()).filter((e) => e.type === 'pricebook.published').length;
    const published = await server.send('POST', '/api/pricebook/versions/2/publish', {}, admin.bearer);
    expect(published.status).toBe(200);
    expect(await events()).toBe(1);
    const pb = await (await server.fetch('/api/pricebook')).json();
    expect(pb.version).toBe(2);
    expect(pb.plans.find((p: { id: string }) => p.id === 'pro').price_month).toBe(259);
    const answer = await (await publicChat(server, { session_id: sid(), message: 'How much is Pro?' })).json();
    expect(answer.reply).toContain('$259');
    expect(answer.reply).not.toContain('249');

    const versions = await (await server.fetch('/api/pricebook/versions', { headers: admin.bearer })).json();
    expect(versions.data.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'published'], [1, 'archived']]);
  });

  it('keeps published and archived versions immutable (409) and validates drafts', async () => {
    expect((await server.send('PUT', '/api/pricebook/versions/1', { credits_per_ai_reply: 2 }, admin.bearer)).status).toBe(409);
    await server.send('POST', '/api/pricebook/versions', {}, admin.bearer);
    const dupes = await server.send('PUT', '/api/pricebook/versions/2', { plans: [{ id: 'a', name: 'A', price_month: 1, credits_month: 1, seats: 1, integrations: 1, support: 'x' }, { id: 'a', name: 'B', price_month: 1, credits_month: 1, seats: 1, integrations: 1, support: 'x' }] }, admin.bearer);
    expect(dupes.status).toBe(400);
    const negative = await server.send('PUT', '/api/pricebook/versions/2', { plans: [{ id: 'a', name: 'A', price_month: -1, credits_month: 1, seats: 1, integrations: 1, support: 'x' }] }, admin.bearer);
    expect(negative.status).toBe(400);
    expect((await server.send('POST', '/api/pricebook/versions/2/publish', {}, admin.bearer)).status).toBe(200);
    expect((await server.send('POST', '/api/pricebook/versions/2/publish', {}, admin.bearer)).status).toBe(409);
    expect((await server.send('POST', '/api/pricebook/versions/1/publish', {}, admin.bearer)).status).toBe(409);
    expect((await server.fetch('/api/pricebook/versions/99', { headers: admin.bearer })).status).toBe(404);
  });

  it('is managed by platform admins only, and every change is audited', async () => {
    const owner = await login(server, DEMO_OWNER);
    expect((await server.fetch('/api/pricebook/versions')).status).toBe(401);
    expect((await server.fetch('/api/pricebook/versions', { headers: owner.bearer })).status).toBe(403);
    expect((await server.send('POST', '/api/pricebook/versions', {}, owner.bearer)).status).toBe(403);
    await server.send('POST', '/api/pricebook/versions', {}, admin.bearer);
    await server.send('PUT', '/api/pricebook/versions/2', { credits_per_ai_reply: 2 }, admin.bearer);
    await server.send('POST', '/api/pricebook/versions/2/publish', {}, admin.bearer);
    const actions = (await records(server).audit()).filter((a) => a.action.startsWith('pricebook.')).map(({ action, actor_email }) => ({ action, actor_email }));
    expect(actions).toEqual([
      { action: 'pricebook.draft_created', actor_email: DEMO_ADMIN.email },
      { action: 'pricebook.draft_updated', actor_email: DEMO_ADMIN.email },
      { action: 'pricebook.published', actor_email: DEMO_ADMIN.email },
    ]);
  });
});

describe('pricebook.published on the staff stream', () => {
  it('reaches every business\'s staff, so an open Pricebook page follows a new version', async () => {
    const owner = await login(server, DEMO_OWNER);
    const stream = await SseClient.open(new URL('/api/events', server.url).href, owner.bearer);
    try {
      const draft = (await (await server.send('POST', '/api/pricebook/versions', {}, admin.bearer)).json()) as { version: number };
      expect((await server.send('POST', `/api/pricebook/versions/${draft.version}/publish`, {}, admin.bearer)).status).toBe(200);
      const e = await stream.next((x) => x.event === 'pricebook.published', 2000);
      expect(e.data).toMatchObject({ version: draft.version });
    } finally {
      stream.close();
    }
  });
});
