import { Kysely, SqliteAdapter, SqliteDialect, type CompiledQuery, type QueryResult, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Db } from '../db/client';
import type { Database } from './schema';

/** The typed query builder over Bob's database; a `Transaction` is one too. */
export type Storage = Kysely<Database>;

/** Prepared statements kept per connection; past this, the oldest is dropped. */
const STATEMENT_CACHE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; this wrapper keeps the prepared statement
 * for each SQL text (Kysely binds parameters, so the texts repeat). Closing is left to
 * `closeDatabase` (src/server/db/client.ts), which owns the connection.
 */
function cachingDatabase(db: Db): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close() {},
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql) as unknown as SqliteStatement;
        // The oldest goes first (the texts come from the code, so this rarely happens).
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

const instances = new WeakMap<Db, Storage>();
/** The connection and statement cache behind each instance's adapter (shared by its transactions). */
const connections = new WeakMap<object, { db: Db; byQuery: WeakMap<CompiledQuery, SqliteStatement> }>();

/**
 * The Kysely instance over `db`. One per connection: Kysely's driver keeps the connection behind
 * a mutex, and two instances would not share it.
 */
export function sqliteStorage(db: Db): Storage {
  let k = instances.get(db);
  if (!k) {
    const database = cachingDatabase(db);
    k = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    instances.set(db, k);
    connections.set(k.getExecutor().adapter, { db, byQuery: new WeakMap() });
  }
  return k;
}

/**
 * Another database's driver (PostgreSQL's) gives no `insertId`: an insert of one row that returns
 * one column (`returningKey`) gives it that column, as SQLite gives the rowid.
 */
function withInsertId<R>(result: QueryResult<R>): QueryResult<R> {
  const row = result.rows.length === 1 && result.insertId === undefined && result.numAffectedRows === 1n ? (result.rows[0] as Record<string, unknown>) : undefined;
  const values = row ? Object.values(row) : [];
  return values.length === 1 ? { ...result, insertId: BigInt(values[0] as number) } : result;
}

/**
 * On PostgreSQL, `RETURNING columns` on a write whose result the caller reads (one column of an
 * insert becomes `insertId`, as SQLite gives the rowid); on SQLite nothing (the rowid comes
 * without it, and RETURNING made the chat's inserts 2–3× slower: read back separately there).
 */
export const returningOnPostgres = <Q extends { returning(columns: never): unknown }>(db: Storage, q: Q, columns: string | readonly string[]): Q =>
  db.getExecutor().adapter instanceof SqliteAdapter ? q : (q.returning(columns as never) as Q);

/**
 * Runs a compiled query (see compiled.ts) and answers as Kysely's SQLite driver does. On SQLite
 * it runs the statement at once, without Kysely's connection lock and its promise chain, when
 * that is safe: inside a transaction it was given (a unit of work's run, which holds the
 * connection), or on the root `Storage` while no transaction is open on the connection (nothing
 * uncommitted to see; better-sqlite3 answers synchronously, so nothing can start meanwhile).
 * Otherwise (a root read while a unit of work's transaction is open, or another database) it
 * goes through Kysely, which waits for the connection.
 */
export function executeCompiled<R>(db: Storage, query: CompiledQuery<R>, parameters: readonly unknown[] = query.parameters): Promise<QueryResult<R>> {
  const c = connections.get(db.getExecutor().adapter);
  if (!c) return db.executeQuery<R>({ ...query, parameters }).then(withInsertId);
  if (!db.isTransaction && c.db.inTransaction) return db.executeQuery({ ...query, parameters });
  // The statement kept with the query it was compiled from (each compiled query is made once).
  let stmt = c.byQuery.get(query);
  if (!stmt) c.byQuery.set(query, (stmt = c.db.prepare(query.sql) as unknown as SqliteStatement));
  if (stmt.reader) return Promise.resolve({ rows: stmt.all(parameters) as R[] });
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return Promise.resolve({ rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) });
}
