import { sql, type Compilable, type CompiledQuery, type QueryResult, type RawBuilder } from 'kysely';
import { executeCompiled, type Storage } from './sqlite';

/** What a compiled query's parameters are made of: each call's value of an argument, or a constant of the query. */
type Slot = { arg: string } | { value: unknown };

interface Compiled<R> {
  query: CompiledQuery<R>;
  slots: Slot[];
}

const MARK = '\u0000bob-arg:';

/**
 * A query built and compiled once (per database: its dialect compiles it), then run with each
 * call's arguments: for queries on the chat path, where building and compiling with Kysely cost
 * more than SQLite running them.
 *
 * `build` gets `args` as placeholders (strings standing for each argument): it must pass them to
 * the query as values (`where('id', '=', a.id)`, `.values({ body: a.body })`, `.limit(a.n)`) and
 * never compute with them; the query's shape must not depend on them (no `in` lists of varying
 * length, no optional filters). Both are checked when it compiles: an argument that is not one
 * parameter of the query, as given, throws. `context` (the `SqlDialect`, say) is what the query
 * is built with besides: the same for every call on one database.
 *
 * ```ts
 * const byId = compiledQuery((db, a: { tenantId: string; id: string }) =>
 *   db.selectFrom('things').selectAll().where('tenant_id', '=', a.tenantId).where('id', '=', a.id));
 * const rows = await byId.rows(db, { tenantId, id });
 * ```
 */
export function compiledQuery<A extends object, R, C = void>(build: (db: Storage, args: A, context: C) => Compilable<R>) {
  // Keyed by the database's adapter: one per Kysely instance, shared by its transactions.
  const byDatabase = new WeakMap<object, Compiled<R>>();
  const compiled = (db: Storage, context: C) => {
    const adapter = db.getExecutor().adapter;
    let c = byDatabase.get(adapter);
    if (!c) {
      c = compile(db, (d, a: A) => build(d, a, context));
      byDatabase.set(adapter, c);
    }
    return c;
  };
  const execute = (db: Storage, args: A, context: C): Promise<QueryResult<R>> => {
    try {
      const { query, slots } = compiled(db, context);
      const parameters = slots.map((s) => ('arg' in s ? (args as Record<string, unknown>)[s.arg] : s.value));
      return executeCompiled<R>(db, query, parameters);
    } catch (error) {
      // A query that cannot compile, or a statement SQLite refuses: a rejection, as from Kysely.
      return Promise.reject(error as Error);
    }
  };
  return {
    execute,
    /** Every row. */
    rows: (db: Storage, args: A, context: C): Promise<R[]> => execute(db, args, context).then((r) => r.rows),
    /** The first row, if any. */
    first: (db: Storage, args: A, context: C): Promise<R | undefined> => execute(db, args, context).then((r) => r.rows[0]),
    /** The SQL, for tests and for reading. */
    sql: (db: Storage, context: C) => compiled(db, context).query.sql,
  };
}

/**
 * A constant written into the SQL text instead of bound as a parameter: SQLite uses a partial
 * index (`… WHERE status = 'published'`, `… WHERE is_default = 1`) only when the query's
 * condition is that same constant, which a parameter is not.
 */
export const literal = <T extends string | number>(value: T): RawBuilder<T> => sql.lit(value);

function compile<A extends object, R>(db: Storage, build: (db: Storage, args: A) => Compilable<R>): Compiled<R> {
  const used = new Set<string>();
  const placeholders = new Proxy({} as A, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      used.add(name);
      return MARK + name;
    },
  });
  const query = build(db, placeholders).compile();
  const seen = new Set<string>();
  const slots = query.parameters.map((p): Slot => {
    if (typeof p === 'string' && p.includes(MARK)) {
      const arg = p.slice(MARK.length);
      if (!p.startsWith(MARK) || !used.has(arg)) throw new Error(`compiledQuery: argument used in an expression, not as a value: ${JSON.stringify(p)}`);
      seen.add(arg);
      return { arg };
    }
    return { value: p };
  });
  const lost = [...used].filter((a) => !seen.has(a));
  if (lost.length) throw new Error(`compiledQuery: argument(s) ${lost.join(', ')} are not parameters of the query (computed with, or unused)`);
  return { query, slots };
}
