import type { Selectable } from 'kysely';
import type { ChatMessage, ChatSession, MessageAttachment, ReplyBasis, SessionStatus } from '../../../shared/schemas/chat';
import { MATCH_END, MATCH_START } from '../../../shared/search-snippet';
import { dialectOf, sqliteDialect, type ChatFullText, type SqlDialect } from '../../storage/dialect';
import type { ChatMessagesTable, ChatSessionsTable } from '../../storage/schema';
import { compiledQuery } from '../../storage/compiled';
import { returningOnPostgres, type Storage } from '../../storage/sqlite';

/** A session as stored, with its persona's name. */
export type SessionRow = Omit<Selectable<ChatSessionsTable>, 'language'> & { language: 'en' | 'it'; persona_name: string | null };

/**
 * A message as stored. Bot messages: `responder` is which responder wrote it ('builtin', 'model',
 * 'fallback'), `basis` what the reply was based on (ReplyBasis as JSON); null otherwise.
 */
export type MessageRow = Selectable<ChatMessagesTable>;

// A message's columns, named (never `*`: PostgreSQL's table also has the search's `body_tsv`).
const MESSAGE_COLUMN_SET: Record<keyof MessageRow, true> = {
  seq: true,
  id: true,
  tenant_id: true,
  session_id: true,
  author: true,
  author_id: true,
  author_name: true,
  body: true,
  created_at: true,
  responder: true,
  basis: true,
  attachments: true,
};
const MESSAGE_COLUMNS = Object.keys(MESSAGE_COLUMN_SET) as (keyof MessageRow)[];

const MARKS = { start: MATCH_START, end: MATCH_END };

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
  visitor_seen_at: r.visitor_seen_at ?? null,
  staff_seen_at: r.staff_seen_at ?? null,
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
  // Issue #23: the files a message carries, each with its staff link.
  ...(r.attachments ? { attachments: (JSON.parse(r.attachments) as Omit<MessageAttachment, 'url'>[]).map((a) => ({ ...a, url: `/api/attachments/${a.id}` })) } : {}),
});

const withDocuments = (b: Omit<ReplyBasis, 'documents'> & Partial<Pick<ReplyBasis, 'documents'>>): ReplyBasis => ({ ...b, documents: b.documents ?? [] });

/** A session row as stored, without its persona's name (what a write returns). */
export type StoredSession = Omit<SessionRow, 'persona_name'>;

export type ChatRepo = ReturnType<typeof createChatRepo>;

/** A message to store: every column but its seq (`attachments` only for a message with files). */
export type NewMessage = Omit<MessageRow, 'seq' | 'attachments'> & { attachments?: string | null };

/** A session's last message as stored: its first 200 characters (code points, as SQLite's substr counted). */
export const lastMessage = (body: string) => (body.length <= 200 ? body : Array.from(body).slice(0, 200).join(''));

/** A new session's columns (status 'bot'; its times `at`). */
export interface NewSession {
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
}

interface SessionState {
  id: string;
  status: SessionStatus;
  assigned_user_id: string | null;
  waiting_since: string | null;
  unanswered_streak: number;
  at: string;
}

// The chat path's queries (every visitor message runs them), compiled once.
const sessionsWithPersona = (db: Storage) =>
  db.selectFrom('chat_sessions as s').leftJoin('personas as p', 'p.id', 's.persona_id').selectAll('s').select('p.name as persona_name');
