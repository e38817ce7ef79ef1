import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBackupHolds, runServerTool } from '../helpers/backup';
import { chatWhile, demoKey, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { backup, BackupError, countDataDir, restore, type BackupManifest } from '../../src/server/db/backup';
import { closeDatabase, openDatabase } from '../../src/server/db/client';
import { migrate, migrationFiles, MIGRATIONS_DIR } from '../../src/server/db/migrate';
import { seedDemoData } from '../../src/server/modules/demo/demo.seed';
import { sqliteDialect } from '../../src/server/storage/dialect';
import { sqliteStorage } from '../../src/server/storage/sqlite';

// Backups of the desktop mode's SQLite data dir, on SQLite whatever the run (BOB_TEST_DB=postgres too).

const made: string[] = [];
const servers: TestServer[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-backup-'));
  made.push(dir);
  return dir;
};
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const start = async (dataDir?: string) => {
  // Each visitor writes from an address of its own (the per-network chat limit is 60 a minute).
  const s = await startTestServer({ database: 'sqlite', dataDir, env: { BOB_TRUST_PROXY: '1' } });
  servers.push(s);
  return s;
};

/** A data dir with a few conversations, and a backup of it. */
async function backedUp(): Promise<{ file: string; manifest: BackupManifest }> {
  const server = await start();
  const key = await demoKey(server);
  for (let i = 0; i < 3; i++) {
    const r = await server.send('POST', '/api/widget/chat', { session_id: sid(), message: `Hello ${i}` }, { 'X-Widget-Key': key, Origin: 'http://localhost:5173' });
    expect(r.status).toBe(200);
  }
  const file = path.join(tempDir(), 'bob.backup');
  const manifest = await backup({ from: server.dataDir, to: file });
  return { file, manifest };
}

describe('npm run backup and npm run restore', () => {
  it('back up a Bob while 20 visitors chat, and restore it into a new data dir with every message acknowledged before', async () => {
    const server = await start();
    // The backup in a process of its own, as `npm run backup` runs beside a serving Bob.
    const file = path.join(tempDir(), 'bob.backup');
    let made = { code: null as number | null, output: '' };
    const run = await chatWhile(server, async () => {
      made = await runServerTool(['backup', '--from', server.dataDir, '--to', file]);
    });
    expect(made.code, made.output).toBe(0);
    expect(made.output).toMatch(/Backed up .* to .*bob\.backup/);

    const dataDir = path.join(tempDir(), 'restored');
    const report = await restore({ from: file, to: dataDir });
    expect(report.migrated).toEqual([]);
    const restored = await start(dataDir);
    // Counted while the restored Bob runs: its start adds no rows to the tables the backup holds.
    expect(countDataDir(dataDir)).toEqual(report.manifest.tables);
    expect(report.manifest.tables.chat_messages).toBeGreaterThan(40);

    expectBackupHolds(run, new Set((await records(restored).messages()).map((m) => m.body)));
  }, 60_000);

  it('carries the files sent in conversations, each checked, into the restored data dir', async () => {
    const server = await start();
    const key = await demoKey(server);
    const session_id = sid();
    const headers = { 'X-Widget-Key': key, Origin: 'http://localhost:5173' };
    expect((await server.send('POST', '/api/widget/chat', { session_id, message: 'Here is my invoice' }, headers)).status).toBe(200);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'invoice.pdf');
    const up = await server.fetch(`/api/widget/attachments?session_id=${session_id}`, { method: 'POST', headers, body });
    expect(up.status).toBe(201);
    const file = path.join(tempDir(), 'bob.backup');
    const manifest = await backup({ from: server.dataDir, to: file });
    expect(manifest.files).toEqual([{ path: expect.stringMatching(/^[0-9a-f-]+\/[0-9a-f-]+$/), bytes: pdf.length, sha256: expect.any(String) }]);

    const dataDir = path.join(tempDir(), 'restored');
    await restore({ from: file, to: dataDir });
    expect(fs.readFileSync(path.join(dataDir, 'attachments', ...manifest.files![0]!.path.split('/')))).toEqual(pdf);

    // A file whose bytes do not match its checksum: refused, nothing in the data dir.
    const raw = zlib.gunzipSync(fs.readFileSync(file));
    raw[raw.length - 5] = raw[raw.length - 5]! ^ 0xff;
    const bad = path.join(tempDir(), 'bad.backup');
    fs.writeFileSync(bad, zlib.gzipSync(raw));
    const other = path.join(tempDir(), 'other');
    await expect(restore({ from: bad, to: other })).rejects.toThrow(/damaged: its contents do not match/);
    expect(fs.existsSync(path.join(other, 'bob.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(other, 'attachments'))).toBe(false);
  }, 60_000);

  it('refuses a corrupted or truncated backup with a clear error and leaves no database behind', async () => {
    const { file } = await backedUp();
    const bytes = fs.readFileSync(file);

    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    const corrupted = path.join(tempDir(), 'corrupted.backup');
    fs.writeFileSync(corrupted, flipped);
    const truncated = path.join(tempDir(), 'truncated.backup');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.7)));

    for (const bad of [corrupted, truncated]) {
      const dataDir = path.join(tempDir(), 'target');
      const refused = restore({ from: bad, to: dataDir });
      await expect(refused).rejects.toThrow(BackupError);
      await expect(refused).rejects.toThrow(/damaged|incomplete/);
      expect(fs.existsSync(path.join(dataDir, 'bob.sqlite'))).toBe(false);
      expect(fs.readdirSync(dataDir)).toEqual([]);
    }

    // Through the command: exit 1 and the same message.
    const dataDir = path.join(tempDir(), 'target');
    const r = await runServerTool(['restore', '--from', truncated, '--to', dataDir]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/damaged or incomplete/);
    expect(fs.existsSync(path.join(dataDir, 'bob.sqlite'))).toBe(false);
  }, 60_000);

  it('refuses to restore into a data dir that holds a database', async () => {
    const { file } = await backedUp();
    const dataDir = tempDir();
    await restore({ from: file, to: dataDir });
    const before = fs.statSync(path.join(dataDir, 'bob.sqlite')).mtimeMs;
    await expect(restore({ from: file, to: dataDir })).rejects.toThrow(/already holds a Bob database .*empty data dir/);
    expect(fs.statSync(path.join(dataDir, 'bob.sqlite')).mtimeMs).toBe(before);
  }, 60_000);

  it('migrates a backup from an older schema on restore, and its rows still match', async () => {
    // A data dir on schema 010 (the one before #19's search indexes): migrate() applies the files of
    // the folder it is given, so a folder with the first ten stops it there.
    const older = tempDir();
    for (const f of fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^(00\d|010)-.*\.sql$/.test(f))) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(older, f));
    const dataDir = path.join(tempDir(), 'old');
    const db = openDatabase(dataDir);
    expect(migrate(db, older)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The demo businesses, as a Bob of that schema seeded them (its seed writes nothing newer).
    expect(await seedDemoData(sqliteStorage(db), sqliteDialect, new Date())).toBe(true);
    closeDatabase(db);
    const file = path.join(tempDir(), 'old.backup');
    const manifest = await backup({ from: dataDir, to: file });
    expect(manifest.schema_version).toBe(10);
    expect(manifest.tables.tenants).toBeGreaterThan(0);

    const target = path.join(tempDir(), 'new');
    const report = await restore({ from: file, to: target });
    // 011 and every migration after it.
    const later = migrationFiles(MIGRATIONS_DIR).map((m) => m.version).filter((v) => v > 10);
    expect(later[0]).toBe(11);
    expect(report.migrated).toEqual(later);
    for (const [table, rows] of Object.entries(manifest.tables)) expect(report.tables[table], table).toBe(table === 'schema_migrations' ? rows + later.length : rows);
    expect(Object.values(manifest.tables).filter((rows) => rows > 0).length).toBeGreaterThan(5);
    // A Bob starts on it and serves the seeded business.
    const server = await start(target);
    expect((await records(server).tenants()).length).toBe(manifest.tables.tenants);
    const r = await server.send('POST', '/api/widget/chat', { session_id: sid(), message: 'How much is a tax return?' }, { 'X-Widget-Key': await demoKey(server), Origin: 'http://localhost:5173' });
    expect(r.status).toBe(200);
    expect((await r.json()).reply).toContain('€180.00');
  }, 60_000);

  it('exits 2 with the usage on wrong arguments', async () => {
    for (const args of [['backup'], ['backup', '--to'], ['backup', '--to', 'x', '--bogus'], ['restore'], ['restore', '--from', 'a', '--from', 'b']]) {
      const r = await runServerTool(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.output).toMatch(/Usage: npm run (backup|restore)/);
    }
    const help = await runServerTool(['restore', '--help']);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/Usage: npm run restore -- --from <file>/);
  }, 60_000);
});
