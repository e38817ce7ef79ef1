// Retention (#22): a business keeps conversations N days after their last message, the platform
// may cap it; the job removes older ones with everything stored of them, in batches, and Usage
// says how many went this month. Time moves with the test clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicChat, sid, tenantBySlug } from '../helpers/chat';
import { records } from '../helpers/db';
import { eventually } from '../helpers/eventually';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, TestClock, type Session, type TestServer } from '../helpers/server';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

const DAY_MS = 86_400_000;
let server: TestServer;
let clock: TestClock;
let owner: Session;
let admin: Session;
let receiver: Receiver | undefined;

beforeEach(async () => {
  clock = new TestClock();
  server = await startTestServer({ clock, env: { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_RETENTION_BATCH: '50' } });
  owner = await login(server, DEMO_OWNER);
  admin = await login(server, DEMO_ADMIN);
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await server.close();
});

/** Moves time on; staff sign in again (their sessions expired meanwhile). */
const later = async (ms: number) => {
  clock.advance(ms);
  owner = await login(server, DEMO_OWNER);
  admin = await login(server, DEMO_ADMIN);
};
const get = async <T = Record<string, unknown>>(path: string, who: Session): Promise<T> => {
  const res = await server.fetch(path, { headers: who.bearer });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<T>;
};
const setRetention = async (days: number | null, who = owner) => {
  const res = await server.send('PATCH', '/api/tenant', { settings: { retention_days: days } }, who.bearer);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
};
const run = async () => {
  const res = await server.send('POST', '/api/retention/run', {}, admin.bearer);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { businesses: number; sessions_removed: number; messages_removed: number; batches: number };
};
const chat = async (session: string, message: string, business = 'business-co') => {
  const res = await publicChat(server, { session_id: session, business_id: business, message });
  expect(res.status, await res.clone().text()).toBe(200);
};
const sessionIds = async (slug = 'business-co') => {
  const tenant = await tenantBySlug(server, slug);
  return (await records(server).sessions()).filter((s) => s.tenant_id === tenant.id).map((s) => s.external_id);
};

