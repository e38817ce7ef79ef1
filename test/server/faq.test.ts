import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let owner: Session;
beforeEach(async () => {
  server = await startTestServer();
  owner = await login(server, DEMO_OWNER);
});
afterEach(() => server.close());

const ask = async (message: string) => (await (await publicChat(server, { session_id: sid(), business_id: 'business-co', message })).json()).reply as string;

describe('FAQ entries', () => {
  it('are used by Bob from the next message, follow edits and stop after deletion', async () => {
    const created = await server.send('POST', '/api/faq', { question: 'Do you offer parking for visitors?', answer: 'Yes, free parking behind the building.' }, owner.bearer);
    expect(created.status).toBe(201);
    const entry = await created.json();
    expect(await ask('Is there parking for visitors?')).toContain('free parking behind the building');

    const edited = await server.send('PUT', `/api/faq/${entry.id}`, { question: 'Do you offer parking for visitors?', answer: 'Parking is in the garage on Via Roma.' }, owner.bearer);
    expect(edited.status).toBe(200);
    expect(await ask('Is there parking for visitors?')).toContain('Via Roma');

    expect((await server.fetch(`/api/faq/${entry.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(204);
    expect(await ask('Is there parking for visitors?')).not.toContain('Via Roma');
    const actions = (await records(server).audit()).map((a) => a.action).filter((a) => a.startsWith('faq.'));
    expect(actions).toEqual(['faq.created', 'faq.updated', 'faq.deleted']);
  });

  it('validate input and stay inside their tenant', async () => {
    expect((await server.send('POST', '/api/faq', { question: 'x', answer: '' }, owner.bearer)).status).toBe(400);
    const admin = await login(server, DEMO_ADMIN);
    const theirs = await (await server.send('POST', '/api/faq', { question: 'Platform only question?', answer: 'Secret platform answer' }, admin.bearer)).json();
    expect((await server.send('PUT', `/api/faq/${theirs.id}`, { question: 'Changed?', answer: 'changed' }, owner.bearer)).status).toBe(404);
    expect((await server.fetch(`/api/faq/${theirs.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(404);
    expect((await (await server.fetch('/api/faq', { headers: owner.bearer })).json()).data).toEqual([]);
    expect(await ask('Platform only question?')).not.toContain('Secret platform answer');
  });
});
