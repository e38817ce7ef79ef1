import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createFileStore, type FileStore } from '../modules/attachments/file-store';
import { sha256Of } from './backup';
import { DATABASE_FILE, openReadOnly, type Db } from './client';
import { latestSchemaVersion } from './migrate';
import { migratePostgres } from './migrate-postgres';

/**
 * `npm run migrate-to-postgres -- --from <data dir> --to <url> [--files <dir>]` (issue #21):
 * everything a desktop data dir holds, copied into an empty PostgreSQL database in one transaction,
 * checked table by table before it commits; the files sent in conversations (issue #23) into the
 * server mode's attachments folder, each checked, before that commit.
 */

/** Why the copy did not start or could not finish: the message says what to do. */
export class MigrationError extends Error {}

export interface TableCheck {
  table: string;
  /** The column whose max is compared (the identity, else the first key column). */
  key: string;
  sqlite: { rows: number; max: string | null };
  postgres: { rows: number; max: string | null };
  equal: boolean;
}

export interface MigrationReport {
  /** Every table copied, in the order copied (parents before children). */
  tables: TableCheck[];
  /** True when every table compared equal and the copy was committed. */
  committed: boolean;
  /** The attachments' files (issue #23): copied into the folder given, or already there with the same bytes. */
  files: FileCopy;
  /** What to set to start Bob on the copy. */
  env: string;
}

export interface FileCopy {
  /** Files written into the target folder (each checked: size and SHA-256 as its row says). */
  copied: number;
  /** Their bytes. */
  bytes: number;
  /** Files the target folder already held with the same bytes (left as they were). */
  present: number;
}

/** Tables of SQLite's schema that are not Bob's data: FTS5's internals (PostgreSQL indexes its own), SQLite's own, the migrations (the target records its own). */
const NOT_COPIED = [/^sqlite_/, /^chat_messages_fts(_|$)/, /^chat_messages_vocab$/, /^schema_migrations$/];

/** Rows PostgreSQL cannot hold named in the error (the rest counted). */
const MAX_REFUSED = 50;
/** PostgreSQL's bind parameters per statement. */
const MAX_PARAMS = 65535;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface Column {
  name: string;
  kind: 'boolean' | 'jsonb' | 'text' | 'other';
}

interface Plan {
  table: string;
  columns: Column[];
  /** SQLite's primary-key columns (the row's key in messages); empty: the rowid. */
  pk: string[];
  /** The column compared by max(): an identity if there is one, else the first key column. */
  key: string;
  /** The identity PostgreSQL numbers new rows with (explicit ids are given here). */
  identity: string | null;
}

/** A value as PostgreSQL's parameter, or a reason it cannot be one. */
function toParam(value: unknown, column: Column): unknown {
  if (value === null) return null;
  if (typeof value === 'bigint') {
    if (column.kind === 'boolean') {
      if (value === 0n || value === 1n) return value === 1n;
      throw new Refused(`a flag of ${value} (0 or 1 expected)`);
    }
    return value.toString();
  }
  if (typeof value === 'number') return column.kind === 'boolean' ? value !== 0 : value;
  if (typeof value !== 'string') throw new Refused('a blob where text or a number was expected');
  const text = value;
  if (column.kind === 'jsonb') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Refused('JSON that does not parse');
    }
    if (hasNul(parsed)) throw new Refused('a NUL character (\\u0000) inside JSON, which jsonb cannot hold');
    return text;
  }
  if (text.includes('\u0000')) throw new Refused('a NUL character, which PostgreSQL text cannot hold');
  return text;
}

class Refused extends Error {}

function hasNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(hasNul);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x));
  return false;
}

