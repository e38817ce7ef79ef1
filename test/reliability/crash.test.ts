// Crash: visitors chat while Bob is killed with SIGKILL mid-load and started again on the same
// data dir. Every message Bob acknowledged (200) must be in the transcript exactly once.
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { api, bobProcesses, loginOwner, n, report, SIZES, sleep } from './lib';

// The chat limits (20 per session, 60 per IP a minute) are not configurable from the environment:
// every message comes from its own X-Forwarded-For address (trusted here) and a session takes 10.
const procs = bobProcesses({ BOB_TRUST_PROXY: '1' });
afterAll(() => procs.cleanup());

const PER_SESSION = 10;
let ipCounter = 0;
const nextIp = () => {
  const i = ++ipCounter;
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
};

interface Sent {
  session: string;
  body: string;
}

/** One visitor: messages one after another until the server stops answering. */
async function visitor(url: string, round: number, v: number, acked: Sent[], stats: { other: Record<string, number> }) {
  let session = '';
  for (let i = 0; ; i++) {
    if (i % PER_SESSION === 0) session = `crash_${round}_${v}_${randomUUID()}`;
    const body = `How much is Pro? [crash r${round} v${v} m${i} ${randomUUID()}]`;
    let status: number;
    try {
      const res = await fetch(new URL('/api/chat', url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': nextIp() },
        body: JSON.stringify({ session_id: session, message: body, business_id: 'business-co' }),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      return; // killed: this message was never acknowledged
    }
    if (status === 200) acked.push({ session, body });
    else stats.other[status] = (stats.other[status] ?? 0) + 1;
  }
}

/** How many times each acknowledged message is in its session's transcript (read as the owner). */
async function countInTranscripts(url: string, token: string, acked: Sent[]) {
  const bySession = new Map<string, Sent[]>();
  for (const a of acked) bySession.set(a.session, [...(bySession.get(a.session) ?? []), a]);
  const counts = new Map<string, number>();
  const sessions = [...bySession.keys()];
  const worker = async () => {
    for (let s = sessions.shift(); s !== undefined; s = sessions.shift()) {
      const bodies: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `/api/chat/sessions/${encodeURIComponent(s)}?limit=200${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`;
        type Transcript = { messages: { data: { author: string; body: string }[]; next_cursor: string | null } };
        let res = await api<Transcript>(url, token, 'GET', q);
        for (let tries = 0; res.status === 429 && tries < 10; tries++) {
          await sleep(1000); // a staff API limit: wait, this is not what is measured
          res = await api<Transcript>(url, token, 'GET', q);
        }
        if (res.status === 404) break;
        expect(res.status, `transcript of ${s}`).toBe(200);
        bodies.push(...res.body.messages.data.filter((m) => m.author === 'visitor').map((m) => m.body));
        cursor = res.body.messages.next_cursor;
      } while (cursor);
      for (const b of bodies) counts.set(b, (counts.get(b) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  let missing = 0;
  let duplicated = 0;
  for (const a of acked) {
    const c = counts.get(a.body) ?? 0;
    if (c === 0) missing++;
    if (c > 1) duplicated++;
  }
  return { missing, duplicated };
}

it(`acknowledged chat messages survive kill -9 (${SIZES.crashRounds} rounds, ${SIZES.crashVisitors} visitors)`, async () => {
  let bob = await procs.start();
  const allAcked: Sent[] = [];
  const other: Record<string, number> = {};
  let missing = 0;
  let duplicated = 0;
  const killedAfter: number[] = [];
  let rounds = 0;
  let stoppedBy = '';
  try {
    for (let round = 1; round <= SIZES.crashRounds; round++) {
      const acked: Sent[] = [];
      const stats = { other };
      const visitors = Array.from({ length: SIZES.crashVisitors }, (_, v) => visitor(bob.url, round, v, acked, stats));
      // Mid-load: long enough for hundreds of messages, at a different point of each round.
      const after = 1200 + Math.floor(Math.random() * 1300);
      killedAfter.push(after);
      await sleep(after);
      await procs.kill9(bob);
      await Promise.all(visitors);
      bob = await procs.start();
      const token = await loginOwner(bob.url);
      const check = await countInTranscripts(bob.url, token, acked);
      missing += check.missing;
      duplicated += check.duplicated;
      allAcked.push(...acked);
      rounds = round;
    }
  } catch (err) {
    stoppedBy = String(err).replace(/\s+/g, ' ').slice(0, 400);
  }
  // After the last restart, everything acknowledged in every round is still there exactly once.
  const final = stoppedBy ? { missing: 0, duplicated: 0 } : await countInTranscripts(bob.url, await loginOwner(bob.url), allAcked);
  const others = Object.entries(other).map(([s, c]) => `${n(c)}×${s}`).join(', ');
  report(
    `crash: ${rounds} of ${SIZES.crashRounds} rounds${stoppedBy ? ` (STOPPED: ${stoppedBy})` : ''} (killed after ${killedAfter.join(', ')} ms), ${n(allAcked.length)} acknowledged, ` +
      `${n(missing + final.missing)} missing, ${n(duplicated + final.duplicated)} duplicated${others ? ` (other answers: ${others})` : ''}`,
  );
  expect(stoppedBy).toBe('');
  expect(allAcked.length).toBeGreaterThan(0);
  expect({ missing: missing + final.missing, duplicated: duplicated + final.duplicated }).toEqual({ missing: 0, duplicated: 0 });
}, 150_000);
