import { PostgresAdapter, sql, type Insertable, type AliasedRawBuilder, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { postgresDialect } from './pg/dialect';
import type { NotificationChannel } from './notifications';
import { compiledQuery } from './compiled';
import type { Database, EventsTable } from './schema';

/**
 * The few places where SQLite and PostgreSQL need different SQL. Everything else is written
 * once with Kysely, which compiles it for either database (upserts included: `onConflict`
 * compiles to the same ON CONFLICT … DO UPDATE on both, so they need nothing here).
 *
 * Methods are added as modules move to the storage layer, each with its SQLite implementation
 * (and the PostgreSQL one when that dialect lands; each method's comment says its shape there).
 */
export interface SqlDialect {
  /**
   * A stored timestamp (ISO-8601 text from `toISOString`) plus some minutes, as the same kind
   * of text, so it compares with other stored timestamps as text. Null stays null.
   */
  addMinutes(timestamp: Expression<string | null>, minutes: number): RawBuilder<string | null>;
  /**
   * An aggregate over a table's rows that changes when rows are replaced by others while their
   * count stays the same (a cache key part, with COUNT and MAX(updated_at)); null on no rows.
   * SQLite: SUM(rowid). PostgreSQL: the sum of the rows' `xmin` (which also changes on update).
   */
  rowsStamp(): RawBuilder<number | null>;
  /**
   * Whether a JSON array of strings stored as text (a webhook endpoint's event types) holds
   * `value`. PostgreSQL: `column::jsonb ? value`.
   */
  jsonArrayHas(array: Expression<string>, value: string): RawBuilder<SqlBool>;
  /** An order by which rows of `table` (an alias) come as they were inserted (tests' inspections). */
  insertionOrder(table: string): RawBuilder<unknown>;
  /**
   * Whether a text column starts with `prefix`, ignoring the case of ASCII letters (as SQLite's
   * LIKE does); `%`, `_` and `\` in `prefix` are literal. PostgreSQL: `ILIKE … ESCAPE '\'`.
   */
  startsWith(text: Expression<string>, prefix: string): RawBuilder<SqlBool>;
  /**
   * A flag column (0/1 on SQLite, boolean on PostgreSQL) is set, written so that a partial index
   * on it (`WHERE is_default = 1` / `WHERE is_default`) applies.
   */
  flagIsSet(column: string): RawBuilder<SqlBool>;
  /**
   * A text column equals `value` ignoring case (users' emails: `COLLATE NOCASE` on SQLite,
   * `lower(email) = lower($1)` on PostgreSQL, the `users_email_lower` index).
   */
  equalsIgnoringCase(column: string, value: string): RawBuilder<SqlBool>;
  /**
   * Tells the other instances on the same database, when the transaction `db` is in commits
   * (PostgreSQL's `pg_notify`; see storage/notifications.ts). SQLite: nobody else to tell.
   */
  announce(db: Kysely<Database>, channel: NotificationChannel, payload: string): Promise<void>;
  /**
   * Runs of `name` in the instances sharing the database take turns from here to the end of the
   * transaction `db` is in (PostgreSQL: a transaction-level advisory lock). SQLite: one process,
   * whose transactions already take turns.
   */
  takeTurns(db: Kysely<Database>, name: string): Promise<void>;
  /**
   * Stores a run's events (in its transaction, `db`) and gives their ids, in order: the ids are
   * the SSE event ids, and must follow commit order, so a stream resuming from one skips nothing.
   * SQLite: one writer, so they do. PostgreSQL: one statement takes the events' turn (an advisory
   * lock held to the commit), inserts them, and announces their ids (NOTIFY `bob_events`,
   * delivered on commit) — as short a hold of the lock as can be.
   */
  appendEvents(db: Kysely<Database>, rows: EventRow[]): Promise<number[]>;
  /** Full-text search over chat messages (the sessions list's `q`). */
  chatText: ChatFullText;
}

/** An event as stored: `data` is its JSON text. */
export type EventRow = Omit<Insertable<EventsTable>, 'id'>;

/** The marks a snippet puts around each matched word. */
export interface SnippetMarks {
  start: string;
  end: string;
}

/**
 * Full-text search over chat messages, a message's position being its `seq`. `query` is in the
 * index's own query language (on SQLite an FTS5 expression of quoted words, ORs and prefixes,
 * built by the chat repository's search). On PostgreSQL this becomes a tsvector column and
 * `@@` (the lexicon from `ts_stat`); the shapes below are what the chat search asks.
 */
export interface ChatFullText {
  /**
   * Indexed words `>= from` and `< to` (a prefix's words), at most `limit`; null where the index
   * answers a prefix query as fast itself (PostgreSQL's `word:*`), so the search keeps prefixes.
   */
  indexedWords(db: Kysely<Database>, from: string, to: string, limit: number): Promise<string[] | null>;
  /** How many messages match, counting no further than `max`. */
  countMatches(db: Kysely<Database>, query: string, max: number): Promise<number>;
  /** The seqs of the newest `limit` matching messages, newest first. */
  newestMatches(db: Kysely<Database>, query: string, limit: number): Promise<number[]>;
  /** The snippet of message `seq` for `query`; undefined when that message does not match. */
  snippetAt(db: Kysely<Database>, query: string, seq: number, marks: SnippetMarks): Promise<string | undefined>;
  /** The newest matching message of one session, with its snippet. */
  newestMatchIn(db: Kysely<Database>, query: string, sessionId: string, marks: SnippetMarks): Promise<{ message_id: string; snippet: string } | undefined>;
  /** Every matching message of these sessions, newest first, with snippets. */
  matchesIn(db: Kysely<Database>, query: string, sessionIds: string[], marks: SnippetMarks): Promise<{ session_id: string; message_id: string; snippet: string }[]>;
  /** The sessions with a matching message, each once: a table `h(session_id)` to select from. */
  matchingSessions(query: string): AliasedRawBuilder<{ session_id: string }, 'h'>;
  /**
   * The newest `window` matches as the CTE `hits(seq)`, and `floor(seq)` (the oldest of them, or
   * -1 when there are fewer), for `windowCondition`.
   */
  withWindow(db: Kysely<Database>, query: string, window: number): Kysely<Database & { hits: { seq: number }; floor: { seq: number } }>;
  /**
   * Session `s` has a matching message: one among `hits`, or one older than all of them that
   * the index has (after `withWindow`).
   */
  windowCondition(query: string): RawBuilder<SqlBool>;
}

const snippet = (marks: SnippetMarks) => sql<string>`snippet(chat_messages_fts, 0, ${marks.start}, ${marks.end}, '…', 16)`;

/**
 * FTS5: the table `chat_messages_fts` (rowid = the message's seq) and its fts5vocab table
 * `chat_messages_vocab`. Queries are tuned against their plans (test/server/search.test.ts,
 * npm run bench:search): keep joins, orders and hints as they are.
 */
const sqliteChatText: ChatFullText = {
  async indexedWords(db, from, to, limit) {
    const { rows } = await sql<{ term: string }>`SELECT term FROM chat_messages_vocab WHERE term >= ${from} AND term < ${to} LIMIT ${limit}`.execute(db);
    return rows.map((r) => r.term);
  },
  async countMatches(db, query, max) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM chat_messages_fts WHERE chat_messages_fts MATCH ${query} LIMIT ${max})`.execute(db);
    return rows[0]?.n ?? 0;
  },
  async newestMatches(db, query, limit) {
    const { rows } = await sql<{ rowid: number }>`SELECT rowid FROM chat_messages_fts WHERE chat_messages_fts MATCH ${query} ORDER BY rowid DESC LIMIT ${limit}`.execute(db);
    return rows.map((r) => r.rowid);
  },
  // The rowid is bound as a BigInt (FTS5 ignores a rowid constraint given as a JS number, which
  // arrives as a REAL) and asked as a range read backwards: the newest entries of a word's list
  // are found several times faster that way than by `rowid = ?`.
  async snippetAt(db, query, seq, marks) {
    const { rows } = await sql<{ snippet: string }>`SELECT ${snippet(marks)} AS snippet FROM chat_messages_fts
      WHERE chat_messages_fts MATCH ${query} AND rowid >= ${BigInt(seq)} AND rowid <= ${BigInt(seq)} ORDER BY rowid DESC`.execute(db);
    return rows[0]?.snippet;
  },
  // One pass over the index between the session's first and last message, newest first,
  // stopping at the first that is the session's.
  async newestMatchIn(db, query, sessionId, marks) {
    const { rows } = await sql<{ message_id: string; snippet: string }>`SELECT m.id AS message_id, ${snippet(marks)} AS snippet
       FROM chat_messages_fts f CROSS JOIN chat_messages m ON m.seq = f.rowid
      WHERE chat_messages_fts MATCH ${query} AND m.session_id = ${sessionId}
        AND f.rowid >= (SELECT seq FROM chat_messages WHERE session_id = ${sessionId} ORDER BY seq LIMIT 1)
        AND f.rowid <= (SELECT seq FROM chat_messages WHERE session_id = ${sessionId} ORDER BY seq DESC LIMIT 1)
      ORDER BY f.rowid DESC LIMIT 1`.execute(db);
    return rows[0];
  },
  // With a prefix left in the query, FTS5 first gathers the prefix's whole list: once for the
  // whole page, not once per session.
  async matchesIn(db, query, sessionIds, marks) {
    const { rows } = await sql<{ session_id: string; message_id: string; snippet: string }>`SELECT m.session_id, m.id AS message_id, ${snippet(marks)} AS snippet
       FROM chat_messages_fts f JOIN chat_messages m ON m.seq = f.rowid
      WHERE chat_messages_fts MATCH ${query} AND m.session_id IN (SELECT value FROM json_each(${JSON.stringify(sessionIds)})) ORDER BY m.seq DESC`.execute(db);
    return rows;
  },
  matchingSessions: (query) =>
    sql<{ session_id: string }>`(SELECT DISTINCT m.session_id FROM chat_messages_fts f JOIN chat_messages m ON m.seq = f.rowid WHERE chat_messages_fts MATCH ${query})`.as('h'),
  withWindow: (db, query, window) =>
    db
      .with(
        (cte) => cte('hits(seq)').materialized(),
        () => sql<{ seq: number }>`(SELECT rowid FROM chat_messages_fts WHERE chat_messages_fts MATCH ${query} ORDER BY rowid DESC LIMIT ${sql.lit(window)})`,
      )
      .with(
        (cte) => cte('floor(seq)').materialized(),
        () => sql<{ seq: number }>`(SELECT CASE WHEN count(*) < ${sql.lit(window)} THEN -1 ELSE min(seq) END FROM hits)`,
      ) as unknown as Kysely<Database & { hits: { seq: number }; floor: { seq: number } }>,
  // `+m.seq`: the hits are probed by the session's messages, not the messages by the hits.
  windowCondition: (query) =>
    sql<SqlBool>`(EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id AND +m.seq IN (SELECT seq FROM hits))
            OR EXISTS (SELECT 1 FROM chat_messages m CROSS JOIN chat_messages_fts f ON f.rowid = m.seq
                        WHERE m.session_id = s.id AND m.seq < (SELECT seq FROM floor) AND chat_messages_fts MATCH ${query}))`,
};

// Three events per visitor message: compiled once.
const insertEvent = compiledQuery((db, a: EventRow) =>
  db.insertInto('events').values({ tenant_id: a.tenant_id, type: a.type, session_id: a.session_id, data: a.data, created_at: a.created_at }),
);

export const sqliteDialect: SqlDialect = {
  addMinutes: (timestamp, minutes) =>
    sql<string | null>`strftime('%Y-%m-%dT%H:%M:%fZ', ${timestamp}, ${sql.lit(`${minutes >= 0 ? '+' : ''}${minutes} minutes`)})`,
  rowsStamp: () => sql<number | null>`SUM(rowid)`,
  jsonArrayHas: (array, value) => sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(${array}) WHERE value = ${value})`,
  insertionOrder: (table) => sql.ref(`${table}.rowid`),
  startsWith: (text, prefix) => sql<SqlBool>`${text} LIKE ${prefix.replace(/[%_\\]/g, (c) => '\\' + c) + '%'} ESCAPE '\\'`,
  flagIsSet: (column) => sql<SqlBool>`${sql.ref(column)} = 1`,
  equalsIgnoringCase: (column, value) => sql<SqlBool>`${sql.ref(column)} = ${value}`,
  announce: () => Promise.resolve(),
  takeTurns: () => Promise.resolve(),
  async appendEvents(db, rows) {
    const ids: number[] = [];
    for (const row of rows) ids.push(Number((await insertEvent.execute(db, row)).insertId));
    return ids;
  },
  chatText: sqliteChatText,
};

/** The dialect of the database `db` runs on (for code given only a `Storage`). */
export const dialectOf = (db: Kysely<Database>): SqlDialect => (db.getExecutor().adapter instanceof PostgresAdapter ? postgresDialect : sqliteDialect);
