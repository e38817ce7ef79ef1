import { sql, type SqlBool } from 'kysely';
import type { SqlDialect } from '../dialect';
import { postgresChatText } from './chat-text';

/** PostgreSQL's side of `SqlDialect` (see dialect.ts for what each method means). */
export const postgresDialect: SqlDialect = {
  addMinutes: (timestamp, minutes) =>
    sql<string | null>`to_char((${timestamp})::timestamptz AT TIME ZONE 'UTC' + ${sql.lit(`${minutes} minutes`)}::interval, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  // xmin: the id of the transaction that wrote the row version, so it changes on every update too.
  rowsStamp: () => sql<number | null>`sum((xmin::text)::bigint)`,
  jsonArrayHas: (array, value) => sql<SqlBool>`(${array})::jsonb ? ${value}`,
  // The three tables inspected in insertion order have this PostgreSQL-only identity column.
  insertionOrder: (table) => sql.ref(`${table}.insertion_seq`),
  startsWith: (text, prefix) => sql<SqlBool>`${text} ILIKE ${prefix.replace(/[%_\\]/g, (c) => '\\' + c) + '%'} ESCAPE '\\'`,
  flagIsSet: (column) => sql<SqlBool>`${sql.ref(column)}`,
  equalsIgnoringCase: (column, value) => sql<SqlBool>`lower(${sql.ref(column)}) = lower(${value})`,
  announce: async (db, channel, payload) => {
    await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
  },
  takeTurns: async (db, name) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(db);
  },
  async appendEvents(db, rows) {
    if (!rows.length) return [];
    // The lock is taken before the first row is inserted (every row joins `turn`), so identities are
    // drawn in turn; the ids' range is announced once (identical notifications of one transaction
    // are delivered once).
    const values = rows.map((r, i) => sql`(${r.tenant_id}, ${r.type}, ${r.session_id}::text, ${r.data}, ${r.created_at}, ${sql.lit(i)})`);
    const { rows: stored } = await sql<{ id: number }>`WITH turn AS (SELECT pg_advisory_xact_lock(hashtext('events'))),
      ins AS (INSERT INTO events (tenant_id, type, session_id, data, created_at)
              SELECT v.tenant_id, v.type, v.session_id, v.data::json, v.created_at
                FROM turn CROSS JOIN (VALUES ${sql.join(values)}) AS v (tenant_id, type, session_id, data, created_at, n)
               ORDER BY v.n RETURNING id)
      SELECT id, pg_notify('bob_events', (SELECT min(id) || ':' || max(id) FROM ins))::text AS notified FROM ins ORDER BY id`.execute(db);
    return stored.map((r) => r.id);
  },
  chatText: postgresChatText,
};
