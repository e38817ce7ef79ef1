import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const DATABASE_FILE = 'bob.sqlite';

/** Opens (creating if needed) the SQLite file in WAL mode with foreign keys enforced. */
export function openDatabase(dataDir: string, opts: { nativeBinding?: string } = {}): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The desktop app passes the Electron-ABI build (scripts/native-binding.mjs); Node uses npm's.
  const db = new Database(path.join(dataDir, DATABASE_FILE), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32000'); // 32 MB of page cache
  db.pragma('temp_store = MEMORY');
  return db;
}

/** Flushes the WAL into the main file and closes, so a copied data dir is complete. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
