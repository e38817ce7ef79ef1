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
  chatText: postgresChatText,
};