const Q = {
  byExternalId: compiledQuery((db, a: { tenantId: string; externalId: string }) =>
    sessionsWithPersona(db).where('s.tenant_id', '=', a.tenantId).where('s.external_id', '=', a.externalId),
  ),
  byId: compiledQuery((db, a: { tenantId: string; id: string }) => sessionsWithPersona(db).where('s.tenant_id', '=', a.tenantId).where('s.id', '=', a.id)),
  find: compiledQuery((db, a: { tenantId: string; ref: string }) =>
    sessionsWithPersona(db)
      .where('s.tenant_id', '=', a.tenantId)
      .where((eb) => eb.or([eb('s.id', '=', a.ref), eb('s.external_id', '=', a.ref)])),
  ),
  insertSession: compiledQuery((db, a: NewSession) =>
    db
      .insertInto('chat_sessions')
      .values({
        id: a.id,
        tenant_id: a.tenant_id,
        external_id: a.external_id,
        channel: a.channel,
        persona_id: a.persona_id,
        visitor_name: a.visitor_name,
        language: a.language,
        origin: a.origin,
        key_mode: a.key_mode,
        created_by: a.created_by,
        status: 'bot',
        last_message_at: a.at,
        created_at: a.at,
        updated_at: a.at,
      }),
  ),
  setState: compiledQuery((db, a: SessionState) =>
    db
      .updateTable('chat_sessions')
      .set({ status: a.status, assigned_user_id: a.assigned_user_id, waiting_since: a.waiting_since, unanswered_streak: a.unanswered_streak, updated_at: a.at })
      .where('id', '=', a.id)
      .returningAll(),
  ),
  setLanguage: compiledQuery((db, a: { id: string; language: 'en' | 'it' }) => db.updateTable('chat_sessions').set({ language: a.language }).where('id', '=', a.id)),
  insertMessage: compiledQuery((db, a: NewMessage) =>
    returningOnPostgres(
      db,
      db.insertInto('chat_messages').values({
      id: a.id,
      tenant_id: a.tenant_id,
      session_id: a.session_id,
      author: a.author,
      author_id: a.author_id,
      author_name: a.author_name,
      body: a.body,
      created_at: a.created_at,
        responder: a.responder,
        basis: a.basis,
        attachments: a.attachments,
      }),
      'seq',
    ),
  ),
  // The search's snippets, for each session of a page.
  seqsBefore: compiledQuery((db, a: { sessionId: string; before: number; page: number }) =>
    db.selectFrom('chat_messages').select('seq').where('session_id', '=', a.sessionId).where('seq', '<', a.before).orderBy('seq', 'desc').limit(a.page),
  ),
  messageAt: compiledQuery((db, a: { seq: number }) => db.selectFrom('chat_messages').select(['id', 'body']).where('seq', '=', a.seq)),
  touchSession: compiledQuery((db, a: { id: string; last_message: string; at: string }) =>
    db
      .updateTable('chat_sessions')
      .set((eb) => ({ last_message: a.last_message, last_message_at: a.at, message_count: eb('message_count', '+', 1), updated_at: a.at }))
      .where('id', '=', a.id),
  ),
};

