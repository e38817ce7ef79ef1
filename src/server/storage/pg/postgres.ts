import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';

/**
 * How PostgreSQL's values reach the repositories: as SQLite gives them, so that one `schema.ts`
 * and one set of repositories serve both. Per pool (never pg's global parsers).
 */
const PARSERS: Record<number, (value: string) => unknown> = {
  // int8 (identities, count(*), sum of integers): a number; past 2^53 would lose digits, so refuse.
  20: (v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new RangeError(`An int8 value beyond 2^53: ${v}`);
    return n;
  },
  1700: Number, // numeric (sum over int8): a number
  16: (v) => (v === 't' ? 1 : 0), // boolean: 0/1, as SQLite stores flags
  114: (v) => v, // json: the text, which repositories JSON.parse
  3802: (v) => v, // jsonb: likewise
};

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => PARSERS[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A statement text becomes a named (prepared) statement once it has run this often. */
const PREPARE_AFTER = 3;
/** No more names past this many texts (queries with lists of varying length make new texts). */
const MAX_NAMED = 1000;
const seen = new Map<string, number>();
const named = new Map<string, string>();

/**
 * The name to prepare a statement under, once its text repeats (every query on the chat path
 * does: Kysely binds the values): PostgreSQL then parses and plans it once per connection instead
 * of at every run. Names are never reused for another text.
 */
function statementName(text: string): string | undefined {
  const name = named.get(text);
  if (name || named.size >= MAX_NAMED) return name;
  const n = (seen.get(text) ?? 0) + 1;
  if (n < PREPARE_AFTER) {
    seen.set(text, n);
    return undefined;
  }
  seen.delete(text);
  named.set(text, `bob_${named.size + 1}`);
  return named.get(text);
}

/** Kysely calls `query(text, values)`: a repeated text goes as a named statement. */
function preparingRepeats(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof text === 'string' && Array.isArray(values) && values.length ? statementName(text) : undefined;
    return name ? query({ name, text, values }, callback) : query(text, values, callback);
  }) as typeof client.query;
}

export interface PostgresStorage {
  pool: pg.Pool;
  storage: Kysely<Database>;
  /** A dedicated client outside the pool, with the same parsers (LISTEN, migrations). */
  client(): pg.Client;
  close(): Promise<void>;
}

/**
 * A pool of `size` connections to `url` and Kysely over it. `name` shows in pg_stat_activity. A
 * run that awaits something other than its storage cannot hold a connection forever: the
 * database ends a transaction idle for 10 s.
 */
export function postgresStorage(url: string, opts: { size?: number; name?: string } = {}): PostgresStorage {
  const settings = { connectionString: url, application_name: opts.name ?? 'bob', types };
  const pool = new pg.Pool({
    ...settings,
    max: opts.size ?? 10,
    connectionTimeoutMillis: 10_000,
    options: '-c idle_in_transaction_session_timeout=10000 -c statement_timeout=30000',
  });
  // An idle client losing its connection (the database restarted) must not crash the process.
  pool.on('error', () => undefined);
  pool.on('connect', preparingRepeats);
  const storage = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    pool,
    storage,
    client: () => new pg.Client(settings),
    close: () => storage.destroy(),
  };
}
