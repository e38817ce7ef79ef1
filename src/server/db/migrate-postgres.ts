import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { migrationFiles, MIGRATIONS_DIR } from './migrate';

/** PostgreSQL's migrations start from a baseline equal to SQLite's schema after this version. */
export const POSTGRES_BASELINE = 11;
/** The advisory lock two instances starting together take in turn (any fixed number: "bob:migrate"). */
const MIGRATE_LOCK = 0x626f62_6d6967;

/** A database that does not sort text byte-wise: Bob's lists would not page the same way as on SQLite. */
export class CollationError extends Error {}

/**
 * Brings a PostgreSQL database to the current schema (the server mode, issue #21): on an empty
 * database, `migrations/pg/011-baseline.sql` (SQLite's schema after its migration 011), recorded as
 * versions 1–11 under SQLite's names; then every `migrations/pg/NNN-name.sql` not yet recorded,
 * each in its own transaction. Instances starting together take turns (an advisory lock). Refuses a
 * database that does not sort text byte-wise, as SQLite does. Returns the versions applied.
 */
export async function migratePostgres(client: pg.ClientBase, dir: string = MIGRATIONS_DIR): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
  try {
    const { rows } = await client.query<{ collate: string; provider: string; db: string }>(
      'SELECT datcollate AS collate, datlocprovider AS provider, current_database() AS db FROM pg_database WHERE datname = current_database()',
    );
    const { collate, provider, db } = rows[0]!;
    if (provider !== 'c' || !/^(C|POSIX|C\.UTF-?8)$/i.test(collate)) {
      throw new CollationError(
        `The database "${db}" sorts text by ${provider === 'i' ? 'ICU' : collate} rules; Bob needs byte-wise order, as SQLite's. ` +
          `Create it with: CREATE DATABASE ${db} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`,
      );
    }
    const exists = (await client.query<{ t: string | null }>(`SELECT to_regclass('public.schema_migrations')::text AS t`)).rows[0]!.t !== null;
    const applied: number[] = [];
    const inTransaction = async (fn: () => Promise<void>) => {
      await client.query('BEGIN');
      try {
        await fn();
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    };
    const at = () => new Date().toISOString();
    if (!exists) {
      const sqlite = migrationFiles(dir).filter((m) => m.version <= POSTGRES_BASELINE);
      await inTransaction(async () => {
        await client.query(fs.readFileSync(path.join(dir, 'pg', `${String(POSTGRES_BASELINE).padStart(3, '0')}-baseline.sql`), 'utf8'));
        for (const m of sqlite) await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, at()]);
      });
      applied.push(...sqlite.map((m) => m.version));
    }
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of migrationFiles(path.join(dir, 'pg')).filter((x) => x.version > POSTGRES_BASELINE && !done.has(x.version))) {
      await inTransaction(async () => {
        await client.query(fs.readFileSync(m.file, 'utf8'));
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, at()]);
      });
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]);
  }
}