/** `tuning`: the search's thresholds (tests make them small to take every path on little data). */
export function createChatRepo(db: Storage, dialect: SqlDialect, tuning: { gatherMax: number; window: number } = { gatherMax: GATHER_MAX, window: WINDOW }) {
  const text = dialect.chatText;
  const sessions = () => sessionsWithPersona(db);
  const search = createSearch(db, text);
  return {
    /** Any tenant's session by uuid: only for platform admins, who work across tenants. */
    findAnyById: async (id: string) => (await sessions().where('s.id', '=', id).executeTakeFirst()) as SessionRow | undefined,
    /** A session of this tenant by the visitor's session_id (the visitor paths: never by the internal id). */
    byExternalId: async (tenantId: string, externalId: string) => (await Q.byExternalId.first(db, { tenantId, externalId })) as SessionRow | undefined,
    /** A session of this tenant by its internal id. */
    byId: async (tenantId: string, id: string) => (await Q.byId.first(db, { tenantId, id })) as SessionRow | undefined,
    /** A session of this tenant by either id (the staff paths, where Mission Control sends the internal one and a try-it the visitor's). */
    find: async (tenantId: string, ref: string) => (await Q.find.first(db, { tenantId, ref })) as SessionRow | undefined,
    /**
     * A new session (status 'bot'), as stored: what was written and the columns' defaults
     * (migrations 002 and 010). No RETURNING: in SQLite it made this insert, run for every new
     * visitor, half again as slow.
     */
    insertSession: async (s: NewSession): Promise<StoredSession> => {
      await Q.insertSession.execute(db, s);
      const { at, ...fields } = s;
      return {
        ...fields,
        status: 'bot',
        assigned_user_id: null,
        unanswered_streak: 0,
        waiting_since: null,
        last_message_at: at,
        last_message: '',
        message_count: 0,
        created_at: at,
        updated_at: at,
        handoff_at: null,
        agent_replied_at: null,
        visitor_seen_at: null,
        staff_seen_at: null,
      };
    },
    /** The session's state, as stored after the change. */
    setState: async (s: SessionState) => (await Q.setState.first(db, s)) as StoredSession,
    setLanguage: async (id: string, language: 'en' | 'it') => {
      await Q.setLanguage.execute(db, { id, language });
    },
    /** Outcomes: the first handoff request and the first reply from a person (later ones keep the first). */
    markHandoff: async (id: string, at: string) => {
      await db.updateTable('chat_sessions').set({ handoff_at: at }).where('id', '=', id).where('handoff_at', 'is', null).execute();
    },
    /**
     * Seen receipts (issue #23): `side` viewed the conversation at `at`. Changes nothing (undefined)
     * unless a message came after its last receipt, so a widget left open writes once per reply.
     */
    markSeen: async (id: string, side: 'visitor' | 'staff', at: string) => {
      const column = side === 'visitor' ? 'visitor_seen_at' : 'staff_seen_at';
      return (await db
        .updateTable('chat_sessions')
        .set({ [column]: at })
        .where('id', '=', id)
        .where((eb) => eb.or([eb(column, 'is', null), eb(column, '<', eb.ref('last_message_at'))]))
        .returning('id')
        .executeTakeFirst()) !== undefined;
    },
    markAgentReplied: async (id: string, at: string) => {
      await db.updateTable('chat_sessions').set({ agent_replied_at: at }).where('id', '=', id).where('agent_replied_at', 'is', null).execute();
    },
    /** A visitor's question Bob could not answer, for Insights → unanswered. */
    recordUnanswered: async (q: { tenant_id: string; session_id: string; message_id: string; question: string; reason: 'unknown' | 'handoff' | 'fallback'; created_at: string }) => {
      await db.insertInto('unanswered_questions').values(q).execute();
    },
    /**
     * Stores a message; one the visitor can see (not a note) becomes its session's last message
     * (`lastMessage` cuts it as stored). No RETURNING: the row is what was written plus its seq
     * (RETURNING made these two statements, run twice per chat, 2-3× slower).
     */
    async insertMessage(given: NewMessage): Promise<MessageRow> {
      const m = { ...given, attachments: given.attachments ?? null };
      const { insertId } = await Q.insertMessage.execute(db, m);
      if (m.author !== 'note') await Q.touchSession.execute(db, { id: m.session_id, last_message: lastMessage(m.body), at: m.created_at });
      return { ...m, seq: Number(insertId) };
    },
    /** Newest first, before `beforeSeq` (exclusive). */
    transcript: (sessionId: string, beforeSeq: number, limit: number) =>
      db.selectFrom('chat_messages').select(MESSAGE_COLUMNS).where('session_id', '=', sessionId).where('seq', '<', beforeSeq).orderBy('seq', 'desc').limit(limit).execute(),
    /** What the visitor may see (no internal notes), oldest first. */
    visibleMessages: (sessionId: string, limit = 200) =>
      db
        .selectFrom((q) =>
          q.selectFrom('chat_messages').select(MESSAGE_COLUMNS).where('session_id', '=', sessionId).where('author', '<>', 'note').orderBy('seq', 'desc').limit(limit).as('m'),
        )
        .selectAll()
        .orderBy('seq')
        .execute(),

    /**
     * Erasure (issue #22; retention may reuse it): deletes these sessions of this tenant with their
     * messages and unanswered questions, so every personal field (the visitor's name, origin, last
     * message, the questions' text) goes with its row. The messages are deleted first, row by row as
     * SQL sees it: SQLite's FTS5 delete trigger takes them out of the search index (PostgreSQL's
     * `body_tsv` is a column of the row). Returns how many of each went. Run it inside a unit of work.
     */
    async deleteSessions(tenantId: string, sessionIds: readonly string[]): Promise<{ sessions: number; messages: number; unanswered_questions: number }> {
      if (!sessionIds.length) return { sessions: 0, messages: 0, unanswered_questions: 0 };
      const ids = [...sessionIds];
      const messages = await db.deleteFrom('chat_messages').where('tenant_id', '=', tenantId).where('session_id', 'in', ids).executeTakeFirst();
      const unanswered = await db.deleteFrom('unanswered_questions').where('tenant_id', '=', tenantId).where('session_id', 'in', ids).executeTakeFirst();
      const sessions = await db.deleteFrom('chat_sessions').where('tenant_id', '=', tenantId).where('id', 'in', ids).executeTakeFirst();
      return { sessions: Number(sessions.numDeletedRows), messages: Number(messages.numDeletedRows), unanswered_questions: Number(unanswered.numDeletedRows) };
    },
    /** Every message of a session, notes only when asked, oldest first (a visitor's export). */
    allMessages: (sessionId: string, notes: boolean) =>
      db
        .selectFrom('chat_messages')
        .select(MESSAGE_COLUMNS)
        .where('session_id', '=', sessionId)
        .$if(!notes, (q) => q.where('author', '<>', 'note'))
        .orderBy('seq')
        .execute(),
    /** A session's unanswered questions, oldest first (a visitor's export). */
    unansweredOf: (sessionId: string) =>
      db.selectFrom('unanswered_questions').select(['message_id', 'question', 'reason', 'created_at']).where('session_id', '=', sessionId).orderBy('id').execute(),
    /** This tenant's conversations (never console runs) whose visitor's name is `name`, ignoring case. */
    byVisitorName: async (tenantId: string, name: string, limit: number) =>
      (await sessions()
        .where('s.tenant_id', '=', tenantId)
        .where('s.channel', '<>', 'console')
        .where((eb) => eb(eb.fn('lower', ['s.visitor_name']), '=', name.toLowerCase()))
        .orderBy('s.last_message_at', 'desc')
        .limit(limit)
        .execute()) as SessionRow[],
    /** The visitor's own messages of a session (an email search's exact match is made on them). */
    visitorBodies: async (sessionId: string) =>
      (await db.selectFrom('chat_messages').select('body').where('session_id', '=', sessionId).where('author', '=', 'visitor').execute()).map((m) => m.body),
    /** Forgets the search's remembered index words (after an erasure: they may be a visitor's). */
    forgetSearchWords: () => search.forget(),

    /** Every tenant's sessions, console runs included, in the order created: for inspection (tests). */
    everySession: async () => (await sessions().orderBy(dialect.insertionOrder('s')).execute()) as SessionRow[],
    /** Every tenant's sessions, console runs included (bench:memory's progress line). */
    sessionCount: async () => Number((await db.selectFrom('chat_sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    /** In a run: instances sharing a PostgreSQL database close a conversation one at a time (the idle close's turn; nothing on SQLite). */
    takeTurnsClosing: (sessionId: string) => dialectOf(db).takeTurns(db, `idle-close:${sessionId}`),
    /** Every tenant's conversations with Bob alone (no handoff ever) quiet since before `cutoff`: the idle close's (issue #23). */
    idleWithBob: async (cutoff: string, limit: number) =>
      (await sessions()
        .where('s.status', '=', 'bot')
        .where('s.handoff_at', 'is', null)
        .where('s.channel', '<>', 'console')
        .where('s.last_message_at', '<', cutoff)
        .orderBy('s.last_message_at')
        .limit(limit)
        .execute()) as SessionRow[],
    /** Conversations waiting for a person, every tenant's (the desktop tray). */
    waitingCount: async () =>
      Number((await db.selectFrom('chat_sessions').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'waiting_for_agent').executeTakeFirstOrThrow()).n),
    /** The message of each session that a search `q` found (its newest), as a marked snippet. */
    async matches(sessionIds: string[], q: string): Promise<Map<string, { message_id: string; snippet: string }>> {
      const found = new Map<string, { message_id: string; snippet: string }>();
      const expr = await search.expression(q);
      if (expr === null || !sessionIds.length) return found;
      if (expr.prefix) {
        // Newest first: the first row of each session is its match.
        for (const { session_id, ...m } of await text.matchesIn(db, expr.fts, sessionIds, MARKS)) if (!found.has(session_id)) found.set(session_id, m);
      } else {
        // A session whose newest match is among the newest matches overall (most, for a page of the
        // newest sessions: 8 per session are read) is read from them, its snippet asked only for the words that message has
        // (one word of an OR of many: the same snippet, without merging every word's list); the
        // others ask the index.
        const window = new Set(await text.newestMatches(db, expr.fts, sessionIds.length * SNIPPET_WINDOW_PER_SESSION));
        for (const id of sessionIds) {
          // The session's messages newest first, a page at a time, until one is in the window.
          let seq: number | undefined;
          let before = Number.MAX_SAFE_INTEGER;
          for (let page = 16; seq === undefined; page = Math.min(page * 4, 1024)) {
            const seqs = await Q.seqsBefore.rows(db, { sessionId: id, before, page });
            seq = seqs.find((m) => window.has(m.seq))?.seq;
            if (seqs.length < page) break;
            before = seqs[seqs.length - 1]!.seq;
          }
          const message = seq === undefined ? undefined : await Q.messageAt.first(db, { seq });
          const snippet = message && (await text.snippetAt(db, search.narrowed(expr, message.body), seq!, MARKS));
          const m = message && snippet !== undefined ? { message_id: message.id, snippet } : await text.newestMatchIn(db, expr.fts, id, MARKS);
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
    async list(opts: {
      tenantId: string | null;
      status?: SessionStatus;
      q?: string;
      after?: { at: string; id: string };
      limit: number;
      /** Issue #23's filters: a label's id; 'anyone' (assigned), 'unassigned' or a member's id; a channel. */
      label?: string;
      assignee?: string;
      channel?: 'web' | 'widget';
    }): Promise<SessionRow[]> {
      let from = db.selectFrom('chat_sessions as s');
      let windowed: string | undefined;
      if (opts.q) {
        const expr = await search.expression(opts.q);
        if (expr === null) return [];
        if (expr.prefix || (await search.hits(expr.fts, tuning.gatherMax + 1)) <= tuning.gatherMax) {
          // Few messages match (or a prefix query, which is one pass anyway): their sessions, sorted.
          from = db
            .selectFrom(text.matchingSessions(expr.fts))
            .crossJoin('chat_sessions as s')
            .whereRef('s.id', '=', 'h.session_id') as unknown as typeof from;
        } else {
          // Many: the newest WINDOW matching messages, read in order; a session is in the list when
          // one of its messages is among them, or, for messages older than all of them (a
          // conversation that went on for long), when the index has that message.
          from = text.withWindow(db, expr.fts, tuning.window).selectFrom('chat_sessions as s') as unknown as typeof from;
          windowed = expr.fts;
        }
      }
      let query = from.leftJoin('personas as p', 'p.id', 's.persona_id').selectAll('s').select('p.name as persona_name').where('s.channel', '<>', 'console');
      if (opts.tenantId) query = query.where('s.tenant_id', '=', opts.tenantId);
      if (opts.status) query = query.where('s.status', '=', opts.status);
      if (opts.channel) query = query.where('s.channel', '=', opts.channel);
      if (opts.assignee === 'anyone') query = query.where('s.assigned_user_id', 'is not', null);
      else if (opts.assignee === 'unassigned') query = query.where('s.assigned_user_id', 'is', null);
      else if (opts.assignee) query = query.where('s.assigned_user_id', '=', opts.assignee);
      const label = opts.label;
      if (label) query = query.where((eb) => eb.exists(eb.selectFrom('chat_session_labels as sl').select('sl.label_id').whereRef('sl.session_id', '=', 's.id').where('sl.label_id', '=', label)));
      if (windowed !== undefined) query = query.where(text.windowCondition(windowed));
      const after = opts.after;
      if (after) query = query.where((eb) => eb(eb.refTuple('s.last_message_at', 's.id'), '<', eb.tuple(after.at, after.id)));
      return (await query.orderBy('s.last_message_at', 'desc').orderBy('s.id', 'desc').limit(opts.limit).execute()) as SessionRow[];
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
 *
 * On PostgreSQL every term stays a prefix query (`word:*`, which its index answers itself), so
 * there is nothing to remember (and the newest seq would not tell that a message was added: a
 * smaller seq can commit after a larger one).
 */
function createSearch(db: Storage, text: ChatFullText) {
  const words = new Map<string, string[] | null>();
  let wordsAt = -1;
  const remembers = dialectOf(db) === sqliteDialect;

  /** The indexed words starting with `key`; null: too many to list. Cached until a message is added. */
  async function wordsOf(key: string): Promise<string[] | null> {
    if (!remembers) return listed(key);
    const seq = (await db.selectFrom('chat_messages').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst())?.seq ?? 0;
    if (seq !== wordsAt) {
      words.clear();
      wordsAt = seq;
    }
    let found = words.get(key);
    if (found === undefined) {
      found = await listed(key);
      if (words.size >= 500) words.clear();
      words.set(key, found);
    }
    return found;
  }

  /** The index's words starting with `key`, asked now; null: too many to list, or the index takes prefixes itself. */
  async function listed(key: string): Promise<string[] | null> {
    const upper = key.slice(0, -1) + String.fromCharCode(key.charCodeAt(key.length - 1) + 1);
    const words = await text.indexedWords(db, key, upper, PREFIX_WORDS_MAX + 1);
    const terms = words?.filter((t) => t.startsWith(key));
    return !terms || terms.length > PREFIX_WORDS_MAX ? null : terms;
  }

  return {
    forget() {
      words.clear();
      wordsAt = -1;
    },
    /** `q` as an FTS5 query; `prefix`: some term is still a prefix query. null: nothing can match. */
    async expression(q: string): Promise<SearchExpression | null> {
      const terms = searchTerms(q);
      if (!terms.length) return { fts: '""', prefix: false, groups: [] };
      let prefix = false;
      const parts: string[] = [];
      const groups: string[][] = [];
      for (const t of terms) {
        const key = foldedKey(t);
        const list = key === null ? null : await wordsOf(key);
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
    hits: (fts: string, max: number) => text.countMatches(db, fts, max),
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
