import type Database from 'better-sqlite3';
import type { Db } from '../../db/client';
import type { ChatMessage, ChatSession, ReplyBasis, SessionStatus } from '../../../shared/schemas/chat';
import { MATCH_END, MATCH_START } from '../../../shared/search-snippet';

export interface SessionRow {
  id: string;
  tenant_id: string;
  external_id: string;
  channel: ChatSession['channel'];
  status: SessionStatus;
  persona_id: string | null;
  persona_name: string | null;
  visitor_name: string | null;
  language: 'en' | 'it';
  origin: string | null;
  key_mode: 'live' | 'test' | null;
  created_by: string | null;
  assigned_user_id: string | null;
  unanswered_streak: number;
  waiting_since: string | null;
  last_message_at: string;
  last_message: string;
  message_count: number;
  created_at: string;
  updated_at: string;
}

export interface MessageRow {
  seq: number;
  id: string;
  tenant_id: string;
  session_id: string;
  author: ChatMessage['author'];
  author_id: string | null;
  author_name: string | null;
  body: string;
  created_at: string;
  /** Bot messages: which responder wrote it ('builtin', 'model', 'fallback'); null otherwise. */
  responder: string | null;
  /** Bot messages: what the reply was based on (ReplyBasis as JSON); null otherwise. */
  basis: string | null;
}

export const toSession = (r: SessionRow): ChatSession => ({
  id: r.id,
  session_id: r.external_id,
  tenant_id: r.tenant_id,
  channel: r.channel,
  status: r.status,
  persona: r.persona_id ? { id: r.persona_id, name: r.persona_name ?? '' } : null,
  visitor_name: r.visitor_name,
  language: r.language,
  origin: r.origin,
  assigned_user_id: r.assigned_user_id,
  waiting_since: r.waiting_since,
  last_message: r.last_message,
  last_message_at: r.last_message_at,
  message_count: r.message_count,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  session_id: r.session_id,
  author: r.author,
  author_name: r.author_name,
  body: r.body,
  created_at: r.created_at,
  // Receipts stored before documents existed have no `documents`.
  basis: r.basis ? withDocuments(JSON.parse(r.basis) as Omit<ReplyBasis, 'documents'> & Partial<Pick<ReplyBasis, 'documents'>>) : null,
});

const withDocuments = (b: Omit<ReplyBasis, 'documents'> & Partial<Pick<ReplyBasis, 'documents'>>): ReplyBasis => ({ ...b, documents: b.documents ?? [] });

const SESSION_SELECT = `SELECT s.*, p.name AS persona_name FROM chat_sessions s LEFT JOIN personas p ON p.id = s.persona_id`;

export type ChatRepo = ReturnType<typeof createChatRepo>;

