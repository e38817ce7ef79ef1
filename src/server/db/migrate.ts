import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './client';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;

/** The numbered migration files `NNN-name.sql` of a folder, by version. */
export function migrationFiles(dir: string): { file: string; version: number; name: string }[] {
  return fs
    .readdirSync(dir)
    .map((f) => ({ f, m: FILE.exec(f) }))
    .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
    .map(({ f, m }) => ({ file: path.join(dir, f), version: Number(m[1]), name: m[2]! }))
    .sort((a, b) => a.version - b.version);
}

/** The newest schema version this Bob knows (its highest SQLite migration; PostgreSQL's twins carry the same numbers). */
export function latestSchemaVersion(dir: string = MIGRATIONS_DIR): number {
  return Math.max(0, ...migrationFiles(dir).map((m) => m.version));
}

/**
 * Applies every numbered SQL file not yet recorded in schema_migrations, each in its own
 * transaction, in order. Returns the versions applied.
 */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const done = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  const files = migrationFiles(dir);
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of files) {
    if (done.has(m.version)) continue;
    const sql = fs.readFileSync(m.file, 'utf8');
    db.transaction(() => {
      db.exec(sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}
