// Backups of the server mode's PostgreSQL database (BOB_DATABASE_URL): `npm run backup` and
// `npm run restore` (backup-cli.ts) with a postgres:// URL. The file has the same form as a
// desktop backup (backup.ts: gzip of a manifest line, then the payload), the payload being a
// `pg_dump --format=custom` archive (kind 'postgres' in the manifest).
//
// Consistent while Bob runs: one REPEATABLE READ transaction exports its snapshot, counts every
// table in it (the manifest), and pg_dump reads that same snapshot (--snapshot). UNLOGGED tables
// (rate-limit counters, presence, leases: state that lives minutes) are dumped without their rows
// and not counted.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { attachmentFiles, BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BackupError, packBackup, sha256Of, unpackBackup, type BackupManifest, type RestoreReport } from './backup';
import { latestSchemaVersion } from './migrate';
import { migratePostgres } from './migrate-postgres';

/** pg_dump or pg_restore: BOB_PG_BIN's, else on PATH, else the newest /usr/lib/postgresql/<version>/bin's. */
export function postgresTool(name: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string {
  if (env.BOB_PG_BIN) return path.join(env.BOB_PG_BIN, name);
  if (spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0) return name;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', name))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new BackupError(`${name} was not found: install the PostgreSQL client tools (e.g. apt-get install postgresql-client), or set BOB_PG_BIN to the folder holding ${name}.`);
  return path.join(root, versions[0]!, 'bin', name);
}

/** The URL without its password, and the password apart: a password never goes on a command line (ps shows those). */
function connection(url: string): { url: string; env: NodeJS.ProcessEnv; shown: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BackupError('The PostgreSQL address is not a URL: use postgres://user:password@host:port/database.');
  }
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const shown = `${parsed.host}${parsed.pathname}`;
  return { url: parsed.toString(), env: password ? { PGPASSWORD: password } : {}, shown };
}

async function connect(url: string, name: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: name });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`Cannot connect to the PostgreSQL database ${connection(url).shown}: ${(error as Error).message}`);
  }
  return client;
}

/** Rows per logged table of the current schema, read in the client's transaction. */
async function countTables(client: pg.ClientBase): Promise<Record<string, number>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p' ORDER BY c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    const r = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${name.replaceAll('"', '""')}"`);
    counts[name] = Number(r.rows[0]!.n);
  }
  return counts;
}

async function schemaVersion(client: pg.ClientBase): Promise<number> {
  const exists = (await client.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`)).rows[0]!.t !== null;
  if (!exists) return 0;
  return (await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]!.v ?? 0;
}