describe('retention', () => {
  it('removes conversations older than the business\'s days with their messages, search hits, questions, events and deliveries; newer ones stay', async () => {
    receiver = await startReceiver();
    const endpoint = await (await server.send('POST', '/api/webhooks', { url: receiver.url, events: ['session.created', 'message.created'] }, owner.bearer)).json();
    const old = sid();
    await chat(old, 'My zebracorn invoice is wrong');
    await chat(old, 'What is the flibbertigibbet quotient of the moon?'); // Bob does not know: an unanswered question
    const oldDay = clock.now().toISOString().slice(0, 10);
    await eventually(() => receiver!.received.some((r) => r.body.includes(old)), 10_000, 'the old conversation\'s webhooks');

    await later(40 * DAY_MS);
    const recent = sid();
    await chat(recent, 'Another zebracorn question');
    await eventually(() => receiver!.received.some((r) => r.body.includes(recent)), 10_000, 'the new conversation\'s webhooks');
    const deliveries = async () => {
      const list = (await get<{ data: { id: number }[] }>(`/api/webhooks/${endpoint.id}/deliveries?limit=200`, owner)).data;
      return Promise.all(list.map(async (d) => (await get<{ request: { body: string } }>(`/api/webhooks/${endpoint.id}/deliveries/${d.id}`, owner)).request.body));
    };
    expect((await deliveries()).some((b) => b.includes(old))).toBe(true);
    const questions = async () =>
      (await get<{ groups: { conversations: { session_id: string }[] }[] }>(`/api/insights/unanswered?from=${oldDay}`, owner)).groups.flatMap((g) => g.conversations.map((c) => c.session_id));
    expect(await questions()).toContain(old);

    // Nothing set: everything is kept.
    expect(await run()).toMatchObject({ sessions_removed: 0 });
    expect(await sessionIds()).toEqual([old, recent]);

    const saved = await setRetention(30);
    expect(saved.settings.retention_days).toBe(30);
    const done = await run();
    expect(done).toMatchObject({ sessions_removed: 1, messages_removed: 4, batches: 1 });

    expect(await sessionIds()).toEqual([recent]);
    const oldRow = await records(server).session(old);
    expect(oldRow).toBeUndefined();
    expect((await records(server).messages()).some((m) => m.body.includes('flibbertigibbet'))).toBe(false);
    const found = await get<{ data: { session_id: string }[] }>('/api/chat/sessions?q=zebracorn', owner);
    expect(found.data.map((s) => s.session_id)).toEqual([recent]);
    expect((await records(server).events()).some((e) => JSON.stringify(e).includes(old))).toBe(false);
    const bodies = await deliveries();
    expect(bodies.some((b) => b.includes(old))).toBe(false);
    expect(bodies.some((b) => b.includes(recent))).toBe(true);
    expect(await questions()).not.toContain(old);

    // One audit entry with counts, never the visitor's words; a second run finds nothing more.
    const audit = await get<{ data: { action: string; after: unknown }[] }>('/api/audit?action=retention.', owner);
    expect(audit.data).toHaveLength(1);
    expect(audit.data[0]!.after).toMatchObject({ days: 30, sessions_removed: 1, messages_removed: 4 });
    expect(JSON.stringify(audit.data)).not.toContain('zebracorn');
    expect(await run()).toMatchObject({ sessions_removed: 0 });

    // Usage says how many went this month, with the policy.
    const usage = await get<{ retention: Record<string, unknown> }>('/api/usage', owner);
    expect(usage.retention).toMatchObject({ days: 30, platform_max_days: null, effective_days: 30, capped: false, removed_this_month: 1, month: clock.now().toISOString().slice(0, 7) });
  });

  it('caps a business that keeps everything at the platform\'s maximum, set by the platform admin only; other businesses keep their own', async () => {
    const old = sid();
    const platformOld = sid();
    await chat(old, 'hello from long ago');
    await chat(platformOld, 'the platform\'s own old visitor', 'office16852-platform');
    await later(400 * DAY_MS);
    const recent = sid();
    await chat(recent, 'hello now');

    // The owner sets their own business's days, within limits; never the platform's maximum.
    expect((await server.send('PATCH', '/api/tenant', { settings: { retention_days: 0 } }, owner.bearer)).status).toBe(400);
    expect((await server.send('PATCH', '/api/tenant', { settings: { retention_days: 3651 } }, owner.bearer)).status).toBe(400);
    expect((await server.send('PATCH', '/api/tenant', { settings: { retention_days: 12.5 } }, owner.bearer)).status).toBe(400);
    await setRetention(null);
    expect((await server.fetch('/api/settings/retention', { headers: owner.bearer })).status).toBe(403);
    expect((await server.send('PUT', '/api/settings/retention', { max_days: 30 }, owner.bearer)).status).toBe(403);
    expect((await server.send('POST', '/api/retention/run', {}, owner.bearer)).status).toBe(403);
    const platform = await records(server).platform();
    expect((await server.fetch(`/api/retention?business_id=${platform.id}`, { headers: owner.bearer })).status).toBe(404);

    expect(await get('/api/settings/retention', admin)).toEqual({ max_days: null });
    expect((await server.send('PUT', '/api/settings/retention', { max_days: 0 }, admin.bearer)).status).toBe(400);
    const put = await server.send('PUT', '/api/settings/retention', { max_days: 365 }, admin.bearer);
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ max_days: 365 });
    expect(await get('/api/retention', owner)).toMatchObject({ days: null, platform_max_days: 365, effective_days: 365, capped: true, removed_this_month: 0 });

    // A business's own days above the maximum are saved, and reported as capped.
    await setRetention(1000);
    expect(await get('/api/retention', owner)).toMatchObject({ days: 1000, effective_days: 365, capped: true });
    await setRetention(null);

    const result = await run();
    expect(result.sessions_removed).toBe(2); // business-co's and the platform's old conversations
    expect(await sessionIds()).toEqual([recent]);
    expect(await sessionIds('office16852-platform')).toEqual([]);
    expect(await get('/api/retention', owner)).toMatchObject({ removed_this_month: 1 });
    const adminAudit = await get<{ data: { action: string }[] }>('/api/audit?action=settings.retention_updated', admin);
    expect(adminAudit.data.map((a) => a.action)).toEqual(['settings.retention_updated']);

    // Without the maximum, a business with its own days is not touched by another's.
    expect((await server.send('PUT', '/api/settings/retention', { max_days: null }, admin.bearer)).status).toBe(200);
    const keptElsewhere = sid();
    await chat(keptElsewhere, 'platform visitor, kept', 'office16852-platform');
    await later(100 * DAY_MS);
    await setRetention(90);
    expect(await run()).toMatchObject({ businesses: 1, sessions_removed: 1 });
    expect(await sessionIds()).toEqual([]);
    expect(await sessionIds('office16852-platform')).toEqual([keptElsewhere]);
  });

  it('removes more than one batch of old conversations, each batch its own run', async () => {
    // BOB_RETENTION_BATCH is 50 on this server: 120 conversations take three runs.
    const count = 120;
    const ids = Array.from({ length: count }, () => sid());
    for (let i = 0; i < count; i++) {
      // 60 conversations a minute from one address: the clock moves on before the limit.
      if (i % 50 === 49) clock.advance(61_000);
      await chat(ids[i]!, `question ${i}`);
    }
    await later(31 * DAY_MS);
    const recent = sid();
    await chat(recent, 'still here');
    await setRetention(30);
    const result = await run();
    expect(result).toMatchObject({ businesses: 1, sessions_removed: count, messages_removed: count * 2 });
    expect(result.batches).toBe(3);
    expect(await sessionIds()).toEqual([recent]);
    const audit = await get<{ data: { after: unknown }[] }>('/api/audit?action=retention.', owner);
    expect(audit.data).toHaveLength(1);
    expect(audit.data[0]!.after).toMatchObject({ sessions_removed: count, batches: result.batches });
    expect((await get<{ retention: { removed_this_month: number } }>('/api/usage', owner)).retention.removed_this_month).toBe(count);
  });
});
