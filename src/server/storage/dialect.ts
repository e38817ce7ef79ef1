import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * The few places where SQLite and PostgreSQL need different SQL. Everything else is written
 * once with Kysely, which compiles it for either database (upserts included: `onConflict`
 * compiles to the same ON CONFLICT … DO UPDATE on both, so they need nothing here).
 *
 * Methods are added as modules move to the storage layer, each with its SQLite implementation
 * (and the PostgreSQL one when that dialect lands). The shapes expected next:
 * - full-text match, for chat search: `textMatch(query: string)`, a condition on the message
 *   rows (SQLite: the FTS5 table `chat_messages_fts MATCH ?` joined on rowid = seq;
 *   PostgreSQL: a tsvector column `@@ websearch_to_tsquery(?)`), with snippets beside it;
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
}

export const sqliteDialect: SqlDialect = {
  addMinutes: (timestamp, minutes) =>
    sql<string | null>`strftime('%Y-%m-%dT%H:%M:%fZ', ${timestamp}, ${sql.lit(`${minutes >= 0 ? '+' : ''}${minutes} minutes`)})`,
  rowsStamp: () => sql<number | null>`SUM(rowid)`,
  jsonArrayHas: (array, value) => sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(${array}) WHERE value = ${value})`,
};
