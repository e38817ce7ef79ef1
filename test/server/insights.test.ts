import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, TestClock, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let clock: TestClock;
beforeEach(async () => {
  clock = new TestClock();
  server = await startTestServer({ clock });
});
afterEach(() => server.close());

const today = () => clock.now().toISOString().slice(0, 10);
/** A visitor's message to Business Co, or (null) to the platform's own page. */
const ask = async (session_id: string, message: string, business_id: string | null = 'business-co') =>
  (await publicChat(server, { session_id, message, ...(business_id ? { business_id } : {}) })).json();
const get = async (path: string, who: Session, headers: Record<string, string> = {}) => server.fetch(path, { headers: { ...who.bearer, ...headers } });

interface Group {
  question: string;
  wordings: string[];
  count: number;
  reasons: Record<string, number>;
  conversations: { id: string; session_id: string }[];
}

describe('GET /api/insights/unanswered', () => {
  it('groups differently worded unknown questions; "Answer this" with an FAQ entry makes Bob answer', async () => {
    const owner = await login(server, DEMO_OWNER);
    const monza = ['Can you deliver my order to Monza tomorrow?', 'Is delivery available in Monza?', 'Do you deliver to Monza?'];
    const sessions = monza.map(() => sid());
    for (const [i, question] of monza.entries()) {
      const res = await ask(sessions[i]!, question);
      expect(res).toMatchObject({ from: 'bot', handoff: false });
    }
    await ask(sid(), 'Is there a lift for wheelchairs?');

    // Staff trying Bob in the console are no visitors.
    const run = await (await server.send('POST', '/api/chat/session', {}, owner.bearer)).json();
    expect((await server.send('POST', '/api/chat/message', { session_id: run.session_id, message: 'Do you deliver to Monza?' }, owner.bearer)).status).toBe(200);
    expect((await server.send('POST', '/api/chat/message', { session_id: run.session_id, message: 'Is there a lift for wheelchairs?' }, owner.bearer)).status).toBe(200);

    // Another tenant's visitors (the platform's) are the platform's.
    await ask(sid(), 'Do you deliver to Monza?', null);

    const res = await get('/api/insights/unanswered', owner);
    expect(res.status).toBe(200);
    const report = (await res.json()) as { from: string; to: string; total: number; groups: Group[] };
    expect(report).toMatchObject({ to: today(), total: 4 });
    expect(report.groups).toHaveLength(2);
    const [delivery, lift] = report.groups;
    expect(delivery).toMatchObject({ question: 'Do you deliver to Monza?', count: 3, reasons: { unknown: 3, handoff: 0, fallback: 0 } });
    expect(new Set(delivery!.wordings)).toEqual(new Set(monza));
    expect(delivery!.conversations.map((c) => c.session_id)).toEqual([...sessions].reverse());
    expect(lift).toMatchObject({ question: 'Is there a lift for wheelchairs?', count: 1 });
    expect(lift!.conversations).toHaveLength(1);

    // The conversation links lead to the transcripts.
    const transcript = await get(`/api/chat/sessions/${delivery!.conversations[0]!.session_id}`, owner);
    expect(transcript.status).toBe(200);

    // "Answer this": an FAQ entry prefilled with the group's question, then Bob answers it.
    const answer = 'Yes: we deliver to Monza every weekday, free over 30 euros.';
    expect((await server.send('POST', '/api/faq', { question: delivery!.question, answer }, owner.bearer)).status).toBe(201);
    const again = await ask(sid(), delivery!.question);
    expect(again).toMatchObject({ from: 'bot', handoff: false });
    expect(again.reply).toContain('we deliver to Monza every weekday');
    expect(again.basis.faq_ids).toHaveLength(1);
    const after = await (await get('/api/insights/unanswered', owner)).json();
    expect(after.total).toBe(4);

    // The platform admin sees the platform's question only, and Business Co's when naming it.
    const admin = await login(server, DEMO_ADMIN);
    const platform = await (await get('/api/insights/unanswered', admin)).json();
    expect(platform.total).toBe(1);
    expect(platform.groups[0].conversations.map((c: { session_id: string }) => c.session_id)).not.toContain(sessions[0]);
    expect((await (await get('/api/insights/unanswered?business_id=business-co', admin)).json()).total).toBe(4);
    expect((await get(`/api/insights/unanswered?business_id=${encodeURIComponent(admin.user.tenant_id)}`, owner)).status).toBe(404);
  });

  it('validates the period and refuses unknown parameters', async () => {
    const owner = await login(server, DEMO_OWNER);
    for (const path of ['/api/insights/unanswered', '/api/insights/outcomes']) {
      expect((await get(`${path}?from=2026-02-01&to=2026-01-01`, owner)).status).toBe(400);
      expect((await get(`${path}?from=2024-01-01&to=2026-01-01`, owner)).status).toBe(400);
      expect((await get(`${path}?from=01-01-2026`, owner)).status).toBe(400);
      expect((await get(`${path}?days=7`, owner)).status).toBe(400);
      expect((await server.fetch(path)).status).toBe(401);
      const week = await get(`${path}?from=2026-01-01&to=2026-01-07`, owner);
      expect(week.status).toBe(200);
      expect(await week.json()).toMatchObject({ from: '2026-01-01', to: '2026-01-07' });
    }
    const month = await (await get('/api/insights/outcomes', owner)).json();
    expect(month.days).toHaveLength(30);
    expect(month.days.at(-1)).toEqual({ date: today(), conversations: 0, answered_by_bot: 0, handed_to_person: 0, abandoned: 0, resolved_without_person: null });
    expect(month.totals.resolved_without_person).toBeNull();
  });
});

