// Typing indicators across two instances on one PostgreSQL database (issue #23): announced with
// NOTIFY bob_typing, never stored; each instance delivers them to the streams it holds.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sid } from '../helpers/chat';
import { DEMO_OWNER, login, type Session } from '../helpers/server';
import { SseClient } from '../helpers/sse';
import { onPostgres } from '../helpers/test-database';
import { demoKey, ORIGIN, startInstances, widgetChat, type Instance } from './instances';

describe.runIf(onPostgres)('two instances on one database: typing indicators', () => {
  let bob: Awaited<ReturnType<typeof startInstances>>;
  let a: Instance;
  let b: Instance;
  let owner: Session;
  let key: string;
  const streams: SseClient[] = [];
  const open = async (on: Instance, pathname: string, headers: Record<string, string>) => {
    const s = await SseClient.open(new URL(pathname, on.url).href, headers);
    streams.push(s);
    expect(s.status).toBe(200);
    return s;
  };

  beforeAll(async () => {
    bob = await startInstances();
    [a, b] = bob.instances as [Instance, Instance];
    owner = await login(b, DEMO_OWNER);
    key = await demoKey(b, owner);
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(() => bob?.close());

  it('a person typing on A reaches the visitor on B, the visitor typing on B reaches staff on A, nothing stored', async () => {
    const session_id = sid();
    expect((await widgetChat(a, key, { session_id, message: 'Hello' })).status).toBe(200);
    const before = (await bob.records.events()).length;
    const visitor = await open(b, `/api/widget/stream?session_id=${session_id}&key=${key}`, { Origin: ORIGIN });
    const staff = await open(a, '/api/events', owner.bearer);

    expect((await a.send('POST', `/api/chat/sessions/${session_id}/typing`, { typing: true }, owner.bearer)).status).toBe(204);
    expect((await visitor.next((e) => e.event === 'typing', 5000)).data).toMatchObject({ by: 'staff', typing: true });

    const res = await b.send('POST', '/api/widget/typing', { session_id, typing: true }, { 'X-Widget-Key': key, Origin: ORIGIN });
    expect(res.status).toBe(204);
    expect((await staff.next((e) => e.event === 'typing', 5000)).data).toMatchObject({ by: 'visitor', typing: true });
    // Each heard once (an instance hears its own NOTIFY: it delivers only what it hears).
    expect(visitor.events.filter((e) => e.event === 'typing')).toHaveLength(1);
    expect(staff.events.filter((e) => e.event === 'typing')).toHaveLength(1);
    expect((await bob.records.events()).length).toBe(before);
  });
});
