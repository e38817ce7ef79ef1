// Backups of a desktop (SQLite) data dir: `npm run backup` and `npm run restore` (backup-cli.ts).
//
// The file, one per backup: gzip of
//   line 1: the manifest, one line of JSON ending in "\n"
//           { format: "bob-backup", format_version: 1, created_at, schema_version,
//             database: { bytes, sha256 }, tables: { <name>: <rows> } }
//   then:   the bytes of bob.sqlite, as SQLite's online backup API copied them,
//           then the files sent in conversations (issue #23), one after the other, in the
//           manifest's `files` order (format 2; format 1 has none).
// `zcat file | head -1` shows the manifest. The copy is consistent while Bob runs: the backup API
// copies every page in one step, inside one read transaction (WAL: writers go on meanwhile).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { createFileStore } from '../modules/attachments/file-store';
import { closeDatabase, DATABASE_FILE, openDatabase, openReadOnly, type Db } from './client';
import { latestSchemaVersion, migrate } from './migrate';

export const BACKUP_FORMAT = 'bob-backup';
export const BACKUP_FORMAT_VERSION = 2;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  format_version: number;
  created_at: string;
  /** The highest version in schema_migrations (0 when there is none). */
  schema_version: number;
  /** The payload after the manifest line: bob.sqlite's bytes, or (kind 'postgres') a `pg_dump -Fc` archive. */
  database: { kind?: 'sqlite' | 'postgres'; bytes: number; sha256: string };
  /** Rows per table: every table but SQLite's own and the full-text index's internals. */
  tables: Record<string, number>;
  /** The attachments' files after the database (`<tenant id>/<attachment id>` under the attachments folder), format 2. */
  files?: BackupFile[];
}

export interface BackupFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** Migrations applied to bring an older backup up to this Bob's schema. */
  migrated: number[];
  tables: Record<string, number>;
}

/** A backup or restore refused or failed: the message says why, for the person who ran it. */
export class BackupError extends Error {}

/** Not counted: SQLite's own tables and the FTS5 index's shadow tables (rebuilt from chat_messages). */
const NOT_COUNTED = [/^sqlite_/, /^chat_messages_fts/, /^chat_messages_vocab$/];

