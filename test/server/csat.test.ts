// Issue #23, conversations and rating: the visitor's 1–5 rating of a closed conversation (stored,
// announced, counted in Usage per agent and for Bob alone) and Bob's close of idle conversations,
// over real HTTP on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { eventually } from '../helpers/eventually';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, TestClock, type Session, type TestServer } from '../helpers/server';
import { secondBusiness } from '../helpers/demo';
import { onPostgres } from '../helpers/test-database';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

const ENV = { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms,200ms', BOB_WEBHOOK_TIMEOUT: '1s' };
const ORIGIN = 'http://localhost:3000';
const MINUTE = 60_000;

let server: TestServer;
let clock: TestClock;
let owner: Session;
let agent: Session;
let anna: Session;
let receiver: Receiver;
let key: string;
// A: a person replied, then staff closed it. B: Bob alone, closed when idle.
const A = sid();
const B = sid();

beforeAll(async () => {
  clock = new TestClock();
  server = await startTestServer({ env: ENV, clock });
  owner = await login(server, DEMO_OWNER);
  const admin = await login(server, DEMO_ADMIN);
  const team = await server.send('POST', '/api/team', { email: 'agent@business.com', name: 'Agent Smith', role: 'agent', password: 'agent-password-1' }, owner.bearer);
  expect(team.status).toBe(201);
  agent = await login(server, { email: 'agent@business.com', password: 'agent-password-1' });
  anna = await secondBusiness(server, admin);
  key = await demoKey(server);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
const code = async (res: Response) => (await json<{ error: { code: string } }>(res)).error.code;
const rate = (session_id: string, score: number, comment?: string, origin: string | null = ORIGIN, k = key) =>
  server.send('POST', '/api/widget/rating', { session_id, score, ...(comment !== undefined && { comment }) }, { 'X-Widget-Key': k, ...(origin ? { Origin: origin } : {}) });
const internal = async (externalId: string) => (await records(server).session(externalId))!.id;
const usage = async (who: Session) => {
  const today = clock.now().toISOString().slice(0, 10);
  const res = await server.fetch(`/api/usage?from=${today}&to=${today}`, { headers: who.bearer });
  expect(res.status).toBe(200);
  return (await json<{ csat: { count: number; average: number | null; bob: { count: number; average: number | null }; agents: { name: string; count: number; average: number }[] } }>(res)).csat;
};

describe('the rating of a closed conversation', () => {
  it('is refused while the conversation is open, then stored once it is closed; a second one is 409', async () => {
    const hook = await server.send('POST', '/api/webhooks', { url: receiver.url, events: ['csat.submitted'], description: 'CRM' }, owner.bearer);
    expect(hook.status).toBe(201);
    receiver.trust((await json<{ secret: string }>(hook)).secret);

    expect((await widgetChat(server, key, ORIGIN, { session_id: A, message: 'I would like to talk to a person' })).status).toBe(200);
    const open = await rate(A, 4);
    expect(open.status).toBe(409);
    expect(await code(open)).toBe('conversation_open');
    expect(open.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect((await server.send('POST', '/api/chat/message', { session_id: A, message: 'Hi, Agent Smith here.' }, agent.bearer)).status).toBe(201);
    expect((await server.send('POST', `/api/chat/sessions/${A}/close`, {}, agent.bearer)).status).toBe(200);

    // The widget's rules: a bad origin, a missing key.
    expect((await rate(A, 5, undefined, 'https://evil.example')).status).toBe(403);
    expect((await rate(A, 5, undefined, ORIGIN, 'pk_live_nope')).status).toBe(401);
    expect((await rate(A, 6)).status).toBe(400);
    expect((await rate(sid(), 5)).status).toBe(404);

    const stored = await rate(A, 5, '  Quick and kind  ');
    expect(stored.status).toBe(201);
    const agentId = (await json<{ user: { id: string } }>(await server.fetch('/api/auth/me', { headers: agent.bearer }))).user.id;
    expect(await stored.json()).toMatchObject({ score: 5, comment: 'Quick and kind', agent_id: agentId });
    const again = await rate(A, 1);
    expect(again.status).toBe(409);
    expect(await code(again)).toBe('already_rated');

    // Announced: stored as an event and sent to the webhook.
    const events = (await records(server).events()).filter((e) => e.type === 'csat.submitted');
    expect(events.map((e) => e.data)).toEqual([{ session_id: A, score: 5, comment: 'Quick and kind', agent_id: agentId }]);
    const delivered = await eventually(() => receiver.received.find((r) => r.type === 'csat.submitted'), 5000, 'the csat.submitted delivery');
    expect(delivered.data).toMatchObject({ session_id: A, score: 5, agent_id: agentId });
    expect(delivered.verifiedWith).not.toBe('');

    // Staff read it in the transcript's header; another business's staff get a 404.
    const id = await internal(A);
    const shown = await server.fetch(`/api/chat/sessions/${id}/rating`, { headers: owner.bearer });
    expect(await shown.json()).toMatchObject({ rating: { score: 5, comment: 'Quick and kind', agent_id: agentId } });
    expect((await server.fetch(`/api/chat/sessions/${id}/rating`, { headers: anna.bearer })).status).toBe(404);
  });

  it('Bob closes a conversation he alone had after 30 minutes idle, audited as the system', async () => {
    expect((await widgetChat(server, key, ORIGIN, { session_id: B, message: 'How much is a tax return?' })).status).toBe(200);
    // With a handoff, a conversation is never closed by Bob.
    const waiting = sid();
    expect((await widgetChat(server, key, ORIGIN, { session_id: waiting, message: 'I would like to talk to a person' })).status).toBe(200);
    clock.advance(29 * MINUTE);
    await server.app.closeIdle();
    expect((await records(server).session(B))!.status).toBe('bot');
    const lastEvent = (await records(server).events()).at(-1)!.id;
    clock.advance(2 * MINUTE);
    await server.app.closeIdle();
    expect((await records(server).session(B))!.status).toBe('closed');
    expect((await records(server).session(waiting))!.status).toBe('waiting_for_agent');
    const id = await internal(B);
    const events = (await records(server).events(lastEvent)).filter((e) => e.sessionId === id).map((e) => e.type);
    expect(events).toEqual(['session.updated', 'session.closed', 'message.created']);
    const audit = (await records(server).audit()).filter((a) => a.target_id === id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'chat.idle_close', actor_id: null });
    // Idle again: nothing more to close.
    clock.advance(31 * MINUTE);
    await server.app.closeIdle();
    expect((await records(server).audit()).filter((a) => a.target_id === id)).toHaveLength(1);

    const rated = await rate(B, 2, '');
    expect(rated.status).toBe(201);
    expect(await rated.json()).toMatchObject({ score: 2, comment: null, agent_id: null });
  });

  it('is counted in Usage: in all, per agent and for Bob alone; nothing in another business', async () => {
    expect(await usage(owner)).toEqual({ count: 2, average: 3.5, bob: { count: 1, average: 2 }, agents: [expect.objectContaining({ name: 'Agent Smith', count: 1, average: 5 })] });
    expect(await usage(anna)).toEqual({ count: 0, average: null, bob: { count: 0, average: null }, agents: [] });
  });

  it('goes with its conversation when the visitor is erased', async () => {
    const erased = await server.fetch(`/api/visitors/${A}`, { method: 'DELETE', headers: owner.bearer });
    expect(erased.status).toBe(200);
    expect(await usage(owner)).toMatchObject({ count: 1, bob: { count: 1 }, agents: [] });
  });
});

// Two instances on one PostgreSQL database run the idle close at the same moment: each
// conversation is closed once (one audit entry, one closing message), never twice.
describe.runIf(onPostgres)('the idle close with two instances', () => {
  it('closes each idle conversation once when both instances close at the same moment', async () => {
    const other = await startTestServer({ clock, env: { BOB_DATABASE_URL: server.databaseUrl! } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const s = sid();
        expect((await widgetChat(server, key, ORIGIN, { session_id: s, message: 'How much is a tax return?' })).status).toBe(200);
        ids.push(await internal(s));
      }
      clock.advance(31 * MINUTE);
      const [a, b] = await Promise.all([server.app.closeIdle(), other.app.closeIdle()]);
      expect(a + b).toBeGreaterThanOrEqual(ids.length);
      const audit = (await records(server).audit()).filter((e) => e.action === 'chat.idle_close' && ids.includes(e.target_id!));
      expect(audit).toHaveLength(ids.length);
      for (const id of ids) {
        const closings = (await records(server).events()).filter((e) => e.sessionId === id && e.type === 'session.closed');
        expect(closings).toHaveLength(1);
      }
    } finally {
      await other.close();
    }
  });
});
