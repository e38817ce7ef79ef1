import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement, type Transaction } from 'kysely';
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
 * `closeDatabase` (src/server/db/client.ts), which owns the connection.
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
  }
  return k;
}
