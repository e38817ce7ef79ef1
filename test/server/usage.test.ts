import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoKey, publicChat, sid, widgetChat } from '../helpers/chat';
import { DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

describe('GET /api/usage', () => {
  it('counts today\'s conversations, messages, AI replies, handoffs and credits', async () => {
    const owner = await login(server, DEMO_OWNER);
    const a = sid();
    await publicChat(server, { session_id: a, business_id: 'business-co', message: 'How much is a tax return?' });
    await publicChat(server, { session_id: a, business_id: 'business-co', message: 'And monthly bookkeeping?' });
    await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'voglio parlare con un operatore' });
    await widgetChat(server, await demoKey(server), 'http://localhost:3000', { session_id: sid(), message: 'hello' });
    await publicChat(server, { session_id: sid(), message: 'platform tenant, not counted here' });

    // A persona try-it run in the console is no conversation: not counted at all.
    const run = await (await server.send('POST', '/api/chat/session', {}, owner.bearer)).json();
    expect((await server.send('POST', '/api/chat/message', { session_id: run.session_id, message: 'How much is a tax return?' }, owner.bearer)).status).toBe(200);
    expect((await server.send('POST', '/api/chat/message', { session_id: run.session_id, message: 'voglio parlare con un operatore' }, owner.bearer)).status).toBe(200);

    const today = new Date().toISOString().slice(0, 10);
    const usage = await (await server.fetch(`/api/usage?from=${today}&to=${today}`, { headers: owner.bearer })).json();
    expect(usage.days).toHaveLength(1);
    expect(usage.days[0]).toMatchObject({ date: today, conversations: 3, messages: 4, ai_replies: 3, handoffs: 1, credits_used: 3 });
    expect(usage.days[0].median_first_response_ms).toBeGreaterThanOrEqual(0);
    expect(usage.credits).toMatchObject({ used: 3, allowance: 75_000, left: 74_997 });

    const month = await (await server.fetch('/api/usage', { headers: owner.bearer })).json();
    expect(month.days).toHaveLength(30);
    expect(month.days.at(-1).date).toBe(today);
    expect((await server.fetch('/api/usage?from=2026-02-01&to=2026-01-01', { headers: owner.bearer })).status).toBe(400);
    expect((await server.fetch('/api/usage?from=01-01-2026', { headers: owner.bearer })).status).toBe(400);
  });
});
