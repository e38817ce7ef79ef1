// The one test file with SQL text, on purpose: tests of the storage itself (what the database file
// holds and how it is set up, a failure injected below the repositories, the PostgreSQL test
// cluster) and the reference queries the optimized search is checked against. Every other test
// reads through test/helpers/db.ts.
import { sql } from 'kysely';
import type { Db } from '../../src/server/db/client';
import { dialectOf, sqliteDialect } from '../../src/server/storage/dialect';
import type { Storage } from '../../src/server/storage/sqlite';
import { ftsQuery, type SessionRow } from '../../src/server/modules/chat/chat.repo';
import type { SessionStatus } from '../../src/shared/schemas/chat';
import { withClient } from './test-database';
import { MATCH_END, MATCH_START } from '../../src/shared/search-snippet';

/** Rows in each table, by table name (SQLite or PostgreSQL). */
export async function rowCounts(storage: Storage, tables: string[]): Promise<Record<string, number>> {
  const counts: [string, number][] = [];
  for (const t of tables) counts.push([t, (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(storage)).rows[0]!.n]);
  return Object.fromEntries(counts);
}

/** Rows in a table of a SQLite connection, read at once (inside an event listener, say). */
export const sqliteRowCount = (db: Db, table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

/** A PRAGMA's value as the connection reports it (SQLite). */
export const pragma = (db: Db, name: 'journal_mode' | 'foreign_keys'): unknown => db.pragma(name, { simple: true });

/** The database's encoding and collation (PostgreSQL). */
export const pgSettings = async (storage: Storage) =>
  (await sql<{ encoding: string; collate: string }>`SELECT pg_encoding_to_char(encoding) AS encoding, datcollate AS collate FROM pg_database WHERE datname = current_database()`.execute(storage)).rows[0]!;

/** Renames a table, so that every query on it fails (an internal error below the repositories). */
export const renameTable = async (storage: Storage, from: string, to: string) => {
  await sql`ALTER TABLE ${sql.table(from)} RENAME TO ${sql.table(to)}`.execute(storage);
};

/** Every row of every table, by table name (a check over everything stored; PostgreSQL's search column left out). */
export async function everyRow(storage: Storage): Promise<Record<string, Record<string, unknown>[]>> {
  const tables =
    dialectOf(storage) === sqliteDialect
      ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(storage)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(storage)).rows.map((r) => r.name);
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of tables) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)}`.execute(storage)).rows;
    out[t] = rows.map(({ body_tsv: _tsv, ...row }) => row);
  }
  return out;
}

/** The sessions list as it was queried before #19: every match gathered, then sorted. */
export function referenceSessions(db: Db, opts: { tenantId: string | null; status?: SessionStatus; q?: string; after?: { at: string; id: string }; limit: number }): SessionRow[] {
  const where: string[] = ["s.channel <> 'console'"];
  const args: unknown[] = [];
  if (opts.tenantId) (where.push('s.tenant_id = ?'), args.push(opts.tenantId));
  if (opts.status) (where.push('s.status = ?'), args.push(opts.status));
  if (opts.q) {
    where.push(`s.id IN (SELECT m.session_id FROM chat_messages_fts f JOIN chat_messages m ON m.seq = f.rowid WHERE chat_messages_fts MATCH ?)`);
    args.push(ftsQuery(opts.q));
  }
  if (opts.after) (where.push('(s.last_message_at < ? OR (s.last_message_at = ? AND s.id < ?))'), args.push(opts.after.at, opts.after.at, opts.after.id));
  const sql = `SELECT s.*, p.name AS persona_name FROM chat_sessions s LEFT JOIN personas p ON p.id = s.persona_id WHERE ${where.join(' AND ')} ORDER BY s.last_message_at DESC, s.id DESC LIMIT ?`;
  return db.prepare<unknown[], SessionRow>(sql).all(...args, opts.limit);
}

/** A session's newest matching message, as it was queried before #19. */
export const referenceMatch = (db: Db, sessionId: string, q: string) =>
  db
    .prepare(
      `SELECT m.id AS message_id, snippet(chat_messages_fts, 0, ?, ?, '…', 16) AS snippet
         FROM chat_messages_fts f JOIN chat_messages m ON m.seq = f.rowid
        WHERE chat_messages_fts MATCH ? AND m.session_id = ? ORDER BY m.seq DESC LIMIT 1`,
    )
    .get(MATCH_START, MATCH_END, ftsQuery(q), sessionId);

/** SQLite's plans for one page of sessions: of a tenant, of a tenant by status, after a cursor. */
export function sessionPagePlans(db: Db, tenantId: string): string[] {
  const plan = (sql: string, ...args: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');
  const base = `SELECT s.* FROM chat_sessions s WHERE s.channel <> 'console' AND s.tenant_id = ?`;
  return [
    plan(`${base} ORDER BY s.last_message_at DESC, s.id DESC LIMIT 31`, tenantId),
    plan(`${base} AND s.status = ? ORDER BY s.last_message_at DESC, s.id DESC LIMIT 31`, tenantId, 'bot'),
    plan(`SELECT s.* FROM chat_sessions s WHERE s.channel <> 'console' AND (s.last_message_at, s.id) < (?, ?) ORDER BY s.last_message_at DESC, s.id DESC LIMIT 31`, 'z', 'z'),
  ];
}

// The PostgreSQL cluster the server-mode tests run on (test/helpers/pg-cluster.ts), probed directly.

/** Who the connection is, the database's collation, and how it sorts a few words. */
export const pgFacts = (url: string) =>
  withClient(url, async (c) =>
    (
      await c.query<{ user: string; collate: string; sorted: string[] }>(
        `SELECT current_user AS user, datcollate AS collate, (SELECT array_agg(w ORDER BY w) FROM unnest(ARRAY['b', 'B', 'a', 'é']) w) AS sorted
           FROM pg_database WHERE datname = current_database()`,
      )
    ).rows[0]!,
  );

/** A new database of the cluster, empty or a copy of `template`; its URL. */
export async function pgCreateDatabase(clusterUrl: string, name: string, template?: string): Promise<string> {
  await withClient(clusterUrl, (c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return clusterUrl.replace(/\/[^/]*$/, `/${name}`);
}

/** Words written with accents into a table `t` of the database, with the unaccent extension. */
export const pgWriteAccentedWords = (url: string, words: string[]) =>
  withClient(url, async (c) => {
    await c.query('CREATE EXTENSION unaccent');
    await c.query('CREATE TABLE t (word text)');
    for (const w of words) await c.query('INSERT INTO t VALUES ($1)', [w]);
  });

/** The words of table `t` without their accents, sorted. */
export const pgUnaccentedWords = (url: string) => withClient(url, async (c) => (await c.query<{ w: string }>('SELECT unaccent(word) AS w FROM t ORDER BY 1')).rows.map((r) => r.w));

/** Rows per table of the PostgreSQL database at `url` (a restored backup's, against its manifest). */
export const pgRowCounts = (url: string, tables: string[]) =>
  withClient(url, async (c) => {
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t] = Number((await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${t.replaceAll('"', '""')}"`)).rows[0]!.n);
    return counts;
  });

/** How many tables the public schema of the PostgreSQL database at `url` holds (0: an empty database). */
export const pgTableCount = (url: string) => withClient(url, async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n);
