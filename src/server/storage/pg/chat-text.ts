import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ChatFullText, SnippetMarks } from '../dialect';
import type { Database } from '../schema';

/**
 * The FTS5 expressions the chat repository's search writes, as a tree: quoted words (`"w"`),
 * prefixes (`"t"*`), `( … OR … )`, ` AND ` (or words side by side), and `""`, which is no word.
 */
export type FtsNode = { word: string; prefix: boolean } | { or: FtsNode[] } | { and: FtsNode[] };

/** Parses the FTS5 subset the chat search writes; anything else is refused (an Error). */
export function parseFts(query: string): FtsNode {
  const tokens: ({ kind: 'word'; word: string; prefix: boolean } | { kind: '(' | ')' | 'OR' | 'AND' })[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      tokens.push({ kind: c });
      i++;
    } else if (c === '"') {
      // A string; `""` inside is a quote, as in FTS5.
      let word = '';
      for (i++; ; i++) {
        if (i >= query.length) throw new Error(`An unterminated string in the search expression ${JSON.stringify(query)}`);
        if (query[i] === '"') {
          if (query[i + 1] !== '"') break;
          i++;
        }
        word += query[i];
      }
      i++;
      const prefix = query[i] === '*';
      if (prefix) i++;
      tokens.push({ kind: 'word', word, prefix });
    } else {
      // Only the operators stand unquoted (the search quotes every word; NOT is never written).
      const bare = /^[\p{L}\p{N}_]+/u.exec(query.slice(i))?.[0];
      if (bare !== 'OR' && bare !== 'AND') throw new Error(`Not a search expression the chat search writes: ${JSON.stringify(query)}`);
      i += bare.length;
      tokens.push({ kind: bare });
    }
  }
  let at = 0;
  const fail = (): never => {
    throw new Error(`Not a search expression the chat search writes: ${JSON.stringify(query)}`);
  };
  // FTS5's precedence: AND (or words side by side) binds tighter than OR.
  const or = (): FtsNode => {
    const parts = [and()];
    while (tokens[at]?.kind === 'OR') {
      at++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : { or: parts };
  };
  const and = (): FtsNode => {
    const parts = [primary()];
    for (;;) {
      const next = tokens[at]?.kind;
      if (next === 'AND') {
        at++;
        parts.push(primary());
      } else if (next === 'word' || next === '(') parts.push(primary());
      else break;
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  };
  const primary = (): FtsNode => {
    const t = tokens[at++] ?? fail();
    if (t.kind === 'word') return { word: t.word, prefix: t.prefix };
    if (t.kind !== '(') return fail();
    const inner = or();
    if (tokens[at++]?.kind !== ')') fail();
    return inner;
  };
  const tree = or();
  if (at !== tokens.length) fail();
  return tree;
}

/**
 * An FTS5 expression of the chat search as a `tsquery`: each word folded by the database's own
 * `bob_search_text` (what the indexed `body_tsv` is made of), a prefix as `:*`, OR as `||`, AND as
 * `&&`. A word that is no word (`""`) matches nothing: it leaves an OR and empties an AND; a query
 * of nothing is a NULL tsquery, which matches no row.
 */
export function tsq(query: string): RawBuilder<unknown> {
  return compile(parseFts(query)) ?? sql`NULL::tsquery`;
}

function compile(node: FtsNode): RawBuilder<unknown> | null {
  if ('word' in node) {
    if (node.word === '') return null;
    return node.prefix
      ? sql`to_tsquery('simple', quote_literal(bob_search_text(${node.word})) || ':*')`
      : sql`to_tsquery('simple', quote_literal(bob_search_text(${node.word})))`;
  }
  if ('or' in node) {
    const parts = node.or.map(compile).filter((p): p is RawBuilder<unknown> => p !== null);
    return parts.length ? sql`(${sql.join(parts, sql` || `)})` : null;
  }
  const parts = node.and.map(compile);
  return parts.includes(null) ? null : sql`(${sql.join(parts as RawBuilder<unknown>[], sql` && `)})`;
}

/**
 * A marked snippet of `body` for the query, over the original text: the `bob_search` text search
 * configuration folds accents as the index does, so an accented word in the body is marked.
 */
const headline = (body: RawBuilder<unknown>, query: string, marks: SnippetMarks) => {
  const sel = `StartSel="${marks.start}", StopSel="${marks.end}"`;
  // A message of up to 16 words is shown whole, punctuation included (as FTS5's snippet does); a
  // longer one as its best fragment of 16 words.
  return sql<string>`CASE WHEN array_length(regexp_split_to_array(btrim(${body}), '\s+'), 1) <= 16
    THEN ts_headline('bob_search', ${body}, ${tsq(query)}, ${`${sel}, HighlightAll=true`})
    ELSE ts_headline('bob_search', ${body}, ${tsq(query)}, ${`${sel}, MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter="…"`}) END`;
};

const matches = (column: string, query: string) => sql<SqlBool>`${sql.ref(column)} @@ ${tsq(query)}`;

/**
 * Full-text search over chat messages on PostgreSQL: `chat_messages.body_tsv` (the folded body's
 * words, a GIN index), which answers prefixes (`word:*`) itself: no list of words is kept (a word
 * list kept by a trigger cost more than every other statement of a chat message together).
 */
export const postgresChatText: ChatFullText = {
  indexedWords: () => Promise.resolve(null),
  async countMatches(db, query, max) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM chat_messages WHERE ${matches('body_tsv', query)} LIMIT ${max}) x`.execute(db);
    return rows[0]?.n ?? 0;
  },
  async newestMatches(db, query, limit) {
    const { rows } = await sql<{ seq: number }>`SELECT seq FROM chat_messages WHERE ${matches('body_tsv', query)} ORDER BY seq DESC LIMIT ${limit}`.execute(db);
    return rows.map((r) => r.seq);
  },
  async snippetAt(db, query, seq, marks) {
    const { rows } = await sql<{ snippet: string }>`SELECT ${headline(sql.ref('body'), query, marks)} AS snippet FROM chat_messages
      WHERE seq = ${seq} AND ${matches('body_tsv', query)}`.execute(db);
    return rows[0]?.snippet;
  },
  // The chat_messages_session index read backwards, the newest match first.
  async newestMatchIn(db, query, sessionId, marks) {
    const { rows } = await sql<{ message_id: string; snippet: string }>`SELECT m.id AS message_id, ${headline(sql.ref('m.body'), query, marks)} AS snippet
       FROM chat_messages m WHERE m.session_id = ${sessionId} AND ${matches('m.body_tsv', query)} ORDER BY m.seq DESC LIMIT 1`.execute(db);
    return rows[0];
  },
  async matchesIn(db, query, sessionIds, marks) {
    const { rows } = await sql<{ session_id: string; message_id: string; snippet: string }>`SELECT m.session_id, m.id AS message_id, ${headline(sql.ref('m.body'), query, marks)} AS snippet
       FROM chat_messages m WHERE m.session_id = ANY(${sessionIds}::text[]) AND ${matches('m.body_tsv', query)} ORDER BY m.seq DESC`.execute(db);
    return rows;
  },
  matchingSessions: (query) => sql<{ session_id: string }>`(SELECT DISTINCT m.session_id FROM chat_messages m WHERE ${matches('m.body_tsv', query)})`.as('h'),
  withWindow: (db, query, window) =>
    db
      .with(
        (cte) => cte('hits(seq)').materialized(),
        () => sql<{ seq: number }>`(SELECT seq FROM chat_messages WHERE ${matches('body_tsv', query)} ORDER BY seq DESC LIMIT ${sql.lit(window)})`,
      )
      .with(
        (cte) => cte('floor(seq)').materialized(),
        () => sql<{ seq: number }>`(SELECT CASE WHEN count(*) < ${sql.lit(window)} THEN -1 ELSE min(seq) END FROM hits)`,
      ) as unknown as Kysely<Database & { hits: { seq: number }; floor: { seq: number } }>,
  windowCondition: (query) =>
    sql<SqlBool>`(EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id AND m.seq IN (SELECT seq FROM hits))
            OR EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id AND m.seq < (SELECT seq FROM floor) AND ${matches('m.body_tsv', query)}))`,
};