/** Parents before children (PostgreSQL's foreign keys), otherwise in SQLite's creation order. Refuses a cycle. */
function foreignKeyOrder(tables: string[], references: { child: string; parent: string }[]): string[] {
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of references) if (child !== parent && parents.has(child) && parents.has(parent)) parents.get(child)!.add(parent);
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < tables.length) {
    const next = tables.find((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (!next) throw new MigrationError(`The tables ${tables.filter((t) => !placed.has(t)).join(', ')} reference each other in a cycle: no order copies them.`);
    order.push(next);
    placed.add(next);
  }
  return order;
}

/** Reads the source's schema and matches it against the target's; anything not understood stops here. */
async function plan(source: Db, target: pg.ClientBase): Promise<Plan[]> {
  const names = source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid`).pluck().all() as string[];
  const tables = names.filter((n) => !NOT_COPIED.some((r) => r.test(n)));
  const { rows: pgColumns } = await target.query<{ table_name: string; column_name: string; data_type: string; is_generated: string; is_identity: string; identity_generation: string | null }>(
    `SELECT table_name, column_name, data_type, is_generated, is_identity, identity_generation FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const { rows: references } = await target.query<{ child: string; parent: string }>(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
  );
  const plans = new Map<string, Plan>();
  for (const table of tables) {
    const target = pgColumns.filter((c) => c.table_name === table);
    if (target.length === 0) {
      throw new MigrationError(`The data dir has a table "${table}" that PostgreSQL's schema does not: this migration does not know where its rows go. Nothing was copied.`);
    }
    const info = source.prepare(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string; pk: number }[];
    const columns: Column[] = info.map(({ name }) => {
      const c = target.find((x) => x.column_name === name);
      if (!c) throw new MigrationError(`The column ${table}.${name} is not in PostgreSQL's schema. Nothing was copied.`);
      if (c.is_generated === 'ALWAYS' || c.identity_generation === 'ALWAYS') throw new MigrationError(`The column ${table}.${name} is generated on PostgreSQL and cannot be copied. Nothing was copied.`);
      return { name, kind: c.data_type === 'boolean' ? 'boolean' : c.data_type === 'jsonb' || c.data_type === 'json' ? 'jsonb' : c.data_type === 'text' ? 'text' : 'other' };
    });
    // Columns only PostgreSQL has must fill themselves (insertion_seq, body_tsv).
    for (const c of target) {
      if (!info.some((i) => i.name === c.column_name) && c.is_generated !== 'ALWAYS' && c.identity_generation !== 'ALWAYS') {
        throw new MigrationError(`PostgreSQL's ${table}.${c.column_name} has no column in the data dir to copy from. Nothing was copied.`);
      }
    }
    const pk = info.filter((i) => i.pk > 0).sort((a, b) => a.pk - b.pk).map((i) => i.name);
    const identity = target.find((c) => c.identity_generation === 'BY DEFAULT')?.column_name ?? null;
    plans.set(table, { table, columns, pk, key: identity ?? pk[0] ?? columns[0]!.name, identity });
  }
  return foreignKeyOrder(tables, references).map((t) => plans.get(t)!);
}

/**
 * Inserts one table's rows, rowid order, in statements of as many rows as the parameters allow.
 * A row PostgreSQL cannot hold goes to `refused`; from the first one on, rows are only checked
 * (every such row is named at the end, nothing is committed).
 */
async function copyTable(source: Db, target: pg.ClientBase, p: Plan, refused: string[]): Promise<number> {
  const names = p.columns.map((c) => quote(c.name));
  const keyAt = p.pk.map((k) => p.columns.findIndex((c) => c.name === k));
  // The rowid rides along (last) to name rows without a primary key.
  const read = source.prepare(`SELECT ${names.join(', ')}, rowid FROM ${quote(p.table)} ORDER BY rowid`).raw(true).safeIntegers(true);
  const perStatement = Math.floor(MAX_PARAMS / p.columns.length);
  const keyOf = (row: unknown[]) => (keyAt.length ? keyAt.map((i, n) => `${p.pk[n]}=${String(row[i])}`).join(', ') : `rowid=${String(row[row.length - 1])}`);
  /** The row as parameters, or null (and the reason in `refused`). */
  const params = (row: unknown[]): unknown[] | null => {
    const out: unknown[] = [];
    for (const [i, c] of p.columns.entries()) {
      try {
        out.push(toParam(row[i], c));
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        refused.push(`${p.table} ${keyOf(row)}: column ${c.name} has ${error.message}`);
        return null;
      }
    }
    return out;
  };
  const insert = async (rows: unknown[][], values: unknown[][]) => {
    const marks = values.map((v, r) => `(${v.map((_, i) => `$${r * v.length + i + 1}`).join(', ')})`);
    await target.query('SAVEPOINT batch');
    try {
      await target.query(`INSERT INTO ${quote(p.table)} (${names.join(', ')}) VALUES ${marks.join(', ')}`, values.flat());
      await target.query('RELEASE SAVEPOINT batch');
    } catch (error) {
      await target.query('ROLLBACK TO SAVEPOINT batch');
      throw await refusedRow(target, p, rows, values, keyOf, error as Error);
    }
  };
  let rows: unknown[][] = [];
  let values: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (values.length && refused.length === 0) await insert(rows, values);
    copied += values.length;
    rows = [];
    values = [];
  };
  for (const row of read.iterate() as IterableIterator<unknown[]>) {
    const v = params(row);
    if (!v) continue;
    rows.push(row);
    values.push(v);
    if (values.length === perStatement) await flush();
  }
  await flush();
  return copied;
}

