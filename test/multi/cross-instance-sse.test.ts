import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sid } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { DEMO_ADMIN, DEMO_OWNER, login, type Session } from '../helpers/server';
import { SseClient, type SseEvent } from '../helpers/sse';
import { onPostgres } from '../helpers/test-database';
import { demoKey, ORIGIN, startInstances, widgetChat, type Instance } from './instances';

describe.runIf(onPostgres)('two instances on one database: live events', () => {
  let bob: Awaited<ReturnType<typeof startInstances>>;
  let a: Instance;
  let b: Instance;
  let admin: Session;
  let key: string;
  const streams: SseClient[] = [];
  const open = async (on: Instance, pathname: string, headers: Record<string, string>) => {
    const s = await SseClient.open(new URL(pathname, on.url).href, headers);
    streams.push(s);
    expect(s.status).toBe(200);
    return s;
  };

  beforeAll(async () => {
    // Each visitor its own address (as a proxy forwards it): the per-address limit is shared too.
    bob = await startInstances({ BOB_TRUST_PROXY: '1' });
    [a, b] = bob.instances as [Instance, Instance];
    admin = await login(b, DEMO_ADMIN);
    key = await demoKey(b, await login(b, DEMO_OWNER));
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(() => bob?.close());

  it('a message posted to A reaches the staff and the visitor streams on B within 1 s', async () => {
    const session_id = sid();
    const staff = await open(b, '/api/events', admin.bearer);
    const visitor = await open(b, `/api/widget/stream?session_id=${session_id}&key=${key}`, { Origin: ORIGIN });
    const latencies: number[] = [];
    for (let n = 1; n <= 5; n++) {
      const message = `How much is a tax return? (asked on A, ${n})`;
      const since = (t0: number) => (e: SseEvent) => ({ e, ms: performance.now() - t0 });
      const posted = performance.now();
      const onStaff = staff.next((e) => e.event === 'message.created' && e.data.message.body === message, 5000).then(since(posted));
      const onVisitor = visitor.next((e) => e.event === 'message' && e.data.author === 'visitor' && e.data.body === message, 5000).then(since(posted));
      const res = await widgetChat(a, key, { session_id, message }, '10.1.0.1');
      expect(res.status).toBe(200);
      // Bob's reply is stored before A answers: from then on it has 1 s to reach B's streams.
      const answered = performance.now();
      const { message_id } = (await res.json()) as { message_id: string };
      const replyOnStaff = staff.next((e) => e.event === 'message.created' && e.data.message.id === message_id, 5000).then(since(answered));
      const replyOnVisitor = visitor.next((e) => e.event === 'message' && e.data.id === message_id, 5000).then(since(answered));
      const arrived = await Promise.all([onStaff, onVisitor, replyOnStaff, replyOnVisitor]);
      latencies.push(...arrived.map((x) => x.ms));
    }
    expect(Math.max(...latencies), `latencies ${latencies.map(Math.round).join(', ')} ms`).toBeLessThan(1000);
  });

  it('resumes by Last-Event-ID on the other instance while both take writes: every stored event once, in id order', async () => {
    const before = (await bob.records.events()).at(-1)?.id ?? 0;
    const first = await open(b, '/api/events', admin.bearer);
    // Four visitors at once, two on each instance, each visitor's messages one after another.
    const writers = [a, b, a, b].map(async (on, i) => {
      const session_id = sid();
      for (let n = 0; n < 6; n++) expect((await widgetChat(on, key, { session_id, message: `writer ${i} says ${n}` }, `10.2.${i}.1`)).status).toBe(200);
    });
    // Cut the first stream off mid-way, and resume on A while the writes go on.
    await eventually(() => first.events.length >= 12, 10_000, 'a dozen events on the first stream');
    first.close();
    const seen = first.events.map((e) => Number(e.id));
    const resumed = await open(a, '/api/events', { ...admin.bearer, 'Last-Event-ID': String(seen.at(-1)) });
    await Promise.all(writers);

    const stored = (await bob.records.events(before)).map((e) => e.id);
    expect(stored.length).toBeGreaterThan(40);
    await eventually(() => resumed.events.some((e) => Number(e.id) === stored.at(-1)), 5000, 'the last stored event on the resumed stream');
    const after = resumed.events.map((e) => Number(e.id));
    // The resume really overlapped the writes (some events came after the cut), and nothing the
    // first stream saw came again.
    expect(after.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(stored.length);
    const ascending = (ids: number[]) => [...new Set(ids)].sort((x, y) => x - y);
    expect(seen).toEqual(ascending(seen));
    expect(after).toEqual(ascending(after));
    expect([...seen, ...after]).toEqual(stored);
  });
});
