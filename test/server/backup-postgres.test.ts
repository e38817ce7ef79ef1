// `npm run backup` / `npm run restore` in the server mode (issue #22): pg_dump of the PostgreSQL
// database a Bob serves while 20 visitors chat, restored with pg_restore into an empty database on
// the run's cluster, counts checked against the manifest; a damaged file and a database that is not
// empty are refused. Runs in the PostgreSQL run of the suite (BOB_TEST_DB=postgres).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backup } from '../../src/server/db/backup';
import { expectBackupHolds, runServerTool } from '../helpers/backup';
import { chatWhile, demoKey, sid } from '../helpers/chat';
import { records } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { pgRowCounts, pgTableCount } from '../helpers/raw-sql';
import { createEmptyDatabase, dropTestDatabase, onPostgres } from '../helpers/test-database';

const made: string[] = [];
const databases: string[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const url of databases.splice(0)) await dropTestDatabase(url);
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-pg-backup-'));
  made.push(dir);
  return dir;
};
const emptyDatabase = async () => {
  const url = await createEmptyDatabase();
  databases.push(url);
  return url;
};
const start = async (env: Record<string, string> = {}) => {
  const s = await startTestServer({ env: { BOB_TRUST_PROXY: '1', ...env } });
  servers.push(s);
  return s;
};
describe.runIf(onPostgres)('npm run backup and npm run restore on PostgreSQL (pg_dump, pg_restore)', () => {
  it('backs up the database while 20 visitors chat, and a restore into an empty database holds every message acknowledged before', async () => {
    const server = await start();
    const file = path.join(tempDir(), 'bob.backup');
    let dumped = { code: null as number | null, output: '' };
    const run = await chatWhile(server, async () => {
      dumped = await runServerTool(['backup', '--from', server.databaseUrl!, '--to', file]);
    });
    expect(dumped.code, dumped.output).toBe(0);
    expect(dumped.output).toMatch(/Backed up the PostgreSQL database to .*bob\.backup/);
    // The password-less test cluster aside, the URL is never printed.
    expect(dumped.output).not.toContain(server.databaseUrl!);

    const target = await emptyDatabase();
    const restored = await runServerTool(['restore', '--from', file], { ...process.env, BOB_DATABASE_URL: target });
    expect(restored.code, restored.output).toBe(0);
    expect(restored.output).toMatch(/Restored the backup of .* into the PostgreSQL database: checksum and rows of \d+ tables checked/);

    const manifest = JSON.parse((await import('node:zlib')).gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n', 1)[0]!);
    expect(manifest.database.kind).toBe('postgres');
    expect(manifest.tables.chat_messages).toBeGreaterThan(40);
    // The UNLOGGED tables (counters, presence, leases) are neither counted nor copied.
    expect(Object.keys(manifest.tables)).not.toContain('rate_hits');
    expect(await pgRowCounts(target, Object.keys(manifest.tables))).toEqual(manifest.tables);

    // A Bob on the restored database serves it, with every message acknowledged before the backup.
    const again = await start({ BOB_DATABASE_URL: target });
    expectBackupHolds(run, new Set((await records(again).messages()).map((m) => m.body)));
    const r = await again.send('POST', '/api/chat', { session_id: sid(), message: 'How much is a tax return?' });
    expect(r.status).toBe(200);
  }, 120_000);

  it('carries the files sent in conversations into the folder the restored instances share (BOB_ATTACHMENTS_DIR)', async () => {
    const server = await start();
    const session_id = sid();
    const headers = { 'X-Widget-Key': await demoKey(server), Origin: 'http://localhost:5173' };
    expect((await server.send('POST', '/api/widget/chat', { session_id, message: 'My invoice' }, headers)).status).toBe(200);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'invoice.pdf');
    expect((await server.fetch(`/api/widget/attachments?session_id=${session_id}`, { method: 'POST', headers, body })).status).toBe(201);

    const file = path.join(tempDir(), 'bob.backup');
    const env = { ...process.env, BOB_ATTACHMENTS_DIR: path.join(server.dataDir, 'attachments') };
    expect((await runServerTool(['backup', '--from', server.databaseUrl!, '--to', file], env)).code).toBe(0);
    const shared = path.join(tempDir(), 'shared-attachments');
    const restored = await runServerTool(['restore', '--from', file, '--to', await emptyDatabase()], { ...process.env, BOB_ATTACHMENTS_DIR: shared });
    expect(restored.code, restored.output).toBe(0);
    const tenants = fs.readdirSync(shared);
    expect(tenants).toHaveLength(1);
    expect(fs.readFileSync(path.join(shared, tenants[0]!, fs.readdirSync(path.join(shared, tenants[0]!))[0]!))).toEqual(pdf);
  }, 120_000);

  it('refuses a damaged file, a database that is not empty, and a desktop backup, with what to do instead', async () => {
    const server = await start();
    const file = path.join(tempDir(), 'bob.backup');
    expect((await runServerTool(['backup', '--from', server.databaseUrl!, '--to', file])).code).toBe(0);

    const bytes = fs.readFileSync(file);
    const damaged = path.join(tempDir(), 'damaged.backup');
    fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const target = await emptyDatabase();
    const refused = await runServerTool(['restore', '--from', damaged, '--to', target]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/damaged or incomplete and was not restored/);
    expect(await pgTableCount(target)).toBe(0);

    const full = await runServerTool(['restore', '--from', file, '--to', server.databaseUrl!]);
    expect(full.code).toBe(1);
    expect(full.output).toMatch(/is not empty \(\d+ tables\): restore into a new, empty database/);

    const desktop = await startTestServer({ database: 'sqlite' });
    servers.push(desktop);
    const sqliteFile = path.join(tempDir(), 'desktop.backup');
    await backup({ from: desktop.dataDir, to: sqliteFile });
    const wrongKind = await runServerTool(['restore', '--from', sqliteFile, '--to', target]);
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.output).toMatch(/backup of a desktop \(SQLite\) data dir: restore it into a data dir/);

    const wrongWay = await runServerTool(['restore', '--from', file, '--to', path.join(tempDir(), 'dir')]);
    expect(wrongWay.code).toBe(1);
    expect(wrongWay.output).toMatch(/backup of a PostgreSQL database \(the server mode\)/);
  }, 120_000);
});
