// The sessions list and search (#19): the fast plans return exactly what the straightforward
// queries return (same sessions, same order, same pages, the same newest matching message), on
// every path: few matches (gathered), many (read in order through a window of the newest hits,
// with long conversations reaching below it), prefixes, accents, several words, status filters.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/server/db/client';
import { migrate } from '../../src/server/db/migrate';
import { createChatRepo } from '../../src/server/modules/chat/chat.repo';
import { seedDemoData } from '../../src/server/modules/demo/demo.seed';
import { createTenantsRepo } from '../../src/server/modules/tenants/tenants.repo';
import { MATCH_END, MATCH_START } from '../../src/shared/search-snippet';
import type { SessionStatus } from '../../src/shared/schemas/chat';
import { sqliteDialect } from '../../src/server/storage/dialect';
import { sqliteStorage, type Storage } from '../../src/server/storage/sqlite';
// The straightforward queries the fast ones must agree with: SQL on purpose, kept in one place.
import { referenceMatch as referenceOf, referenceSessions, sessionPagePlans } from '../helpers/raw-sql';

let dir: string;
let db: Db;
let tenantId: string;
let otherTenant: string;

const chatRepo = (tuning?: { gatherMax: number; window: number }, q: Storage = sqliteStorage(db)) => createChatRepo(q, sqliteDialect, tuning);

const WORDS = ['price', 'prices', 'pricing', 'priced', 'hours', 'tax', 'taxi', 'città', 'Perché', 'caffè', 'più', 'qualità', 'invoice', 'refund', 'delivery', 'delivered', 'ørsted', 'straße', 'naïve', 'zanzibar', 'x42', 'open', 'opening', 'ſupplies', 'supplier'];
const STATUSES: SessionStatus[] = ['bot', 'waiting_for_agent', 'agent', 'closed'];

/** A small seeded PRNG, so the data is the same every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-search-test-'));
  db = openDatabase(dir);
  migrate(db);
  await seedDemoData(sqliteStorage(db), sqliteDialect, new Date('2026-01-01T00:00:00Z'));
  const ids = await createTenantsRepo(sqliteStorage(db)).page('', 100);
  tenantId = ids.find((t) => t.slug === 'business-co')!.id;
  otherTenant = ids.find((t) => t.slug !== 'business-co')!.id;
  const rand = rng(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  // 240 conversations, mostly short, a few that go on for long (their first messages far below
  // the newest ones), interleaved in time; same-time last messages, so the id breaks ties.
  const sessions = Array.from({ length: 240 }, (_, i) => ({
    id: randomUUID(),
    tenant: i % 7 === 0 ? otherTenant : tenantId,
    channel: i % 17 === 0 ? ('console' as const) : ('widget' as const),
    left: i % 20 === 0 ? 60 : 2 + Math.floor(rand() * 10),
  }));
  await sqliteStorage(db).transaction().execute(async (trx) => {
    const repo = chatRepo(undefined, trx);
    for (const s of sessions) {
      await repo.insertSession({ id: s.id, tenant_id: s.tenant, external_id: `v_${s.id}`, channel: s.channel, persona_id: null, visitor_name: null, language: 'en', origin: null, key_mode: null, created_by: null, at: '2025-01-01T00:00:00.000Z' });
      await repo.setState({ id: s.id, status: pick(STATUSES), assigned_user_id: null, waiting_since: null, unanswered_streak: 0, at: '2025-01-01T00:00:00.000Z' });
    }
    let t = Date.parse('2025-01-01T00:00:00Z');
    let open = sessions.slice();
    while (open.length) {
      const s = pick(open);
      t += rand() < 0.1 ? 0 : 1000; // now and then two messages at the same instant
      const body = Array.from({ length: 3 + Math.floor(rand() * 6) }, () => (rand() < 0.3 ? pick(WORDS) : pick(['the', 'a', 'is', 'and', 'con', 'per']))).join(' ');
      const author = rand() < 0.05 ? 'note' : rand() < 0.5 ? 'visitor' : 'bot';
      await repo.insertMessage({ id: randomUUID(), tenant_id: s.tenant, session_id: s.id, author, author_id: null, author_name: null, body, created_at: new Date(t).toISOString(), responder: null, basis: null });
      if (--s.left === 0) open = open.filter((o) => o !== s);
    }
  });
});

afterAll(() => {
  closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

const reference = (opts: Parameters<typeof referenceSessions>[1]) => referenceSessions(db, opts);
const referenceMatch = (sessionId: string, q: string) => referenceOf(db, sessionId, q);

/** Every page of a list, as the route pages it (limit + 1 rows, the cursor after the last kept). */
async function allPages(
  list: (o: Parameters<typeof referenceSessions>[1]) => ReturnType<typeof reference> | Promise<ReturnType<typeof reference>>,
  opts: { tenantId: string | null; status?: SessionStatus; q?: string },
  limit: number,
) {
  const pages: string[][] = [];
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const rows = await list({ ...opts, after, limit: limit + 1 });
    const data = rows.slice(0, limit);
    pages.push(data.map((r) => r.id));
    if (rows.length <= limit) return pages;
    after = { at: data[data.length - 1]!.last_message_at, id: data[data.length - 1]!.id };
  }
}

