import { Kysely, SqliteDialect, type Compilable, type CompiledQuery, type SqliteDatabase, type SqliteStatement, type Transaction } from 'kysely';
import type { Db } from '../db/client';
import type { Database } from './schema';

/** The typed query builder over Bob's database; a `Transaction` is one too. */
export type Storage = Kysely<Database>;
export type StorageTx = Transaction<Database>;

/** Prepared statements kept per connection; past this, the least recently used is dropped. */
const STATEMENT_CACHE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; this wrapper keeps the prepared statement
 * for each SQL text (Kysely binds parameters, so the texts repeat). Closing is left to
 * `closeDatabase`: the connection is shared with the synchronous repositories.
 */
function cachingDatabase(db: Db): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close() {},
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-inserted below: the Map's order is the recency
      } else {
        stmt = db.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

const instances = new WeakMap<Db, Storage>();
/** Each instance's statement cache, for `executeNow`. */
const connections = new WeakMap<Storage, SqliteDatabase>();

/**
 * The Kysely instance over `db`, the same connection the synchronous repositories use (so
 * both can work inside one transaction while modules move over). One per connection: Kysely's
 * driver keeps the connection behind a mutex, and two instances would not share it.
 */
export function sqliteStorage(db: Db): Storage {
  let k = instances.get(db);
  if (!k) {
    const database = cachingDatabase(db);
    k = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    instances.set(db, k);
    connections.set(k, database);
  }
  return k;
}

/**
 * Runs a Kysely query at once, synchronously, on the connection under `storage` (a root
 * `Storage`, not a transaction), inside whatever transaction is open on it: the rows it returns
 * (an INSERT … RETURNING's too) and the rows it changed. A query on a hot path can be compiled
 * once and passed with each call's `parameters` (`{ ...compiled, parameters }`).
 *
 * The one synchronous write left, for the webhook outbox only: the event store writes events
 * synchronously (inside `EventBus.transaction` and the unit of work alike), and the outbox's
 * deliveries must be written in that same transaction, before the emitter returns. It bypasses
 * Kysely's connection lock on purpose, like the synchronous repositories. The PostgreSQL unit of
 * work will buffer these writes and run them in its transaction instead.
 */
export function executeNow<R>(storage: Storage, query: Compilable<R> | CompiledQuery<R>): { rows: R[]; changes: number } {
  const database = connections.get(storage);
  if (!database) throw new Error('executeNow needs the root Storage of a SQLite connection');
  const { sql, parameters } = 'compile' in query ? query.compile() : query;
  const stmt = database.prepare(sql);
  if (stmt.reader) return { rows: stmt.all(parameters) as R[], changes: 0 };
  return { rows: [], changes: Number(stmt.run(parameters).changes) };
}
