// `npm run migrate-to-postgres` (issue #21): a desktop data dir, filled through the API of a real
// SQLite server, copied into an empty PostgreSQL database on a throwaway cluster; every row arrives,
// search finds the copied messages, and a database that is not empty is refused. The files sent in
// conversations (issue #23) go into the server mode's shared folder (--files), each checked, and a
// server on the copy serves them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, openReadOnly } from '../../src/server/db/client';
import { migrate, MIGRATIONS_DIR } from '../../src/server/db/migrate';
import { migrateToPostgres, MigrationError, type MigrationReport } from '../../src/server/db/migrate-to-postgres';
import { postgresStorage, type PostgresStorage } from '../../src/server/storage/pg/postgres';
import { sqliteStorage } from '../../src/server/storage/sqlite';
import type { Database, ServerModeDatabase } from '../../src/server/storage/schema';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { PDF, png } from '../helpers/files';
import { usePgCluster } from '../helpers/pg-cluster';
import { everyRow, pgRowCounts, pgTableCount } from '../helpers/raw-sql';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer } from '../helpers/server';

const ROOT = path.resolve(__dirname, '../..');
const ORIGIN = 'http://localhost:3000';
/** Every table of Bob's data (PLAN-21 §6). */
const TABLES = [
  'tenants', 'users', 'auth_tokens', 'user_invites', 'personas', 'persona_versions', 'widget_keys', 'pricebook_versions',
  'catalog_versions', 'audit_log', 'chat_sessions', 'chat_messages', 'unanswered_questions', 'faq_entries',
  'knowledge_documents', 'knowledge_passages', 'answer_tests', 'answer_test_runs', 'credit_usage', 'events',
  'webhook_endpoints', 'webhook_deliveries', 'webhook_attempts', 'app_settings', 'visitor_consents', 'retention_runs', 'attachments', 'csat_ratings', 'visitor_profiles',
  'callback_requests', 'callback_offers', 'tenant_email_settings', 'canned_responses', 'chat_labels', 'chat_session_labels',
];
/** Columns only PostgreSQL has (they fill themselves). */
const PG_ONLY = new Set(['insertion_seq', 'body_tsv']);

type Pg = ServerModeDatabase & { chat_messages: ServerModeDatabase['chat_messages'] & { body_tsv: string } };

const cluster = usePgCluster();
let dataDir: string;
let made = 0;

/** A new empty database that sorts byte-wise, as Bob needs. */
async function createDatabase(): Promise<string> {
  const name = `bob_migrated_${++made}`;
  const c = new pg.Client({ connectionString: cluster().url });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
  } finally {
    await c.end();
  }
  return cluster().url.replace(/\/postgres$/, `/${name}`);
}

/** The npm script, as a user runs it (BOB_ATTACHMENTS_DIR only when `env` sets it). */
const cliIn = (env: Record<string, string>, ...args: string[]) => {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'BOB_ATTACHMENTS_DIR'));
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'migrate-to-postgres.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...base, ...env } });
};
const cli = (...args: string[]) => cliIn({}, ...args);

/** The businesses in the database at `url`; null when it has no schema at all. */
const tenantsIn = async (url: string): Promise<number | null> => ((await pgTableCount(url)) === 0 ? null : (await pgRowCounts(url, ['tenants'])).tenants!);

/** Every file under `dir`, relative, sorted ([] when `dir` does not exist). */
const filesUnder = (dir: string) => (fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort() : []);

/** A value as compared: JSON text parsed (jsonb orders keys its own way and drops spaces). */
function normal(v: unknown): unknown {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}
const normalRows = (rows: Record<string, unknown>[]) =>
  rows
    .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !PG_ONLY.has(k)).map(([k, v]) => [k, normal(v)])))
    .sort((a, b) => {
      const key = (r: Record<string, unknown>) => JSON.stringify(Object.values(r).filter((v) => typeof v !== 'object' || v === null));
      return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    });

