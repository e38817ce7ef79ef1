// The live streams' fan-out (src/server/modules/realtime/sse-fanout.ts): one subscription per audience, an event
// serialised once and the same bytes written to every stream that may see it. These tests read the
// raw bytes off the wire: each stream gets exactly its events (its tenant's, a platform admin's every
// tenant's, the pricebook everyone's, never a try-it run's), streams of one audience get identical
// frames, the frame is the documented format, and Last-Event-ID resume gives the same bytes again.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKey, publicChat, sid, tenantBySlug, widgetChat } from '../helpers/chat';
import { records } from '../helpers/db';
import { eventually } from '../helpers/eventually';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';
import { secondBusiness } from '../helpers/demo';
import type { BobEvent } from '../../src/shared/events';

const ORIGIN = 'http://localhost:5173';
let server: TestServer;
const streams: RawStream[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const s of streams) s.close();
  await server?.close();
});

/** An event stream's raw text, as it came off the socket. */
interface RawStream {
  status: number;
  text: string;
  /** The event frames (`id: …` … blank line), byte for byte, in order. */
  frames(): string[];
  close(): void;
}

function openRaw(pathname: string, headers: Record<string, string>): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(pathname, server.url), { agent: false, headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const s: RawStream = {
        status: res.statusCode ?? 0,
        text: '',
        frames: () => s.text.split(/(?<=\n\n)/).filter((f) => f.startsWith('id: ') && f.endsWith('\n\n')),
        close: () => res.destroy(),
      };
      streams.push(s);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (s.text += chunk));
      res.on('error', () => {});
      res.once('data', () => resolve(s)); // the retry line: the stream is open
      if (res.statusCode !== 200) resolve(s);
    });
    req.on('error', reject);
  });
}

const idOf = (frame: string) => Number(/^id: (\d+)\n/.exec(frame)![1]);