/** `tuning`: the search's thresholds (tests make them small to take every path on little data). */
export function createChatRepo(db: Db, tuning: { gatherMax: number; window: number } = { gatherMax: GATHER_MAX, window: WINDOW }) {
  const byRef = db.prepare<[string, string, string], SessionRow>(`${SESSION_SELECT} WHERE s.tenant_id = ? AND (s.id = ? OR s.external_id = ?)`);
  const insertSession = db.prepare(
    `INSERT INTO chat_sessions (id, tenant_id, external_id, channel, status, persona_id, visitor_name, language, origin, key_mode, created_by, last_message_at, created_at, updated_at)
     VALUES (@id, @tenant_id, @external_id, @channel, 'bot', @persona_id, @visitor_name, @language, @origin, @key_mode, @created_by, @at, @at, @at)`,
  );
  const setState = db.prepare(
    `UPDATE chat_sessions SET status = @status, assigned_user_id = @assigned_user_id, waiting_since = @waiting_since,
       unanswered_streak = @unanswered_streak, updated_at = @at WHERE id = @id`,
  );
  const setLanguage = db.prepare('UPDATE chat_sessions SET language = ? WHERE id = ?');
  const markHandoff = db.prepare('UPDATE chat_sessions SET handoff_at = ? WHERE id = ? AND handoff_at IS NULL');
  const markAgentReplied = db.prepare('UPDATE chat_sessions SET agent_replied_at = ? WHERE id = ? AND agent_replied_at IS NULL');
  const insertUnanswered = db.prepare(
    `INSERT INTO unanswered_questions (tenant_id, session_id, message_id, question, reason, created_at)
     VALUES (@tenant_id, @session_id, @message_id, @question, @reason, @created_at)`,
  );
  const insertMessage = db.prepare<[Omit<MessageRow, 'seq'>], MessageRow>(
    `INSERT INTO chat_messages (id, tenant_id, session_id, author, author_id, author_name, body, created_at, responder, basis)
     VALUES (@id, @tenant_id, @session_id, @author, @author_id, @author_name, @body, @created_at, @responder, @basis) RETURNING *`,
  );
  const touch = db.prepare(
    `UPDATE chat_sessions SET last_message = substr(?, 1, 200), last_message_at = ?, message_count = message_count + 1, updated_at = ? WHERE id = ?`,
  );
  const transcript = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM chat_messages WHERE session_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const visible = db.prepare<[string, number], MessageRow>(
    `SELECT * FROM (SELECT * FROM chat_messages WHERE session_id = ? AND author <> 'note' ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
  );

  const byId = db.prepare<[string], SessionRow>(`${SESSION_SELECT} WHERE s.id = ?`);
  const channelOf = db.prepare<[string], ChatSession['channel']>('SELECT channel FROM chat_sessions WHERE id = ?').pluck();
  const everySession = db.prepare<[], SessionRow>(`${SESSION_SELECT} ORDER BY s.rowid`);
  const waiting = db.prepare<[], number>(`SELECT COUNT(*) FROM chat_sessions WHERE status = 'waiting_for_agent'`).pluck();
  // The newest message of the session that matches, with the matched words between the markers.
  // Words only (see `search`): one pass over the index between the session's first and last
  // message, newest first, stopping at the first that is the session's.
  const matchWords = db.prepare<[string, string, string, string, string, string], { message_id: string; snippet: string }>(
    `SELECT m.id AS message_id, snippet(chat_messages_fts, 0, ?, ?, '…', 16) AS snippet
       FROM chat_messages_fts f CROSS JOIN chat_messages m ON m.seq = f.rowid
      WHERE chat_messages_fts MATCH ? AND m.session_id = ?
        AND f.rowid >= (SELECT seq FROM chat_messages WHERE session_id = ? ORDER BY seq LIMIT 1)
        AND f.rowid <= (SELECT seq FROM chat_messages WHERE session_id = ? ORDER BY seq DESC LIMIT 1)
      ORDER BY f.rowid DESC LIMIT 1`,
  );
  // With a prefix left in the query, FTS5 first gathers the prefix's whole list: once for the whole
  // page (the newest match of each session), not once per session.
  const matchPrefix = db.prepare<[string, string, string, string], { session_id: string; message_id: string; snippet: string }>(
    `SELECT m.session_id, m.id AS message_id, snippet(chat_messages_fts, 0, ?, ?, '…', 16) AS snippet
       FROM chat_messages_fts f JOIN chat_messages m ON m.seq = f.rowid
      WHERE chat_messages_fts MATCH ? AND m.session_id IN (SELECT value FROM json_each(?)) ORDER BY m.seq DESC`,
  );
  // Words only, many matches: the newest matching messages (as the list's window), a session's
  // messages newest first, and the snippet of one message. Its rowid is bound as a BigInt (FTS5
  // ignores a rowid constraint given as a JS number, which arrives as a REAL) and asked as a range
  // read backwards: the newest entries of a word's list are found several times faster that way
  // than by `rowid = ?`.
  const newestHits = db.prepare<[string, number], number>('SELECT rowid FROM chat_messages_fts WHERE chat_messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?').pluck();
  const sessionSeqs = db.prepare<[string], number>('SELECT seq FROM chat_messages WHERE session_id = ? ORDER BY seq DESC').pluck();
  const messageAt = db.prepare<[number], { id: string; body: string }>('SELECT id, body FROM chat_messages WHERE seq = ?');
  const snippetAt = db.prepare<[string, string, string, bigint, bigint], string>(
    `SELECT snippet(chat_messages_fts, 0, ?, ?, '…', 16) FROM chat_messages_fts
      WHERE chat_messages_fts MATCH ? AND rowid >= ? AND rowid <= ? ORDER BY rowid DESC`,
  ).pluck();
  const search = createSearch(db);
  const listStatements = new Map<string, Database.Statement<unknown[], SessionRow>>();
  return {
    /** Any tenant's session by uuid: only for platform admins, who work across tenants. */
    findAnyById: (id: string) => byId.get(id),
    /** A session of this tenant by its uuid or its visitor-facing session_id. */
    find: (tenantId: string, ref: string) => byRef.get(tenantId, ref, ref),
    insertSession: (s: {
      id: string;
      tenant_id: string;
      external_id: string;
      channel: SessionRow['channel'];
      persona_id: string | null;
      visitor_name: string | null;
      language: 'en' | 'it';
      origin: string | null;
      key_mode: 'live' | 'test' | null;
      created_by: string | null;
      at: string;
    }) => insertSession.run(s),
    setState: (s: { id: string; status: SessionStatus; assigned_user_id: string | null; waiting_since: string | null; unanswered_streak: number; at: string }) =>
      setState.run(s),
    setLanguage: (id: string, language: 'en' | 'it') => setLanguage.run(language, id),
    /** Outcomes: the first handoff request and the first reply from a person (later ones keep the first). */
    markHandoff: (id: string, at: string) => markHandoff.run(at, id),
    markAgentReplied: (id: string, at: string) => markAgentReplied.run(at, id),
    /** A visitor's question Bob could not answer, for Insights → unanswered. */
    recordUnanswered: (q: { tenant_id: string; session_id: string; message_id: string; question: string; reason: 'unknown' | 'handoff' | 'fallback'; created_at: string }) =>
      insertUnanswered.run(q),
    insertMessage(m: Omit<MessageRow, 'seq'>): MessageRow {
      const row = insertMessage.get(m)!;
      if (m.author !== 'note') touch.run(m.body, m.created_at, m.created_at, m.session_id);
      return row;
    },
    /** Newest first, before `beforeSeq` (exclusive). */
    transcript: (sessionId: string, beforeSeq: number, limit: number) => transcript.all(sessionId, beforeSeq, limit),
    /** What the visitor may see (no internal notes), oldest first. */
    visibleMessages: (sessionId: string, limit = 200) => visible.all(sessionId, limit),

    /** Persona try-it runs (console) are staff tests, not conversations: kept out of every list. */
    isConsole: (id: string) => channelOf.get(id) === 'console',
    /** Every tenant's sessions, console runs included, in the order created: for inspection (tests). */
    everySession: () => everySession.all(),
    /** Conversations waiting for a person, every tenant's (the desktop tray). */
    waitingCount: () => waiting.get()!,
    /** The message of each session that a search `q` found (its newest), as a marked snippet. */
    matches(sessionIds: string[], q: string): Map<string, { message_id: string; snippet: string }> {
      const found = new Map<string, { message_id: string; snippet: string }>();
      const expr = search.expression(q);
      if (expr === null || !sessionIds.length) return found;
      if (expr.prefix) {
        // Newest first: the first row of each session is its match.
        for (const { session_id, ...m } of matchPrefix.all(MATCH_START, MATCH_END, expr.fts, JSON.stringify(sessionIds))) if (!found.has(session_id)) found.set(session_id, m);
      } else {
        // A session whose newest match is among the newest matches overall (most, for a page of the
        // newest sessions: 8 per session are read) is read from them, its snippet asked only for the words that message has
        // (one word of an OR of many: the same snippet, without merging every word's list); the
        // others ask the index.
        const window = new Set(newestHits.all(expr.fts, sessionIds.length * SNIPPET_WINDOW_PER_SESSION));
        for (const id of sessionIds) {
          let seq: number | undefined;
          for (const s of sessionSeqs.iterate(id)) {
            if (window.has(s)) {
              seq = s;
              break;
            }
          }
          const message = seq === undefined ? undefined : messageAt.get(seq);
          const snippet = message && snippetAt.get(MATCH_START, MATCH_END, search.narrowed(expr, message.body), BigInt(seq!), BigInt(seq!));
          const m = message && snippet !== undefined ? { message_id: message.id, snippet } : matchWords.get(MATCH_START, MATCH_END, expr.fts, id, id, id);
          if (m) found.set(id, m);
        }
      }
      return found;
    },

    /**
     * Conversations (never console try-it runs), newest activity first: by (last_message_at, id)
     * descending, with or without `q`. Each filter is in the query and an index has the list's order
     * (011-search-speed.sql), so a page reads about a page of sessions.
     *
     * With `q`, how a session is tested depends on how many messages match, counted up to
     * GATHER_MAX: few, and their sessions are gathered and sorted (a thousand at most); many,
     * and the sessions are read in the list’s order, each kept when one of its messages (through a
     * window of the newest matches) is in the index: a common word is found in the first messages looked at, and the page
     * is full after about a page of sessions. Same rows, same order, same cursors either way.
     */
    list(opts: { tenantId: string | null; status?: SessionStatus; q?: string; after?: { at: string; id: string }; limit: number }): SessionRow[] {
      const where: string[] = ["s.channel <> 'console'"];
      const args: unknown[] = [];
      if (opts.tenantId) {
        where.push('s.tenant_id = ?');
        args.push(opts.tenantId);
      }
      if (opts.status) {
        where.push('s.status = ?');
        args.push(opts.status);
      }
      let from = 'FROM chat_sessions s';
      let withHits = '';
      if (opts.q) {
        const expr = search.expression(opts.q);
        if (expr === null) return [];
        if (expr.prefix || search.hits(expr.fts, tuning.gatherMax + 1) <= tuning.gatherMax) {
          // Few messages match (or a prefix query, which is one pass anyway): their sessions, sorted.
          from = `FROM (SELECT DISTINCT m.session_id FROM chat_messages_fts f JOIN chat_messages m ON m.seq = f.rowid WHERE chat_messages_fts MATCH ?) h
            CROSS JOIN chat_sessions s ON s.id = h.session_id`;
          args.unshift(expr.fts);
        } else {
          // Many: the newest WINDOW matching messages, read in order; a session is in the list when
          // one of its messages is among them, or, for messages older than all of them (a
          // conversation that went on for long), when the index has that message.
          withHits = `WITH hits(seq) AS MATERIALIZED (SELECT rowid FROM chat_messages_fts WHERE chat_messages_fts MATCH ? ORDER BY rowid DESC LIMIT ${tuning.window}),
            floor(seq) AS MATERIALIZED (SELECT CASE WHEN count(*) < ${tuning.window} THEN -1 ELSE min(seq) END FROM hits) `;
          where.push(`(EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id AND +m.seq IN (SELECT seq FROM hits))
            OR EXISTS (SELECT 1 FROM chat_messages m CROSS JOIN chat_messages_fts f ON f.rowid = m.seq
                        WHERE m.session_id = s.id AND m.seq < (SELECT seq FROM floor) AND chat_messages_fts MATCH ?))`);
          args.unshift(expr.fts);
          args.push(expr.fts);
        }
      }
      if (opts.after) {
        where.push('(s.last_message_at, s.id) < (?, ?)');
        args.push(opts.after.at, opts.after.id);
      }
      const sql = `${withHits}SELECT s.*, p.name AS persona_name ${from} LEFT JOIN personas p ON p.id = s.persona_id
        WHERE ${where.join(' AND ')} ORDER BY s.last_message_at DESC, s.id DESC LIMIT ?`;
      let stmt = listStatements.get(sql);
      if (!stmt) listStatements.set(sql, (stmt = db.prepare<unknown[], SessionRow>(sql)));
      return stmt.all(...args, opts.limit);
    },
  };
}

/** Up to this many matching messages, a search gathers their sessions; beyond, it reads sessions in order. */
export const GATHER_MAX = 1000;
/** Many matches: how many of the newest a list reads first (the rest only for long conversations). */
export const WINDOW = 4000;
/** Snippets: how many of the newest matches, per session asked, are read to find each session's newest. */
const SNIPPET_WINDOW_PER_SESSION = 8;
/** A prefix standing for more words than this stays a prefix query. */
const PREFIX_WORDS_MAX = 32;

/**
 * Search terms as FTS5 queries that read the index in order. Every term of `q` is a prefix
 * (ftsQuery); a prefix query makes FTS5 copy every entry of every word it stands for into one list
 * before the first row (tens of ms for "price*" at a million messages, and again for every lookup
 * by rowid). So each prefix becomes the words it stands for ("pri" → "price" OR "pricing"), from
 * the index's own vocabulary (chat_messages_vocab), which FTS5 reads lazily. Only where the words
 * can be found exactly as the tokenizer (unicode61, remove_diacritics 2) writes them: letters and
 * digits of Latin-1 and Latin Extended-A that fold to ASCII; other terms stay prefixes. The words
 * of a prefix are remembered until a message is added.
 */
function createSearch(db: Db) {
  const vocab = db.prepare<[string, string, number], string>('SELECT term FROM chat_messages_vocab WHERE term >= ? AND term < ? LIMIT ?').pluck();
  const newest = db.prepare<[], number>('SELECT seq FROM chat_messages ORDER BY seq DESC LIMIT 1').pluck();
  const count = db.prepare<[string, number], number>('SELECT count(*) FROM (SELECT 1 FROM chat_messages_fts WHERE chat_messages_fts MATCH ? LIMIT ?)').pluck();
  const words = new Map<string, string[] | null>();
  let wordsAt = -1;

  /** The indexed words starting with `key`; null: too many to list. Cached until a message is added. */
  function wordsOf(key: string): string[] | null {
    const seq = newest.get() ?? 0;
    if (seq !== wordsAt) {
      words.clear();
      wordsAt = seq;
    }
    let found = words.get(key);
    if (found === undefined) {
      const upper = key.slice(0, -1) + String.fromCharCode(key.charCodeAt(key.length - 1) + 1);
      const terms = vocab.all(key, upper, PREFIX_WORDS_MAX + 1).filter((t) => t.startsWith(key));
      found = terms.length > PREFIX_WORDS_MAX ? null : terms;
      if (words.size >= 500) words.clear();
      words.set(key, found);
    }
    return found;
  }

  return {
    /** `q` as an FTS5 query; `prefix`: some term is still a prefix query. null: nothing can match. */
    expression(q: string): SearchExpression | null {
      const terms = searchTerms(q);
      if (!terms.length) return { fts: '""', prefix: false, groups: [] };
      let prefix = false;
      const parts: string[] = [];
      const groups: string[][] = [];
      for (const t of terms) {
        const key = foldedKey(t);
        const list = key === null ? null : wordsOf(key);
        if (list === null) {
          prefix = true;
          parts.push(`"${t}"*`);
        } else if (list.length === 0) {
          return null;
        } else {
          parts.push(orOf(list));
          groups.push(list);
        }
      }
      return { fts: parts.join(' AND '), prefix, groups };
    },
    /**
     * A words-only expression cut to the words `body` has (as substrings of its loosely folded text,
     * so never fewer than the index found in it): its snippet is the same, and FTS5 merges one or two
     * lists instead of every word a prefix stands for. A group with none of its words stays whole.
     */
    narrowed(expr: SearchExpression, body: string): string {
      const text = foldLoosely(body);
      return expr.groups
        .map((words) => {
          const present = words.filter((w) => text.includes(w));
          return orOf(present.length ? present : words);
        })
        .join(' AND ');
    },
    /** How many messages match, counting no further than `max`. */
    hits: (fts: string, max: number) => count.get(fts, max) ?? 0,
  };
}

/** `fts`: the FTS5 query; `prefix`: some term is still a prefix; `groups`: otherwise, the words each term stands for. */
interface SearchExpression {
  fts: string;
  prefix: boolean;
  groups: string[][];
}

const orOf = (words: string[]) => (words.length === 1 ? `"${words[0]}"` : `(${words.map((w) => `"${w}"`).join(' OR ')})`);

/**
 * Lower case without accents, compatibility forms decomposed (ſ → s, ﬁ → fi): every word the
 * tokenizer makes of a text is in its folded form (some that it does not make may be too).
 */
const foldLoosely = (text: string) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The term as the tokenizer indexes it (lower case, accents removed), when that is certain; else null. */
function foldedKey(term: string): string | null {
  if (!/^[A-Za-z0-9\u00C0-\u00FF\u0100-\u017F]+$/.test(term) || /[\u0130\u0131]/.test(term)) return null;
  const key = term.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return /^[a-z0-9]+$/.test(key) ? key : null;
}

const searchTerms = (q: string) => (q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);

/** Turns free text into an FTS5 query of prefix terms, so user input is never FTS syntax. */
export function ftsQuery(q: string): string {
  const terms = searchTerms(q);
  return terms.length ? terms.map((t) => `"${t}"*`).join(' ') : '""';
}
