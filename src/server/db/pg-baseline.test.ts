// The PostgreSQL baseline (migrations/pg/011-baseline.sql, issue #21) against the schema SQLite has
// after its migrations: every table and column, with a type and nullability that carry the same
// values; and what PostgreSQL does differently on purpose (case-insensitive unique email, the
// accent-folded full-text column and its word list).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePgCluster } from '../../../test/helpers/pg-cluster';
import { useTempDatabase } from '../../../test/helpers/temp-db';
import { migrationFiles } from './migrate';

const BASELINE = path.join(import.meta.dirname, 'migrations', 'pg', '011-baseline.sql');

const cluster = usePgCluster();
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: cluster().url });
  await client.connect();
  await client.query(fs.readFileSync(BASELINE, 'utf8'));
  // And the PostgreSQL twins of SQLite's later migrations (012 on), in order: the schema SQLite ends up with.
  for (const m of migrationFiles(path.dirname(BASELINE)).filter((x) => x.version > 11)) await client.query(fs.readFileSync(m.file, 'utf8'));
});
afterAll(() => client?.end());
const openSqlite = useTempDatabase();

/** SQLite's declared type → the PostgreSQL types that hold the same values. */
const SAME_VALUES: Record<string, string[]> = {
  TEXT: ['text', 'json', 'jsonb'],
  INTEGER: ['integer', 'bigint', 'boolean'],
};
// Columns PostgreSQL has besides SQLite's: the insertion order (SQLite's rowid) and the search column.
const POSTGRES_ONLY = new Set(['audit_log.insertion_seq', 'chat_sessions.insertion_seq', 'credit_usage.insertion_seq', 'chat_messages.body_tsv']);
// Tables of the server mode only: what one SQLite process keeps in memory (limits, presence, webhook leases).
const SERVER_MODE = ['rate_hits', 'failure_delays', 'bob_instances', 'presence', 'webhook_leases'];

describe('the PostgreSQL baseline', () => {
  it('has every table and column SQLite has, of a type and nullability that hold the same values', async () => {
    const { db } = await openSqlite([]);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'chat_messages_fts%' AND name <> 'chat_messages_vocab'`).pluck().all() as string[]).sort();
    const sqlite = tables.flatMap((t) =>
      (db.prepare(`SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?)`).all(t) as { name: string; type: string; not_null: number; pk: number }[]).map((c) => ({
        column: `${t}.${c.name}`,
        type: c.type || 'TEXT',
        // A single INTEGER PRIMARY KEY is the rowid (never null); any other key column is declared NOT NULL or TEXT PRIMARY KEY.
        notNull: c.not_null === 1 || c.pk > 0,
      })),
    );
    const { rows } = await client.query<{ column: string; type: string; not_null: boolean }>(
      `SELECT table_name || '.' || column_name AS column, data_type AS type, is_nullable = 'NO' AS not_null
         FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const postgres = new Map(rows.map((r) => [r.column, r]));
    const mismatches = sqlite.flatMap(({ column, type, notNull }) => {
      const p = postgres.get(column);
      if (!p) return [`${column}: missing`];
      const problems: string[] = [];
      if (!SAME_VALUES[type]?.includes(p.type)) problems.push(`${column}: ${type} in SQLite, ${p.type} in PostgreSQL`);
      if (p.not_null !== notNull) problems.push(`${column}: ${notNull ? 'NOT NULL' : 'nullable'} in SQLite only`);
      return problems;
    });
    expect(mismatches).toEqual([]);
    const extra = [...postgres.keys()].filter((c) => !sqlite.some((s) => s.column === c) && !POSTGRES_ONLY.has(c) && !SERVER_MODE.includes(c.split('.')[0]!));
    expect(extra).toEqual([]);
  });

  it('keeps emails unique whatever their case, and folds accents and answers prefixes in search', async () => {
    const at = '2026-11-01T00:00:00.000Z';
    await client.query(`INSERT INTO tenants (id, slug, name, plan_id, created_at, updated_at) VALUES ('t1', 't1', 'T', 'pro', $1, $1)`, [at]);
    await client.query(`INSERT INTO users (id, tenant_id, email, name, role, created_at, updated_at) VALUES ('u1', 't1', 'Owner@Example.com', 'O', 'owner', $1, $1)`, [at]);
    await expect(client.query(`INSERT INTO users (id, tenant_id, email, name, role, created_at, updated_at) VALUES ('u2', 't1', 'owner@example.COM', 'O', 'owner', $1, $1)`, [at])).rejects.toThrow(/users_email_lower/);
    await client.query(`INSERT INTO chat_sessions (id, tenant_id, external_id, channel, status, last_message_at, created_at, updated_at) VALUES ('s1', 't1', 'v1', 'widget', 'bot', $1, $1, $1)`, [at]);
    await client.query(`INSERT INTO chat_messages (id, tenant_id, session_id, author, body, created_at) VALUES ('m1', 't1', 's1', 'visitor', 'Perché la CITTÀ? (prezzo-medio)', $1)`, [at]);
    const found = await client.query(`SELECT seq FROM chat_messages WHERE body_tsv @@ to_tsquery('simple', 'citta & perche & prezzo:*')`);
    expect(found.rowCount).toBe(1);
    const words = (await client.query<{ words: string[] }>('SELECT tsvector_to_array(body_tsv) AS words FROM chat_messages')).rows[0]!.words.sort();
    expect(words).toEqual(['citta', 'la', 'medio', 'perche', 'prezzo']);
  });
});
