// Full-text search over chat messages on PostgreSQL (tsvector, prefixes, ts_headline) finds what
// SQLite's FTS5 finds: the same sessions, in the same order, and the same newest matching message
// of each, through the chat repository's own search; its snippets mark a query word.
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { usePgDatabase } from '../../../../test/helpers/pg-database';
import { AT, useTempDatabase } from '../../../../test/helpers/temp-db';
import { createChatRepo } from '../../modules/chat/chat.repo';
import { MATCH_END, MATCH_START } from '../../../shared/search-snippet';
import { dialectOf } from '../dialect';
import type { Database } from '../schema';
import { parseFts, tsq } from './chat-text';

const openPgDatabase = usePgDatabase();

const openPg = openPgDatabase;
const openSqlite = useTempDatabase();

/** Sessions and their messages, oldest first (Italian and English, accents, punctuation). */
const FIXTURE: { id: string; tenant: string; channel?: 'console'; messages: string[] }[] = [
  { id: 's1', tenant: 't1', messages: ['Buongiorno! Qual è il prezzo della consegna a Milano?', 'Il prezzo è 5 €, la consegna è gratuita sopra i 50 €.', 'Grazie mille.'] },
  { id: 's2', tenant: 't1', messages: ['Hello, what are your opening hours?', 'We open at 9:00, Monday to Friday.', 'And the price of delivery?'] },
  { id: 's3', tenant: 't1', messages: ['Spedite in tutta la città?', 'Sì, in ogni CITTÀ d’Italia; i prezzi variano.', 'Perché la consegna non è arrivata?!'] },
  { id: 's4', tenant: 't1', messages: ['Vorrei un rimborso (refund) per l’ordine #42.', 'Il rimborso è stato avviato: 3–5 giorni.'] },
  { id: 's5', tenant: 't2', messages: ['Prezzo e consegna gratuita anche per la Sardegna?', 'Certo, consegna gratuita ovunque.'] },
  { id: 's6', tenant: 't1', messages: ['Γεια σας, καλημέρα! Delivery to Athens?', 'Yes: delivery in 3 days.'] },
  { id: 's7', tenant: 't1', channel: 'console', messages: ['Prova del prezzo in console: città, consegna.'] },
  { id: 's8', tenant: 't1', messages: ['La qualità del caffè è ottima... perché?', 'Perche usiamo solo arabica!', 'Prezzi: caffè 1,20 €.'] },
];

async function seed(db: Kysely<Database>) {
  const chat = createChatRepo(db, dialectOf(db));
  let n = 0;
  for (const s of FIXTURE) {
    await chat.insertSession({ id: s.id, tenant_id: s.tenant, external_id: `v-${s.id}`, channel: s.channel ?? 'widget', persona_id: null, visitor_name: null, language: 'it', origin: null, key_mode: null, created_by: null, at: AT });
  }
  // Interleaved in time, so a session's messages are not one run of seqs.
  const longest = Math.max(...FIXTURE.map((s) => s.messages.length));
  for (let i = 0; i < longest; i++) {
    for (const s of FIXTURE) {
      const body = s.messages[i];
      if (body === undefined) continue;
      const at = new Date(Date.parse(AT) + ++n * 60_000).toISOString();
      await chat.insertMessage({ id: `${s.id}-m${i}`, tenant_id: s.tenant, session_id: s.id, author: i % 2 ? 'bot' : 'visitor', author_id: null, author_name: null, body, created_at: at, responder: null, basis: null });
    }
  }
}