beforeAll(async () => {
  // A desktop data dir with something in every part Bob stores: chats from a customer's site,
  // a webhook endpoint whose deliveries fail (nothing listens), an FAQ entry, a catalog draft, the audit trail.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-migrate-'));
  const server = await startTestServer({ dataDir, database: 'sqlite', env: { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms', BOB_WEBHOOK_TIMEOUT: '1s' } });
  try {
    const owner = await login(server, DEMO_OWNER);
    await login(server, DEMO_ADMIN);
    const hook = await server.send('POST', '/api/webhooks', { url: 'http://127.0.0.1:9/in', description: 'CRM' }, owner.bearer);
    expect(hook.status, await hook.clone().text()).toBe(201);
    const endpoint = (await hook.json()) as { id: string };
    const key = await demoKey(server);
    for (const message of ['Do you ship to Zanzibar?', 'Perché il negozio è chiuso?', 'I want to talk to a human']) {
      expect((await widgetChat(server, key, ORIGIN, { session_id: sid(), message })).status).toBe(200);
    }
    expect((await server.send('POST', '/api/faq', { question: 'Do you offer parking?', answer: 'Yes, behind the building.' }, owner.bearer)).status).toBe(201);
    expect((await server.send('POST', '/api/catalog/versions', {}, owner.bearer)).status).toBe(201);
    // A delivery tried until it gave up (the endpoint then holds the rest back), so attempts are stored too.
    await eventually(async () => {
      const list = ((await (await server.fetch(`/api/webhooks/${endpoint.id}/deliveries?limit=200`, { headers: owner.bearer })).json()) as { data: { status: string }[] }).data;
      return list.length > 1 && list.some((d) => d.status === 'failed');
    }, 20_000, 'a webhook delivery that failed');
  } finally {
    await server.close();
  }
}, 60_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm run migrate-to-postgres', () => {
  let url: string;
  let report: MigrationReport;
  let target: PostgresStorage;
  const lines: string[] = [];
  beforeAll(async () => {
    url = await createDatabase();
    report = await migrateToPostgres({ from: dataDir, to: url, log: (l) => lines.push(l) });
    target = postgresStorage(url, { size: 2 });
  }, 60_000);
  afterAll(() => target?.close());

  it('copies every table, checks counts and keys on both sides, and commits', async () => {
    expect(report.committed).toBe(true);
    // In an order the foreign keys accept (they are checked as each row goes in).
    expect(report.tables.map((t) => t.table).sort()).toEqual([...TABLES].sort());
    expect(report.tables.filter((t) => !t.equal)).toEqual([]);
    for (const t of ['tenants', 'users', 'chat_sessions', 'chat_messages', 'events', 'audit_log', 'faq_entries', 'catalog_versions', 'webhook_endpoints', 'webhook_deliveries', 'webhook_attempts']) {
      expect(report.tables.find((c) => c.table === t)!.postgres.rows, t).toBeGreaterThan(0);
    }
    expect(report.env).toBe(`BOB_DATABASE_URL=${url}`);
    expect(lines.some((l) => /^webhook_attempts\s+\d+\s+\d+\s+id\s+\d+\s+\d+\s+ok$/.test(l))).toBe(true);
  });

  it('gives every row as it was on SQLite, in the same insertion order', async () => {
    const source = openReadOnly(dataDir);
    const rows = await everyRow(sqliteStorage(source));
    source.close();
    const db = target.storage as unknown as Kysely<Record<string, Record<string, unknown>>>;
    for (const table of TABLES) {
      const copied = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
      expect(copied.length, table).toBe(rows[table]!.length);
      expect(normalRows(copied), table).toEqual(normalRows(rows[table]!));
    }
    // insertion_seq follows SQLite's rowid order.
    const sessions = await target.storage.selectFrom('chat_sessions').select('id').orderBy('insertion_seq' as never).execute();
    expect(sessions.map((s) => s.id)).toEqual(rows.chat_sessions!.map((s) => s.id));
  });

  it('fills the full-text index, and continues every identity after the copied ids', async () => {
    const db = target.storage as unknown as Kysely<Pg>;
    const found = await db
      .selectFrom('chat_messages')
      .select('body')
      .where((eb) => eb('body_tsv', '@@', eb.fn<string>('to_tsquery', [eb.val('simple'), eb.val('zanzibar')])))
      .execute();
    expect(found.map((m) => m.body)).toEqual(['Do you ship to Zanzibar?']);
    const maxEvent = report.tables.find((t) => t.table === 'events')!.postgres.max;
    const next = await (target.storage as Kysely<Database>)
      .insertInto('events')
      .values({ tenant_id: (await target.storage.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id, type: 'test', session_id: null, data: '{}', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(next.id).toBe(Number(maxEvent) + 1);
  });

  it('refuses a target that is not empty', async () => {
    await expect(migrateToPostgres({ from: dataDir, to: url })).rejects.toThrow(MigrationError);
    await expect(migrateToPostgres({ from: dataDir, to: url })).rejects.toThrow(/must be empty/);
  });
});

describe('rows PostgreSQL cannot hold', () => {
  it('stop the copy, naming the table, the row and the column', async () => {
    const nulDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-nul-'));
    try {
      const server = await startTestServer({ dataDir: nulDir, database: 'sqlite' });
      const owner = await login(server, DEMO_OWNER);
      const faq = await server.send('POST', '/api/faq', { question: 'Opening hours?', answer: 'Nine\u0000to five' }, owner.bearer);
      expect(faq.status, await faq.clone().text()).toBe(201);
      const { id } = (await faq.json()) as { id: string };
      await server.close();
      const url = await createDatabase();
      const error = (await migrateToPostgres({ from: nulDir, to: url }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(MigrationError);
      // Every such row is named: the entry itself, and its audit record's JSON.
      expect(error.message).toMatch(/^PostgreSQL cannot hold 2 row\(s\) of the data dir; nothing was copied\./);
      expect(error.message).toMatch(/\n {2}audit_log id=[\w-]+: column after has a NUL character \(\\u0000\) inside JSON, which jsonb cannot hold/);
      expect(error.message).toContain(`\n  faq_entries id=${id}: column answer has a NUL character, which PostgreSQL text cannot hold`);
      // Nothing was committed: the same database takes a clean copy afterwards.
      await expect(migrateToPostgres({ from: dataDir, to: url })).resolves.toMatchObject({ committed: true });
    } finally {
      fs.rmSync(nulDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a data dir an older Bob wrote', () => {
  it('is refused, with what to do', async () => {
    // A data dir migrated to the version before the current one (the last migration file left out).
    const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-.*\.sql$/.test(f)).sort();
    const older = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-migrations-'));
    const oldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-old-'));
    try {
      for (const f of files.slice(0, -1)) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(older, f));
      const db = openDatabase(oldDir);
      migrate(db, older);
      closeDatabase(db);
      const url = await createDatabase();
      await expect(migrateToPostgres({ from: oldDir, to: url })).rejects.toThrow(/not the current \d+: start Bob once on this data dir/);
    } finally {
      fs.rmSync(older, { recursive: true, force: true });
      fs.rmSync(oldDir, { recursive: true, force: true });
    }
  });
});

describe('the command line', () => {
  it('copies into an empty database and prints the setting to start Bob with', async () => {
    const url = await createDatabase();
    const r = cli('--from', dataDir, '--to', url);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('committed');
    expect(r.stdout).toContain(`BOB_DATABASE_URL=${url}`);
    const again = cli(`--from=${dataDir}`, `--to=${url}`);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('The target database must be empty');
  }, 60_000);

  it('refuses missing, unknown and wrong arguments with a message', () => {
    const cases: [string[], RegExp][] = [
      [[], /Missing --from/],
      [['--from', dataDir], /Missing --to/],
      [['--from', dataDir, '--to'], /--to needs a value/],
      [['--from', dataDir, '--to', 'mysql://x/y'], /--to must be a postgres:\/\/ or postgresql:\/\/ URL/],
      [['--from', dataDir, '--to', 'postgres://x/y', '--force'], /Unknown argument: --force/],
      [['--from', dataDir, '--to', 'postgres://x/y', '--files'], /--files needs a value/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Usage: npm run migrate-to-postgres');
    }
    const notADataDir = cli('--from', path.join(dataDir, 'nothing-here'), '--to', 'postgres://bob@127.0.0.1:1/x');
    expect(notADataDir.status).toBe(1);
    expect(notADataDir.stderr).toMatch(/bob\.sqlite does not exist: --from must be Bob's data dir/);
  }, 60_000);
});

describe('the files sent in conversations', () => {
  /** A data dir with a conversation carrying an image and a PDF, sent through the widget's API. */
  let filesDir: string;
  /** Each file's id and the bytes the desktop served for it (the image as stored: its metadata stripped). */
  let sent: { id: string; name: string; bytes: Buffer }[];
  const tmp: string[] = [];
  const temp = (what: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bob-${what}-`));
    tmp.push(dir);
    return dir;
  };
  const sourceFile = (id: string) => path.join(filesDir, 'attachments', filesUnder(path.join(filesDir, 'attachments')).find((f) => f.endsWith(id))!);

  beforeAll(async () => {
    filesDir = temp('migrate-files');
    const server = await startTestServer({ dataDir: filesDir, database: 'sqlite' });
    try {
      const owner = await login(server, DEMO_OWNER);
      const key = await demoKey(server);
      const session = sid();
      expect((await widgetChat(server, key, ORIGIN, { session_id: session, message: 'Here are the photo and the invoice' })).status).toBe(200);
      sent = [];
      for (const [data, name] of [[png(3, 2, [0, 128, 255], 'a comment'), 'photo.png'], [PDF, 'invoice.pdf']] as const) {
        const body = new FormData();
        body.append('file', new Blob([new Uint8Array(data)]), name);
        const up = await server.fetch(`/api/widget/attachments?session_id=${session}`, { method: 'POST', headers: { 'X-Widget-Key': key, Origin: ORIGIN }, body });
        expect(up.status, await up.clone().text()).toBe(201);
        const { id } = ((await up.json()) as { message: { attachments: { id: string }[] } }).message.attachments[0]!;
        const served = await server.fetch(`/api/attachments/${id}`, { headers: owner.bearer });
        expect(served.status).toBe(200);
        sent.push({ id, name, bytes: Buffer.from(await served.arrayBuffer()) });
      }
    } finally {
      await server.close();
    }
  }, 60_000);
  afterAll(() => {
    for (const dir of tmp) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are copied into --files and checked; a server on the copy with BOB_ATTACHMENTS_DIR there serves the same bytes', async () => {
    const url = await createDatabase();
    const shared = path.join(temp('shared'), 'attachments');
    const lines: string[] = [];
    const report = await migrateToPostgres({ from: filesDir, to: url, files: shared, log: (l) => lines.push(l) });
    expect(report.committed).toBe(true);
    const bytes = sent.reduce((n, f) => n + f.bytes.length, 0);
    expect(report.files).toEqual({ copied: 2, bytes, present: 0 });
    expect(lines).toContain(`Files sent in conversations: 2 copied (${bytes} bytes) into ${shared} and checked.`);
    expect(report.env).toBe(`BOB_DATABASE_URL=${url} BOB_ATTACHMENTS_DIR=${shared}`);
    // Laid out as the file store lays them out: <business>/<attachment id>.
    expect(filesUnder(shared)).toEqual(filesUnder(path.join(filesDir, 'attachments')));

    const server = await startTestServer({ env: { BOB_DATABASE_URL: url, BOB_ATTACHMENTS_DIR: shared } });
    try {
      const owner = await login(server, DEMO_OWNER);
      for (const f of sent) {
        const res = await server.fetch(`/api/attachments/${f.id}`, { headers: owner.bearer });
        expect(res.status, f.name).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(f.bytes), f.name).toBe(true);
      }
    } finally {
      await server.close();
    }

    // Run again into another empty database with the same folder: the same bytes are already there, and kept.
    const again = await migrateToPostgres({ from: filesDir, to: await createDatabase(), files: shared });
    expect(again).toMatchObject({ committed: true, files: { copied: 0, bytes: 0, present: 2 } });
  }, 60_000);

  it('a file of the target folder with the same name and other bytes is refused before anything is written', async () => {
    const url = await createDatabase();
    const shared = temp('shared');
    fs.cpSync(path.join(filesDir, 'attachments'), shared, { recursive: true });
    const pdf = sent.find((f) => f.name === 'invoice.pdf')!;
    const other = path.join(shared, path.relative(path.join(filesDir, 'attachments'), sourceFile(pdf.id)));
    fs.writeFileSync(other, Buffer.alloc(pdf.bytes.length, 0x41));
    await expect(migrateToPostgres({ from: filesDir, to: url, files: shared })).rejects.toThrow(new RegExp(`already holds a different file for attachment ${pdf.id}`));
    expect(await tenantsIn(url)).toBeNull();
    expect(fs.readFileSync(other).equals(Buffer.alloc(pdf.bytes.length, 0x41))).toBe(true);
  });

  it('a file missing from the data dir is refused, naming it; the database stays empty and nothing is written', async () => {
    const broken = temp('broken');
    fs.cpSync(filesDir, broken, { recursive: true });
    const pdf = sent.find((f) => f.name === 'invoice.pdf')!;
    fs.rmSync(path.join(broken, path.relative(filesDir, sourceFile(pdf.id))));
    const url = await createDatabase();
    const shared = path.join(temp('shared'), 'attachments');
    const error = (await migrateToPostgres({ from: broken, to: url, files: shared }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toMatch(new RegExp(`^The file of attachment ${pdf.id} \\(business [\\w-]+\\) is missing from ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(await tenantsIn(url)).toBeNull();
    expect(fs.existsSync(shared)).toBe(false);
  });

  it('a copy that does not match its row rolls everything back: the database empty, the files written removed', async () => {
    // The PDF (copied last) damaged on the desktop, its size unchanged: found only by the copy's SHA-256.
    const damaged = temp('damaged');
    fs.cpSync(filesDir, damaged, { recursive: true });
    const pdf = sent.find((f) => f.name === 'invoice.pdf')!;
    fs.writeFileSync(path.join(damaged, path.relative(filesDir, sourceFile(pdf.id))), Buffer.alloc(pdf.bytes.length, 0x42));
    const url = await createDatabase();
    const shared = path.join(temp('shared'), 'attachments');
    await expect(migrateToPostgres({ from: damaged, to: url, files: shared })).rejects.toThrow(new RegExp(`The copy of attachment ${pdf.id} .* does not match its row's size and SHA-256`));
    expect(await tenantsIn(url)).toBe(0);
    expect(fs.existsSync(shared)).toBe(false);
    // Nothing was committed: the same database and folder take a clean copy afterwards.
    await expect(migrateToPostgres({ from: filesDir, to: url, files: shared })).resolves.toMatchObject({ committed: true, files: { copied: 2 } });
  }, 60_000);

  it('without --files (nor BOB_ATTACHMENTS_DIR) is refused, saying to pass --files; with BOB_ATTACHMENTS_DIR set, copied there', async () => {
    const url = await createDatabase();
    const r = cli('--from', filesDir, '--to', url);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/holds 2 file\(s\) sent in conversations .*: pass --files <folder>/);
    expect(await tenantsIn(url)).toBeNull();

    const shared = temp('shared');
    const ok = cliIn({ BOB_ATTACHMENTS_DIR: shared }, '--from', filesDir, '--to', url);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Files sent in conversations: 2 copied \(\d+ bytes\)/);
    expect(ok.stdout).toContain(`BOB_DATABASE_URL=${url} BOB_ATTACHMENTS_DIR=${shared}`);
    expect(filesUnder(shared)).toEqual(filesUnder(path.join(filesDir, 'attachments')));
  }, 60_000);
});