/** A statement failed: the row it failed on, found by inserting the batch's rows one at a time (then undone). */
async function refusedRow(target: pg.ClientBase, p: Plan, rows: unknown[][], values: unknown[][], keyOf: (row: unknown[]) => string, error: Error): Promise<MigrationError> {
  const names = p.columns.map((c) => quote(c.name)).join(', ');
  const marks = p.columns.map((_, i) => `$${i + 1}`).join(', ');
  for (const [n, row] of rows.entries()) {
    await target.query('SAVEPOINT one');
    try {
      await target.query(`INSERT INTO ${quote(p.table)} (${names}) VALUES (${marks})`, values[n]);
      await target.query('RELEASE SAVEPOINT one');
    } catch (rowError) {
      await target.query('ROLLBACK TO SAVEPOINT one');
      const e = rowError as pg.DatabaseError;
      const column = e.column ? ` (column ${e.column})` : '';
      return new MigrationError(`PostgreSQL refused the row of ${p.table} with ${keyOf(row)}${column}: ${e.message}. Nothing was copied.`);
    }
  }
  return new MigrationError(`PostgreSQL refused rows of ${p.table}: ${error.message}. Nothing was copied.`);
}

/** count(*) and max(key) of every table on both sides. */
async function verify(source: Db, target: pg.ClientBase, plans: Plan[]): Promise<TableCheck[]> {
  const checks: TableCheck[] = [];
  for (const p of plans) {
    const s = source.prepare(`SELECT count(*) AS n, CAST(max(${quote(p.key)}) AS TEXT) AS max FROM ${quote(p.table)}`).get() as { n: number; max: string | null };
    const t = (await target.query<{ n: string; max: string | null }>(`SELECT count(*)::text AS n, max(${quote(p.key)})::text AS max FROM ${quote(p.table)}`)).rows[0]!;
    const postgres = { rows: Number(t.n), max: t.max };
    const sqlite = { rows: s.n, max: s.max };
    checks.push({ table: p.table, key: p.key, sqlite, postgres, equal: sqlite.rows === postgres.rows && sqlite.max === postgres.max });
  }
  return checks;
}

/** A row of the attachments table: where its file is and what it must hold. */
interface AttachmentRow {
  tenant_id: string;
  id: string;
  size: number;
  sha256: string;
}

/** The attachments' rows of the source's snapshot (none when the data dir predates the table). */
function attachmentRows(source: Db): AttachmentRow[] {
  const has = source.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'attachments'`).pluck().get() as number;
  return has ? (source.prepare('SELECT tenant_id, id, size, sha256 FROM attachments ORDER BY created_at, id').all() as AttachmentRow[]) : [];
}

/** The size of the file at `file`, or null when there is no file there. */
function sizeOf(file: string): number | null {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

/**
 * Before anything is written anywhere: every row's file is in the source folder with its row's
 * size, and the target folder holds either nothing under its name or the same bytes. Returns the
 * rows whose file still has to be copied.
 */
async function checkFiles(rows: AttachmentRow[], source: FileStore, target: FileStore, sourceDir: string, targetDir: string): Promise<AttachmentRow[]> {
  const toCopy: AttachmentRow[] = [];
  for (const r of rows) {
    let from: string;
    let to: string;
    try {
      from = source.pathOf(r.tenant_id, r.id);
      to = target.pathOf(r.tenant_id, r.id);
    } catch {
      throw new MigrationError(`The attachment ${r.id} (business ${r.tenant_id}) has an id that is not a file name. Nothing was copied.`);
    }
    const size = sizeOf(from);
    if (size === null) {
      throw new MigrationError(`The file of attachment ${r.id} (business ${r.tenant_id}) is missing from ${sourceDir} (${from}): put it back, or delete its conversation on the desktop, and run again. Nothing was copied.`);
    }
    if (size !== Number(r.size)) {
      throw new MigrationError(`The file of attachment ${r.id} (${from}) has ${size} bytes, its row says ${r.size}: the file is damaged. Nothing was copied.`);
    }
    if (!fs.existsSync(to)) {
      toCopy.push(r);
    } else if (sizeOf(to) !== Number(r.size) || (await sha256Of(to)) !== r.sha256) {
      throw new MigrationError(`${targetDir} already holds a different file for attachment ${r.id} (${to}): --files must be the server's own folder, without another Bob's files of the same name. Nothing was copied.`);
    }
  }
  return toCopy;
}

/**
 * Copies the files of `rows` through the file stores (the target's written whole, 0600), each
 * checked on the target's disk against its row's size and SHA-256. `written` collects each file as
 * it is written, for the caller to remove if the run does not commit.
 */
async function copyFiles(rows: AttachmentRow[], source: FileStore, target: FileStore, written: AttachmentRow[]): Promise<number> {
  let bytes = 0;
  for (const r of rows) {
    const data = await source.read(r.tenant_id, r.id);
    written.push(r);
    await target.write(r.tenant_id, r.id, data);
    const copy = target.pathOf(r.tenant_id, r.id);
    if (sizeOf(copy) !== Number(r.size) || (await sha256Of(copy)) !== r.sha256) {
      throw new MigrationError(`The copy of attachment ${r.id} (${copy}) does not match its row's size and SHA-256 (the source file ${source.pathOf(r.tenant_id, r.id)} differs from what was stored, or the copy failed). Nothing was copied.`);
    }
    bytes += data.length;
  }
  return bytes;
}