/** The staff frame of a stored event, as documented: its type, and its payload with tenant_id and at. */
const staffFrame = (e: BobEvent) => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ ...e.data, tenant_id: e.tenantId, at: e.createdAt })}\n\n`;

describe('live stream fan-out', () => {
  it('gives each staff stream exactly its events, the same bytes on every stream, and the same bytes again on resume', async () => {
    const admin = await login(server, DEMO_ADMIN);
    const owner = await login(server, DEMO_OWNER);
    const anna = await secondBusiness(server, admin);
    const bizCo = (await tenantBySlug(server, 'business-co')).id;
    const rossi = (await tenantBySlug(server, 'rossi')).id;
    const mark = (await records(server).events()).at(-1)?.id ?? 0;

    // Three streams of Business Co's owner (two sign-ins), two of Rossi's, two of a platform admin.
    const ownerStreams = [await openRaw('/api/events', owner.bearer), await openRaw('/api/events', owner.bearer), await openRaw('/api/events', owner.bearer)];
    const annaStreams = [await openRaw('/api/events', anna.bearer), await openRaw('/api/events', anna.bearer)];
    const adminStreams = [await openRaw('/api/events', admin.bearer), await openRaw('/api/events', admin.bearer)];
    for (const s of [...ownerStreams, ...annaStreams, ...adminStreams]) expect(s.status).toBe(200);

    // Visitors of both businesses and the platform's own site, a try-it run, and a pricebook every business sees.
    expect((await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'How much is a tax return?' })).status).toBe(200);
    expect((await publicChat(server, { session_id: sid(), business_id: 'rossi', message: 'Avete cornetti?' })).status).toBe(200);
    expect((await publicChat(server, { session_id: sid(), message: 'hi from the platform site' })).status).toBe(200);
    const run = await (await server.send('POST', '/api/chat/session', {}, owner.bearer)).json();
    expect((await server.send('POST', '/api/chat/message', { session_id: run.session_id, message: 'a try-it question' }, owner.bearer)).status).toBe(200);
    const draft = (await (await server.send('POST', '/api/pricebook/versions', {}, admin.bearer)).json()) as { version: number };
    expect((await server.send('POST', `/api/pricebook/versions/${draft.version}/publish`, {}, admin.bearer)).status).toBe(200);
    expect((await publicChat(server, { session_id: sid(), business_id: 'rossi', message: 'E le brioche?' })).status).toBe(200);

    const stored = (await records(server).events(mark));
    const consoleSession = (await records(server).session(run.session_id))!.id;
    const shown = stored.filter((e) => e.sessionId !== consoleSession);
    expect(shown.length).toBeLessThan(stored.length); // the try-it run did emit events…
    const pricebook = (e: BobEvent) => e.type === 'pricebook.published';
    const expected = {
      owner: shown.filter((e) => e.tenantId === bizCo || pricebook(e)).map(staffFrame),
      anna: shown.filter((e) => e.tenantId === rossi || pricebook(e)).map(staffFrame),
      admin: shown.map(staffFrame),
    };
    expect(expected.owner.length).toBeGreaterThan(2);
    expect(expected.anna.length).toBeGreaterThan(4);
    expect(expected.admin.length).toBeGreaterThan(expected.owner.length + expected.anna.length - 2);

    const audiences = [
      [ownerStreams, expected.owner],
      [annaStreams, expected.anna],
      [adminStreams, expected.admin],
    ] as const;
    for (const [group, frames] of audiences) {
      await eventually(() => group.every((s) => s.frames().length >= frames.length), 5000, 'every stream has its events');
    }
    await new Promise((r) => setTimeout(r, 100)); // nothing more arrives
    for (const [group, frames] of audiences) {
      // …but no stream shows them; every stream of an audience has exactly its frames, byte for byte.
      for (const s of group) expect(s.frames()).toEqual(frames);
    }
    // The wire format around the frames: the retry line first, nothing but frames after it.
    for (const s of ownerStreams) expect(s.text).toBe(`retry: 3000\n\n${expected.owner.join('')}`);

    // Resume: after the first Rossi event, the same frames again, byte for byte. (A business's replay
    // holds its own events: the platform's pricebook.published is live only, as before the fan-out.)
    const first = idOf(expected.anna[0]!);
    const replayed = expected.anna.slice(1).filter((f) => !f.includes('event: pricebook.published\n'));
    expect(replayed.length).toBe(expected.anna.length - 2);
    const resumed = await openRaw('/api/events', { ...anna.bearer, 'Last-Event-ID': String(first) });
    await eventually(() => resumed.frames().length >= replayed.length, 5000, 'the replay');
    expect(resumed.frames()).toEqual(replayed);
    // An admin's replay holds every tenant's events, the pricebook too.
    const adminResumed = await openRaw('/api/events', { ...admin.bearer, 'Last-Event-ID': String(idOf(expected.admin[0]!)) });
    await eventually(() => adminResumed.frames().length >= expected.admin.length - 1, 5000, 'the admin replay');
    expect(adminResumed.frames()).toEqual(expected.admin.slice(1));
    // And the resumed stream is live as well: a new event reaches it and the other Rossi streams alike.
    expect((await publicChat(server, { session_id: sid(), business_id: 'rossi', message: 'Grazie!' })).status).toBe(200);
    await eventually(() => annaStreams.every((s) => s.frames().length > expected.anna.length) && resumed.frames().length > replayed.length, 5000, 'the live event');
    const latest = [resumed, ...annaStreams].map((s) => s.frames().at(-1));
    expect(new Set(latest).size).toBe(1);
    expect(ownerStreams.every((s) => s.frames().length === expected.owner.length)).toBe(true);
  });

  it('gives a visitor\'s streams the same bytes, and other conversations none of them', async () => {
    const key = await demoKey(server);
    const mine = sid();
    const other = sid();
    const open = (session: string, headers: Record<string, string> = {}) =>
      openRaw(`/api/widget/stream?key=${encodeURIComponent(key)}&session_id=${session}`, { Origin: ORIGIN, ...headers });
    const tabs = [await open(mine), await open(mine)];
    const elsewhere = await open(other);
    for (const s of [...tabs, elsewhere]) expect(s.status).toBe(200);

    expect((await widgetChat(server, key, ORIGIN, { session_id: mine, message: 'How much is a tax return?' })).status).toBe(200);
    expect((await widgetChat(server, key, ORIGIN, { session_id: mine, message: 'voglio parlare con un operatore' })).status).toBe(200);
    // The visitor's message, Bob's reply, the handoff's status and message.
    await eventually(() => tabs.every((s) => s.frames().some((f) => f.includes('event: status\n'))), 5000, 'the status event');
    await new Promise((r) => setTimeout(r, 100));
    const [a, b] = tabs.map((s) => s.frames());
    expect(a!.length).toBeGreaterThanOrEqual(3);
    expect(b).toEqual(a);
    expect(a!.every((f) => /^id: \d+\nevent: (message|status)\ndata: \{.*\}\n\n$/.test(f))).toBe(true);
    expect(a!.join('')).not.toContain('session_id'); // the visitor projection: no internal ids
    expect(elsewhere.frames()).toEqual([]);

    // Resume after the first frame: the rest, byte for byte.
    const resumed = await open(mine, { 'Last-Event-ID': String(idOf(a![0]!)) });
    await eventually(() => resumed.frames().length >= a!.length - 1, 5000, 'the replay');
    expect(resumed.frames()).toEqual(a!.slice(1));
  });
});