const QUERIES = ['price', 'pri', 'Price', 'prices', 'hours', 'tax', 'taxi', 'citta', 'Città', 'CITTÀ', 'perche', 'caffe', 'piu', 'qualita', 'deliver', 'invoice refund', 'price hours tax', 'ørsted', 'strasse', 'straße', 'naive', 'zanzibar', 'x4', 'open', 'o', 'suppl', 'supplies', 'nothing', '"AND OR * (', 'p'];

describe('sessions list and search', () => {
  // Thresholds: the defaults, always gather, always the window (small and large), window of 1.
  const tunings = [undefined, { gatherMax: 1e9, window: 4000 }, { gatherMax: 0, window: 4000 }, { gatherMax: 0, window: 7 }, { gatherMax: 0, window: 1 }];

  it('returns the same sessions, order and pages as the straightforward queries, on every path', async () => {
    for (const tuning of tunings) {
      const repo = chatRepo(tuning);
      for (const tenant of [tenantId, null])
        for (const status of [undefined, 'bot', 'waiting_for_agent'] as const)
          for (const q of [undefined, ...QUERIES])
            for (const limit of [4, 30]) {
              const opts = { tenantId: tenant, status, q };
              expect(await allPages((o) => repo.list(o), opts, limit), JSON.stringify({ tuning, ...opts, limit })).toEqual(await allPages(reference, opts, limit));
            }
    }
  }, 180_000);

  it('gives each session found its newest matching message, as before', async () => {
    for (const tuning of tunings) {
      const repo = chatRepo(tuning);
      for (const q of QUERIES) {
        const rows = await repo.list({ tenantId: otherTenant, q, limit: 100 });
        const found = await repo.matches(rows.map((r) => r.id), q);
        for (const r of rows) expect(found.get(r.id), `${q} ${r.id}`).toEqual(referenceMatch(r.id, q));
      }
    }
  });

  it('lists a session matching in several messages once', async () => {
    const rows = await chatRepo({ gatherMax: 0, window: 5 }).list({ tenantId, q: 'price', limit: 100 });
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(5);
  });

  it('finds words added after a prefix was looked up (the word list follows new messages)', async () => {
    const repo = chatRepo();
    const s = reference({ tenantId, limit: 1 })[0]!;
    expect(await repo.list({ tenantId, q: 'quokk', limit: 5 })).toEqual([]);
    await repo.insertMessage({ id: randomUUID(), tenant_id: tenantId, session_id: s.id, author: 'visitor', author_id: null, author_name: null, body: 'A quokka!', created_at: '2026-06-01T00:00:00.000Z', responder: null, basis: null });
    expect((await repo.list({ tenantId, q: 'quokk', limit: 5 })).map((r) => r.id)).toEqual([s.id]);
    expect((await repo.matches([s.id], 'quokk')).get(s.id)?.snippet).toBe(`A ${MATCH_START}quokka${MATCH_END}!`);
  });

  it("highlights every word of a prefix in a message's snippet, one written with a compatibility letter too", async () => {
    const repo = chatRepo();
    const s = reference({ tenantId, limit: 1 })[0]!;
    // The index folds ſ to s: both words are "suppl…", and the snippet marks both.
    await repo.insertMessage({ id: randomUUID(), tenant_id: tenantId, session_id: s.id, author: 'visitor', author_id: null, author_name: null, body: 'ſupplies from the supplier', created_at: '2026-06-02T00:00:00.000Z', responder: null, basis: null });
    const found = (await repo.matches([s.id], 'suppl')).get(s.id);
    expect(found).toEqual(referenceMatch(s.id, 'suppl'));
    expect(found?.snippet).toBe(`${MATCH_START}ſupplies${MATCH_END} from the ${MATCH_START}supplier${MATCH_END}`);
  });

  it('reads one page of sessions in index order, without sorting them all', () => {
    const plans = sessionPagePlans(db, tenantId);
    expect(plans).toHaveLength(3);
    for (const plan of plans) expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