/** The folders writing `rows` into `targetDir` will make (the folder itself, then a folder per business), outermost first. */
function foldersToMake(rows: AttachmentRow[], target: FileStore, targetDir: string): string[] {
  const dirs = [targetDir, ...new Set(rows.map((r) => path.dirname(target.pathOf(r.tenant_id, r.id))))];
  return dirs.filter((d) => !fs.existsSync(d));
}

/** Removes the files a run wrote, then the folders it made, if they are empty. */
async function removeFiles(written: AttachmentRow[], target: FileStore, made: string[]): Promise<void> {
  for (const r of written) await target.remove(r.tenant_id, [r.id]).catch(() => undefined);
  for (const dir of [...made].reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // Not empty (or already gone): it stays.
    }
  }
}

/** The checks as a text table, one line per table. */
export function formatChecks(checks: TableCheck[]): string[] {
  const rows = [
    ['table', 'sqlite rows', 'postgres rows', 'key', 'sqlite max', 'postgres max', ''],
    ...checks.map((c) => [c.table, String(c.sqlite.rows), String(c.postgres.rows), c.key, c.sqlite.max ?? '-', c.postgres.max ?? '-', c.equal ? 'ok' : 'DIFFERENT']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => Math.min(r[i]!.length, 40))));
  const cut = (s: string) => (s.length > 40 ? s.slice(0, 39) + '…' : s);
  return rows.map((r) => r.map((v, i) => cut(v).padEnd(widths[i]!)).join('  ').trimEnd());
}

/**
 * Copies the data dir `from` (its bob.sqlite, read in one transaction: a consistent snapshot even
 * while Bob runs on it) into the PostgreSQL database at `to`, which must be empty: migrated first,
 * then every table in foreign-key order in one transaction, ids kept, each identity moved past the
 * ids copied, ANALYZE, and count(*) and max(key) compared table by table. Commits only when every
 * table is equal (`committed`); otherwise rolls back and the report says where they differ.
 *
 * The files sent in conversations (issue #23, `<from>/attachments`) go into `files` (the server
 * mode's shared BOB_ATTACHMENTS_DIR), required when the data dir has any: every row's file checked
 * before anything is written (there, of its row's size; not in `files` already with other bytes),
 * then copied and checked (size and SHA-256, as the row says) after the tables compared equal and
 * before the commit. A run that does not commit removes the files it wrote.
 */