describe('GET /api/insights/outcomes', () => {
  it('counts conversations answered by Bob, handed to a person and abandoned; CSV on request', async () => {
    const owner = await login(server, DEMO_OWNER);
    const day = today();

    await ask(sid(), 'How much is a tax return?'); // Bob alone
    const served = sid();
    expect(await ask(served, 'I want to talk to a person')).toMatchObject({ handoff: true });
    const sent = await server.send('POST', '/api/chat/message', { session_id: served, message: 'Hello, this is Anna from Business Co.' }, owner.bearer);
    expect(sent.status).toBe(201);
    expect(await ask(sid(), 'voglio parlare con un operatore')).toMatchObject({ handoff: true }); // nobody answers

    // A console try-out and another tenant's conversation are not this business's conversations.
    const run = await (await server.send('POST', '/api/chat/session', {}, owner.bearer)).json();
    await server.send('POST', '/api/chat/message', { session_id: run.session_id, message: 'How much is a tax return?' }, owner.bearer);
    await ask(sid(), 'How much is Pro?', null);

    // Inside its 10 minutes the unanswered handoff is not abandoned yet.
    const early = await (await get(`/api/insights/outcomes?from=${day}&to=${day}`, owner)).json();
    expect(early.days).toEqual([{ date: day, conversations: 3, answered_by_bot: 1, handed_to_person: 1, abandoned: 0, resolved_without_person: 0.3333 }]);

    clock.advance(11 * 60_000);
    const to = today();
    const res = await get(`/api/insights/outcomes?from=${day}&to=${to}`, owner);
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report.totals).toEqual({ conversations: 3, answered_by_bot: 1, handed_to_person: 1, abandoned: 1, resolved_without_person: 0.3333 });
    expect(report.days[0]).toEqual({ date: day, ...report.totals });
    expect(report.totals.resolved_without_person).toBeCloseTo(1 / 3, 3);

    const csv = await get(`/api/insights/outcomes?from=${day}&to=${to}`, owner, { Accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="bob-outcomes-${day}-${to}.csv"`);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('date,conversations,answered_by_bot,handed_to_person,abandoned,resolved_without_person');
    expect(lines[1]).toBe(`${day},3,1,1,1,0.3333`);

    // The platform's own numbers do not include Business Co's.
    const admin = await login(server, DEMO_ADMIN);
    const platform = await (await get(`/api/insights/outcomes?from=${day}&to=${to}`, admin)).json();
    expect(platform.totals).toMatchObject({ conversations: 1, answered_by_bot: 1 });
  });
});