/** What the sessions list shows for `q`: the sessions (tenant t1's, then anyone's) and each one's matching message. */
async function search(db: Kysely<Database>, q: string, tuning?: { gatherMax: number; window: number }) {
  const chat = createChatRepo(db, dialectOf(db), tuning);
  const out: { tenant: string | null; sessions: string[]; messages: Record<string, string>; snippets: string[] }[] = [];
  for (const tenantId of ['t1', null]) {
    const sessions = (await chat.list({ tenantId, q, limit: 50 })).map((s) => s.id);
    const found = await chat.matches(sessions, q);
    out.push({
      tenant: tenantId,
      sessions,
      messages: Object.fromEntries([...found].map(([sid, m]) => [sid, m.message_id])),
      snippets: [...found.values()].map((m) => m.snippet),
    });
  }
  return out;
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const marked = (snippet: string) => [...snippet.matchAll(new RegExp(`${MATCH_START}([^${MATCH_END}]*)${MATCH_END}`, 'g'))].map((m) => fold(m[1]!));

const QUERIES: { q: string; sessions: string[] }[] = [
  { q: 'consegna', sessions: ['s3', 's1'] },
  { q: 'citta', sessions: ['s3'] },
  { q: 'Città', sessions: ['s3'] },
  { q: 'CITTÀ?', sessions: ['s3'] },
  { q: 'prez', sessions: ['s8', 's3', 's1'] },
  { q: 'prezzo', sessions: ['s1'] },
  { q: 'consegna gratuita', sessions: ['s1'] },
  { q: 'perche', sessions: ['s8', 's3'] },
  { q: 'Perché caff', sessions: ['s8'] },
  { q: 'delivery', sessions: ['s2', 's6'] },
  { q: 'refund rimborso', sessions: ['s4'] },
  { q: 'γεια', sessions: ['s6'] },
  { q: 'Γει', sessions: ['s6'] },
  { q: 'zanzibar', sessions: [] },
  { q: 'prezzo zanzibar', sessions: [] },
  { q: '?!… —', sessions: [] },
];

describe('chat full-text search on PostgreSQL', () => {
  it('finds the same sessions and messages as SQLite, and marks a query word in each snippet', async () => {
    const pg = await openPg(['t1', 't2']);
    const lite = await openSqlite(['t1', 't2']);
    await seed(pg.storage);
    await seed(lite.storage);
    for (const { q, sessions } of QUERIES) {
      // The default thresholds (few matches: gathered) and tiny ones (many: read in order through a window).
      for (const tuning of [undefined, { gatherMax: 1, window: 2 }]) {
        const [onPg, onLite] = [await search(pg.storage, q, tuning), await search(lite.storage, q, tuning)];
        const ids = (r: typeof onPg) => r.map(({ tenant, sessions, messages }) => ({ tenant, sessions, messages }));
        expect(ids(onPg), `${q} ${JSON.stringify(tuning)}`).toEqual(ids(onLite));
        expect(onPg[0]!.sessions, q).toEqual(sessions);
        const terms = (q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).map(fold);
        for (const snippet of onPg.flatMap((r) => r.snippets)) {
          expect(
            marked(snippet).some((w) => terms.some((t) => w.startsWith(t))),
            `${q}: ${snippet}`,
          ).toBe(true);
        }
      }
    }
  });

  it('keeps a message’s columns to those SQLite has (no body_tsv)', async () => {
    const pg = await openPg(['t1', 't2']);
    await seed(pg.storage);
    const chat = createChatRepo(pg.storage, dialectOf(pg.storage));
    const [m] = await chat.transcript('s1', Number.MAX_SAFE_INTEGER, 1);
    expect(Object.keys(m!).sort()).toEqual(['attachments', 'author', 'author_id', 'author_name', 'basis', 'body', 'created_at', 'id', 'responder', 'seq', 'session_id', 'tenant_id']);
    expect((await chat.visibleMessages('s1')).map((r) => Object.keys(r).length)).toEqual([12, 12, 12]);
  });

  it('finds a word added by a message committed after a newer one (no stale word list)', async () => {
    const pg = await openPg(['t1']);
    const chat = createChatRepo(pg.storage, dialectOf(pg.storage));
    await chat.insertSession({ id: 's1', tenant_id: 't1', external_id: 'v1', channel: 'widget', persona_id: null, visitor_name: null, language: 'it', origin: null, key_mode: null, created_by: null, at: AT });
    const message = (id: string, body: string, seq?: number) => ({ id, tenant_id: 't1', session_id: 's1', author: 'visitor' as const, author_id: null, author_name: null, body, created_at: AT, responder: null, basis: null, ...(seq ? { seq } : {}) });
    await pg.storage.insertInto('chat_messages').values(message('m2', 'prezzo', 100)).execute();
    expect((await chat.list({ tenantId: 't1', q: 'prez', limit: 10 })).map((s) => s.id)).toEqual(['s1']);
    expect(await chat.list({ tenantId: 't1', q: 'prenot', limit: 10 })).toEqual([]);
    // A smaller seq, committed later (as a transaction that took its seq first and committed last).
    await pg.storage.insertInto('chat_messages').values(message('m1', 'prenotazione', 50)).execute();
    expect((await chat.list({ tenantId: 't1', q: 'prenot', limit: 10 })).map((s) => s.id)).toEqual(['s1']);
  });
});

describe('tsq', () => {
  it('parses the FTS5 subset the chat search writes', () => {
    expect(parseFts('"prezzo"')).toEqual({ word: 'prezzo', prefix: false });
    expect(parseFts('"città"*')).toEqual({ word: 'città', prefix: true });
    expect(parseFts('""')).toEqual({ word: '', prefix: false });
    expect(parseFts('("price" OR "prices") AND "x"* AND "tax"')).toEqual({
      and: [{ or: [{ word: 'price', prefix: false }, { word: 'prices', prefix: false }] }, { word: 'x', prefix: true }, { word: 'tax', prefix: false }],
    });
    // ftsQuery's form: prefixes side by side.
    expect(parseFts('"a"* "b"*')).toEqual({ and: [{ word: 'a', prefix: true }, { word: 'b', prefix: true }] });
    expect(parseFts('"say ""hi"""')).toEqual({ word: 'say "hi"', prefix: false });
    for (const bad of ['"open', '("a" OR "b"', '"a" OR', 'NOT "a"', 'a', '"a" -"b"', ')', '"a" AND']) expect(() => parseFts(bad), bad).toThrow();
  });

  it('compiles to the tsquery of the words as the index folds them', async () => {
    const { storage } = await openPg(['t1']);
    const text = async (q: string) => (await sql<{ t: string | null }>`SELECT (${tsq(q)})::text AS t`.execute(storage)).rows[0]!.t;
    expect(await text('"Città"')).toBe("'citta'");
    expect(await text('"perch"*')).toBe("'perch':*");
    expect(await text('("price" OR "prices") AND "Qualità"*')).toBe("( 'price' | 'prices' ) & 'qualita':*");
    expect(await text('"a"* "b"')).toBe("'a':* & 'b'");
    // No word: nothing matches (NULL); an OR drops it, an AND becomes nothing.
    expect(await text('""')).toBeNull();
    expect(await text('("" OR "x")')).toBe("'x'");
    expect(await text('"" AND "x"')).toBeNull();
    // Quotes and backslashes are only text.
    expect(await text(`"it's\\"`)).toBe("'it' <-> 's'");
  });
});