export async function migrateToPostgres(opts: { from: string; to: string; files?: string; log?: (line: string) => void }): Promise<MigrationReport> {
  const log = opts.log ?? (() => undefined);
  const file = path.join(opts.from, DATABASE_FILE);
  if (!fs.existsSync(file)) throw new MigrationError(`${file} does not exist: --from must be Bob's data dir (the folder holding ${DATABASE_FILE}).`);
  const source = openReadOnly(opts.from);
  try {
    source.exec('BEGIN');
    const hasMigrations = source.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).pluck().get() as number;
    const version = hasMigrations ? (source.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) : null;
    const current = latestSchemaVersion();
    if (version !== current) {
      throw new MigrationError(
        version !== null && version > current
          ? `${file} has schema version ${version}, newer than this Bob's (${current}): run the migration with the Bob that last used this data dir.`
          : `${file} has schema version ${version ?? 'none'}, not the current ${current}: start Bob once on this data dir to bring it up to date, stop it, and run the migration again.`,
      );
    }
    log(`Reading ${file} (schema version ${version}).`);

    // The files sent in conversations: every one checked before anything is written anywhere.
    const attached = attachmentRows(source);
    const sourceDir = path.join(opts.from, 'attachments');
    if (attached.length && !opts.files) {
      throw new MigrationError(
        `The data dir holds ${attached.length} file(s) sent in conversations (${sourceDir}): pass --files <folder>, the folder the server's instances share as BOB_ATTACHMENTS_DIR, and they are copied there. Nothing was copied.`,
      );
    }
    const filesDir = opts.files ? path.resolve(opts.files) : null;
    const sourceStore = createFileStore(sourceDir);
    const targetStore = filesDir ? createFileStore(filesDir) : null;
    const toCopy = targetStore ? await checkFiles(attached, sourceStore, targetStore, sourceDir, filesDir!) : [];
    const files: FileCopy = { copied: 0, bytes: 0, present: attached.length - toCopy.length };

    const target = new pg.Client({ connectionString: opts.to, application_name: 'bob-migrate-to-postgres' });
    try {
      await target.connect();
    } catch (error) {
      throw new MigrationError(`Cannot connect to the PostgreSQL database: ${(error as Error).message}`);
    }
    try {
      const applied = await migratePostgres(target);
      log(applied.length ? `PostgreSQL schema created (versions ${applied.join(', ')}).` : 'PostgreSQL schema already current.');
      const tenants = Number((await target.query<{ n: string }>('SELECT count(*)::text AS n FROM tenants')).rows[0]!.n);
      if (tenants > 0) throw new MigrationError(`The target database must be empty: it already holds ${tenants} tenant(s). Create a new database for the copy.`);
      const plans = await plan(source, target);

      await target.query('BEGIN');
      let committed = false;
      /** The files this run wrote and the folders it made: removed unless it commits. */
      const written: AttachmentRow[] = [];
      let made: string[] = [];
      try {
        const refused: string[] = [];
        for (const p of plans) {
          const started = Date.now();
          const n = await copyTable(source, target, p, refused);
          if (refused.length === 0) log(`  ${p.table}: ${n} row(s) in ${Date.now() - started} ms`);
        }
        if (refused.length) {
          const shown = refused.slice(0, MAX_REFUSED).map((r) => `  ${r}`);
          if (refused.length > MAX_REFUSED) shown.push(`  … and ${refused.length - MAX_REFUSED} more`);
          throw new MigrationError(
            `PostgreSQL cannot hold ${refused.length} row(s) of the data dir; nothing was copied. Fix them on SQLite (or delete them) and run again:\n${shown.join('\n')}`,
          );
        }
        // Identities continue after the ids copied, and after ids SQLite handed out and deleted (AUTOINCREMENT never reuses one).
        const sequences = new Map(
          (source.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'`).pluck().get() as number)
            ? (source.prepare('SELECT name, seq FROM sqlite_sequence').all() as { name: string; seq: number }[]).map((r) => [r.name, r.seq])
            : [],
        );
        for (const p of plans.filter((x) => x.identity)) {
          const max = (await target.query<{ max: string | null }>(`SELECT max(${quote(p.identity!)})::text AS max FROM ${quote(p.table)}`)).rows[0]!.max;
          const next = Math.max(max === null ? 0 : Number(max), sequences.get(p.table) ?? 0);
          if (next > 0) await target.query('SELECT setval(pg_get_serial_sequence($1, $2), $3)', [p.table, p.identity, next]);
        }
        await target.query('ANALYZE');
        const checks = await verify(source, target, plans);
        for (const line of formatChecks(checks)) log(line);
        if (checks.every((c) => c.equal)) {
          if (targetStore) {
            // Before the commit: a file that cannot be copied leaves the database empty.
            made = foldersToMake(toCopy, targetStore, filesDir!);
            files.bytes = await copyFiles(toCopy, sourceStore, targetStore, written);
            files.copied = toCopy.length;
            const present = files.present ? `, ${files.present} already there with the same bytes` : '';
            log(`Files sent in conversations: ${files.copied} copied (${files.bytes} bytes) into ${filesDir} and checked${present}.`);
          }
          await target.query('COMMIT');
          committed = true;
          log('Copied and checked: committed.');
        } else {
          log('The copy differs from the data dir: rolled back, the target database is left empty.');
        }
        const env = `BOB_DATABASE_URL=${opts.to}${filesDir ? ` BOB_ATTACHMENTS_DIR=${filesDir}` : ''}`;
        return { tables: checks, committed, files, env };
      } finally {
        if (!committed) {
          await target.query('ROLLBACK').catch(() => undefined);
          if (targetStore) await removeFiles(written, targetStore, made);
        }
      }
    } finally {
      await target.end();
    }
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
  }
}
