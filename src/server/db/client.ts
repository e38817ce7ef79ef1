import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const DATABASE_FILE = 'bob.sqlite';

/**
 * Opens (creating if needed) the SQLite file in WAL mode with foreign keys enforced. The data
 * holds conversations and password hashes: the dir is made 0700 and the files 0600 (other
 * local users read nothing), and Bob refuses to start where it cannot make them so.
 */
export function openDatabase(dataDir: string, opts: { nativeBinding?: string } = {}): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DATABASE_FILE);
  restrict(dataDir, 0o700);
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  // SQLite creates -wal and -shm with the main file's mode; ones left by an older Bob keep theirs.
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) restrict(f, 0o600);
  // The desktop app passes the Electron-ABI build (scripts/native-binding.mjs); Node uses npm's.
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 16 MB of page cache: 32 MB made the search no faster at a million messages and put the
  // server's RSS growth over 100,000 visitors at the edge of its 50 MB goal (bench:memory).
  db.pragma('cache_size = -16000');
  db.pragma('temp_store = MEMORY');
  return db;
}

/** Unix modes only: Windows has ACLs, which Node's chmod does not set. */
function restrict(target: string, mode: number): void {
  if (process.platform === 'win32' || (fs.statSync(target).mode & 0o777) === mode) return;
  try {
    fs.chmodSync(target, mode);
  } catch (err) {
    throw new DataDirError(
      `${target} is readable by other users and Bob cannot change that (${(err as NodeJS.ErrnoException).code}). ` +
        `Run \`chmod ${mode.toString(8)} "${target}"\` as its owner, or set BOB_DATA_DIR to a directory you own.`,
    );
  }
}

/** The data dir cannot be made private: start-up stops with this message. */
export class DataDirError extends Error {}

/** Flushes the WAL into the main file and closes, so a copied data dir is complete. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * A read-only connection to a data dir another process is serving (benchmarks check what the
 * server stored beside it): no pragma is changed, nothing is written.
 */
export function openReadOnly(dataDir: string): Db {
  return new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
}