/** Runs a PostgreSQL client tool; its stdout to `stdoutTo` when given. Rejects with its stderr's end. */
function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv, stdoutTo?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = stdoutTo ? fs.openSync(stdoutTo, 'w', 0o600) : 'ignore';
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, 'pipe'] });
    if (typeof out === 'number') fs.closeSync(out);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (error) => reject(new BackupError(`${path.basename(cmd)} could not be started: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`${path.basename(cmd)} failed (exit ${code}): ${stderr.trim() || 'no message'}`))));
  });
}

/** Backs up the PostgreSQL database at `url` into `to`, a new file. Nothing is left at `to` when it fails. */
export async function backupPostgres(opts: { url: string; to: string; now?: () => Date; env?: NodeJS.ProcessEnv; attachmentsDir?: string }): Promise<BackupManifest> {
  if (fs.existsSync(opts.to)) throw new BackupError(`${opts.to} already exists: choose a new file name (a backup never overwrites a file).`);
  if (!fs.existsSync(path.dirname(opts.to))) throw new BackupError(`The folder ${path.dirname(opts.to)} does not exist.`);
  const pgDump = postgresTool('pg_dump', opts.env);
  const target = connection(opts.url);
  const client = await connect(opts.url, 'bob-backup');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-pg-backup-'));
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    const tables = await countTables(client);
    if (!('tenants' in tables)) throw new BackupError(`${target.shown} holds no Bob database (no tenants table).`);
    const version = await schemaVersion(client);
    // The files the snapshot's attachment rows name (files are written before their row, deleted after it).
    const attached = 'attachments' in tables ? (await client.query<{ tenant_id: string; id: string }>('SELECT tenant_id, id FROM attachments ORDER BY created_at, id')).rows : [];
    const dump = path.join(work, 'bob.pgdump');
    // Compressed once, by the backup file's gzip.
    await runTool(pgDump, ['--format=custom', '--compress=0', '--no-owner', '--no-privileges', '--no-unlogged-table-data', `--snapshot=${snapshot}`, `--dbname=${target.url}`], target.env, dump);
    await client.query('COMMIT');
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      created_at: (opts.now?.() ?? new Date()).toISOString(),
      schema_version: version,
      database: { kind: 'postgres', bytes: fs.statSync(dump).size, sha256: await sha256Of(dump) },
      tables,
    };
    const files = await attachmentFiles(attached, opts.attachmentsDir);
    if (files.entries.length) manifest.files = files.entries;
    await packBackup(manifest, [dump, ...files.paths], opts.to);
    return manifest;
  } finally {
    await client.end().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Restores a PostgreSQL backup into the empty database at `url` (create it first, as DEPLOY.md
 * says): the checksum checked before anything is written, pg_restore in one transaction, an older
 * schema migrated, then every table's rows checked against the manifest.
 */
export async function restorePostgres(opts: { from: string; url: string; env?: NodeJS.ProcessEnv; attachmentsDir?: string }): Promise<RestoreReport> {
  if (!fs.existsSync(opts.from)) throw new BackupError(`No backup file at ${opts.from}.`);
  const pgRestore = postgresTool('pg_restore', opts.env);
  const target = connection(opts.url);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-pg-restore-'));
  const client = await connect(opts.url, 'bob-restore');
  try {
    const dump = path.join(work, 'bob.pgdump');
    const staged = path.join(work, 'attachments');
    const manifest = await unpackBackup(opts.from, dump, staged);
    if (manifest.database.kind !== 'postgres') {
      throw new BackupError(`${opts.from} is a backup of a desktop (SQLite) data dir: restore it into a data dir (--to <folder>), then move it with npm run migrate-to-postgres.`);
    }
    if (manifest.schema_version > latestSchemaVersion()) {
      throw new BackupError(`This backup comes from a newer Bob (schema ${manifest.schema_version}, this Bob knows up to ${latestSchemaVersion()}): update Bob, then restore it.`);
    }
    const held = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_tables WHERE schemaname = current_schema()`)).rows[0]!.n);
    if (held > 0) throw new BackupError(`The database ${target.shown} is not empty (${held} tables): restore into a new, empty database.`);
    await runTool(pgRestore, ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${target.url}`, dump], target.env);
    const migrated = await migratePostgres(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = await countTables(client);
    await client.query('COMMIT');
    const expected = (name: string, rows: number) => (name === 'schema_migrations' ? rows + migrated.length : rows);
    const wrong = Object.entries(manifest.tables)
      .filter(([name, rows]) => tables[name] !== expected(name, rows))
      .map(([name, rows]) => `${name}: ${expected(name, rows)} expected from the manifest, ${tables[name] ?? 'no table'} restored`);
    if (wrong.length) {
      throw new BackupError(`The restored database ${target.shown} does not match the backup's manifest: drop it before you try again.\n  ${wrong.join('\n  ')}`);
    }
    if (fs.existsSync(staged)) {
      if (!opts.attachmentsDir) throw new BackupError('This backup holds files sent in conversations: set BOB_ATTACHMENTS_DIR (the folder the instances share) and restore again.');
      fs.cpSync(staged, opts.attachmentsDir, { recursive: true });
    }
    return { manifest, migrated, tables };
  } finally {
    await client.end().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}
