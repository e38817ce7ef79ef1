// The one test file with SQL text, on purpose: tests of the storage itself (what the database file
// holds and how it is set up, a failure injected below the repositories) and the reference queries
// the optimized search is checked against. Every other test reads through test/helpers/db.ts.
import type { Db } from '../../src/server/db/client';
import { ftsQuery, type SessionRow } from '../../src/server/modules/chat/chat.repo';
import type { SessionStatus } from '../../src/shared/schemas/chat';
import { MATCH_END, MATCH_START } from '../../src/shared/search-snippet';

/** Rows in each table, by table name. */
export const rowCounts = (db: Db, tables: string[]): Record<string, number> =>
  Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number]));

/** A PRAGMA's value as the connection reports it. */
export const pragma = (db: Db, name: 'journal_mode' | 'foreign_keys'): unknown => db.pragma(name, { simple: true });

/** Renames a table, so that every query on it fails (an internal error below the repositories). */
export const renameTable = (db: Db, from: string, to: string) => db.exec(`ALTER TABLE ${from} RENAME TO ${to}`);

/** Every row of every table, by table name (a check over everything stored). */
export function everyRow(db: Db): Record<string, Record<string, unknown>[]> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]]));
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