/** Rows per table of an open database, by name. */
export function countTables(db: Db): Record<string, number> {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  const counts: Record<string, number> = {};
  for (const name of names.filter((n) => !NOT_COUNTED.some((r) => r.test(n)))) {
    counts[name] = db.prepare(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`).pluck().get() as number;
  }
  return counts;
}

/** Rows per table of a data dir, read beside a Bob that may be serving it (read-only). */
export function countDataDir(dataDir: string): Record<string, number> {
  const db = openReadOnly(dataDir);
  try {
    return countTables(db);
  } finally {
    db.close();
  }
}

function schemaVersion(db: Db): number {
  const has = db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).pluck().get() as number;
  if (!has) return 0;
  return (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
}


export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export const tempName = (beside: string, what: string) => `${beside}.${what}-${randomBytes(4).toString('hex')}`;

/** Writes the backup file `to`: gzip of the manifest line, then the payload files' bytes in order (0600; `to` appears only whole). */
export async function packBackup(manifest: BackupManifest, payload: string[], to: string): Promise<void> {
  const partial = tempName(to, 'partial');
  try {
    const gzip = zlib.createGzip();
    const out = fs.createWriteStream(partial, { mode: 0o600 });
    const done = pipeline(gzip, out);
    gzip.write(`${JSON.stringify(manifest)}\n`);
    for (const file of payload) await pipeline(fs.createReadStream(file), gzip, { end: false });
    gzip.end();
    await done;
    fs.renameSync(partial, to);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/**
 * The attachments' files the database (an open connection inside the snapshot, or its copy) names,
 * that exist under `dir`: their manifest entries and paths. A file deleted since its row was read
 * (an erasure meanwhile) is left out.
 */
export async function attachmentFiles(rows: { tenant_id: string; id: string }[], dir: string | undefined): Promise<{ entries: BackupFile[]; paths: string[] }> {
  const entries: BackupFile[] = [];
  const paths: string[] = [];
  if (!dir) return { entries, paths };
  const store = createFileStore(dir);
  for (const r of rows) {
    let file: string;
    try {
      file = store.pathOf(r.tenant_id, r.id);
    } catch {
      continue; // not a file name: no file of ours
    }
    const rel = `${r.tenant_id}/${r.id}`;
    let bytes: number;
    try {
      bytes = fs.statSync(file).size;
    } catch {
      continue;
    }
    entries.push({ path: rel, bytes, sha256: await sha256Of(file) });
    paths.push(file);
  }
  return { entries, paths };
}

/**
 * Copies the data dir's database (Bob may be running on it) into `to`, a new file, compressed,
 * with its manifest. Nothing is left at `to` when it fails.
 */
export async function backup(opts: { from: string; to: string; now?: () => Date; attachmentsDir?: string }): Promise<BackupManifest> {
  const source = path.join(opts.from, DATABASE_FILE);
  if (!fs.existsSync(source)) throw new BackupError(`No Bob database in ${opts.from} (no ${DATABASE_FILE} there): give the data dir with --from.`);
  if (fs.existsSync(opts.to)) throw new BackupError(`${opts.to} already exists: choose a new file name (a backup never overwrites a file).`);
  if (!fs.existsSync(path.dirname(opts.to))) throw new BackupError(`The folder ${path.dirname(opts.to)} does not exist.`);
  const snapshot = tempName(opts.to, 'snapshot');
  try {
    const src = openReadOnly(opts.from);
    try {
      // After the first (empty) step, one step of every page: one read transaction, one consistent copy.
      await src.backup(snapshot, { progress: () => 0x7fffffff });
    } finally {
      src.close();
    }
    const copy = new Database(snapshot, { fileMustExist: true });
    let tables: Record<string, number>;
    let version: number;
    let attached: { tenant_id: string; id: string }[] = [];
    try {
      // One self-contained file: no -wal beside it when restored.
      copy.pragma('journal_mode = DELETE');
      tables = countTables(copy);
      version = schemaVersion(copy);
      if ('attachments' in tables) attached = copy.prepare('SELECT tenant_id, id FROM attachments ORDER BY created_at, id').all() as typeof attached;
    } finally {
      copy.close();
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      created_at: (opts.now?.() ?? new Date()).toISOString(),
      schema_version: version,
      database: { kind: 'sqlite', bytes: fs.statSync(snapshot).size, sha256: await sha256Of(snapshot) },
      tables,
    };
    const files = await attachmentFiles(attached, opts.attachmentsDir ?? path.join(opts.from, 'attachments'));
    if (files.entries.length) manifest.files = files.entries;
    await packBackup(manifest, [snapshot, ...files.paths], opts.to);
    return manifest;
  } finally {
    fs.rmSync(snapshot, { force: true });
    fs.rmSync(`${snapshot}-journal`, { force: true });
  }
}

/** Splits the decompressed stream: the first line to `onManifest`, the rest through. */
class ManifestSplitter extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  manifest: string | null = null;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.manifest !== null) return done(null, chunk);
    const nl = chunk.indexOf(0x0a);
    if (nl < 0) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      return done(this.headBytes > 1_000_000 ? new BackupError('This is not a Bob backup (no manifest at its start).') : null);
    }
    this.head.push(chunk.subarray(0, nl));
    this.manifest = Buffer.concat(this.head).toString('utf8');
    this.head = [];
    done(null, chunk.subarray(nl + 1));
  }
}

function parseManifest(text: string | null): BackupManifest {
  let m: BackupManifest;
  try {
    m = JSON.parse(text ?? '') as BackupManifest;
  } catch {
    throw new BackupError('This is not a Bob backup (its manifest is not readable).');
  }
  if (m?.format !== BACKUP_FORMAT || typeof m.database?.sha256 !== 'string' || typeof m.tables !== 'object') throw new BackupError('This is not a Bob backup (its manifest is not one).');
  if (m.format_version > BACKUP_FORMAT_VERSION) throw new BackupError(`This backup was made by a newer Bob (backup format ${m.format_version}): update Bob, then restore it.`);
  return m;
}

/**
 * Writes the database bytes of the backup at `from` into the new file `into`, and its attachments'
 * files under `attachmentsDir` (`<tenant>/<id>`), and returns its manifest, once every size and
 * SHA-256 matches the manifest's; a BackupError says what is wrong otherwise (files written by then stay).
 */
export async function unpackBackup(from: string, into: string, attachmentsDir?: string): Promise<BackupManifest> {
  const splitter = new ManifestSplitter();
  const payload = `${into}.payload`;
  try {
    try {
      await pipeline(fs.createReadStream(from), zlib.createGunzip(), splitter, fs.createWriteStream(payload, { mode: 0o600 }));
    } catch (err) {
      if (err instanceof BackupError) throw err;
      throw new BackupError(`The backup ${from} is damaged or incomplete and was not restored (${(err as Error).message}).`);
    }
    const manifest = parseManifest(splitter.manifest);
    const files = manifest.files ?? [];
    const total = manifest.database.bytes + files.reduce((n, f) => n + f.bytes, 0);
    const damaged = `The backup ${from} is damaged: its contents do not match the checksums in its manifest. Nothing was restored.`;
    if (fs.statSync(payload).size !== total) throw new BackupError(damaged);
    /** Copies bytes [start, start + bytes) of the payload into `file`, checking their SHA-256. */
    const extract = async (start: number, bytes: number, sha256: string, file: string) => {
      const hash = createHash('sha256');
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      if (bytes) await pipeline(fs.createReadStream(payload, { start, end: start + bytes - 1 }), tap, fs.createWriteStream(file, { mode: 0o600 }));
      else fs.writeFileSync(file, '', { mode: 0o600 });
      if (hash.digest('hex') !== sha256) throw new BackupError(damaged);
    };
    await extract(0, manifest.database.bytes, manifest.database.sha256, into);
    if (files.length && !attachmentsDir) throw new BackupError('This backup holds files sent in conversations, and no folder was given for them.');
    let at = manifest.database.bytes;
    const store = files.length ? createFileStore(attachmentsDir!) : null;
    for (const f of files) {
      const [tenantId, id, ...more] = f.path.split('/');
      let target: string;
      try {
        if (more.length || id === undefined) throw new Error('not <tenant>/<id>');
        target = store!.pathOf(tenantId!, id);
      } catch {
        throw new BackupError(damaged);
      }
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      await extract(at, f.bytes, f.sha256, target);
      at += f.bytes;
    }
    return manifest;
  } finally {
    fs.rmSync(payload, { force: true });
  }
}

/**
 * Restores a backup into `to`, a data dir without a database (made if missing): checks the
 * checksum before anything is put there, migrates an older schema, then checks every table's rows
 * against the manifest. On any failure the data dir is left without bob.sqlite.
 */
export async function restore(opts: { from: string; to: string; attachmentsDir?: string }): Promise<RestoreReport> {
  if (!fs.existsSync(opts.from)) throw new BackupError(`No backup file at ${opts.from}.`);
  const target = path.join(opts.to, DATABASE_FILE);
  if (fs.existsSync(target)) throw new BackupError(`${opts.to} already holds a Bob database (${DATABASE_FILE}): restore into an empty data dir, or move that one away first.`);
  fs.mkdirSync(opts.to, { recursive: true, mode: 0o700 });
  // A staging dir inside the target: the database appears in the data dir only once it is checked.
  const staging = tempName(path.join(opts.to, '.restore'), 'in-progress');
  fs.mkdirSync(staging, { mode: 0o700 });
  try {
    const staged = path.join(staging, DATABASE_FILE);
    const stagedFiles = path.join(staging, 'attachments');
    const manifest = await unpackBackup(opts.from, staged, stagedFiles);
    if (manifest.database.kind === 'postgres') {
      throw new BackupError(`${opts.from} is a backup of a PostgreSQL database (the server mode): restore it with --to <postgres:// URL>, or BOB_DATABASE_URL set.`);
    }
    if (manifest.schema_version > latestSchemaVersion()) {
      throw new BackupError(`This backup comes from a newer Bob (schema ${manifest.schema_version}, this Bob knows up to ${latestSchemaVersion()}): update Bob, then restore it.`);
    }
    const db = openDatabase(staging);
    let migrated: number[];
    let tables: Record<string, number>;
    try {
      migrated = migrate(db);
      tables = countTables(db);
    } finally {
      closeDatabase(db);
    }
    // Migrations add tables and columns, never drop rows; they add their own schema_migrations rows.
    const expected = (name: string, rows: number) => (name === 'schema_migrations' ? rows + migrated.length : rows);
    const wrong = Object.entries(manifest.tables)
      .filter(([name, rows]) => tables[name] !== expected(name, rows))
      .map(([name, rows]) => `${name}: ${expected(name, rows)} expected from the manifest, ${tables[name] ?? 'no table'} restored`);
    if (wrong.length) throw new BackupError(`The restored database does not match the backup's manifest, so it was not kept:\n  ${wrong.join('\n  ')}`);
    // The files first: a data dir with its database is a restored one.
    if (fs.existsSync(stagedFiles)) fs.cpSync(stagedFiles, opts.attachmentsDir ?? path.join(opts.to, 'attachments'), { recursive: true });
    fs.renameSync(staged, target);
    return { manifest, migrated, tables };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
