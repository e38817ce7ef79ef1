import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backup, countDataDir, restore } from '../../src/server/db/backup';
import { loadConfig } from '../../src/server/config';
import { createLogger } from '../../src/server/logger';
import { backupTimeOf, isoWeek } from '../../src/server/modules/backups/backups.service';
import { startServer, type RunningServer } from '../../src/server/server';
import type { BackupOutcome, BackupsView } from '../../src/shared/schemas/backups';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, TestClock, type TestServer } from '../helpers/server';
import { createEmptyDatabase, dropTestDatabase, onPostgres } from '../helpers/test-database';
import { restorePostgres } from '../../src/server/db/backup-postgres';

// Automatic backups and Settings → Backups. The desktop mode (SQLite) whatever the run; the server
// mode (PostgreSQL, pg_dump) in the PostgreSQL run.
const DAY = 24 * 60 * 60 * 1000;
const servers: { close(): Promise<void> }[] = [];
const made: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-backups-'));
  made.push(dir);
  return dir;
};
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function start(opts: { clock?: TestClock; env?: Record<string, string>; database?: 'sqlite' } = { database: 'sqlite' }): Promise<TestServer> {
  const s = await startTestServer({ database: 'sqlite', ...opts, env: { BOB_BACKUPS: 'on', ...opts.env } });
  servers.push(s);
  return s;
}

const view = async (server: Pick<TestServer, 'fetch'>, headers: Record<string, string>) => {
  const res = await server.fetch('/api/settings/backups', { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as BackupsView;
};

describe('automatic backups (SQLite)', () => {
  it('backs up at start, then daily, and keeps 7 daily and 4 weekly backups across 40 days, deleting only its own files', async () => {
    const clock = new TestClock();
    const server = await start({ clock });
    await server.app.backups.settled();
    const admin = await login(server, DEMO_ADMIN);

    const first = await view(server, admin.bearer);
    expect(first).toMatchObject({ mode: 'sqlite', automatic: true, running: false, directory: path.join(server.dataDir, 'backups') });
    expect(first.last).toMatchObject({ ok: true, trigger: 'schedule' });
    expect(first.last!.file).toMatch(/^bob-\d{4}-\d{2}-\d{2}-\d{6}\.bob-backup$/);
    expect(first.last!.size).toBe(fs.statSync(path.join(first.directory!, first.last!.file!)).size);
    expect(first.files.map((f) => f.name)).toEqual([first.last!.file]);
    expect(new Date(first.next_at!).getTime()).toBe(new Date(first.last!.at).getTime() + DAY);

    // Not due yet: nothing new.
    clock.advance(DAY - 60_000);
    await server.app.backups.tick();
    expect((await server.app.backups.view()).files).toHaveLength(1);

    // Someone else's files in the folder stay, whatever their age.
    const dir = first.directory!;
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    fs.writeFileSync(path.join(dir, 'bob-old.bob-backup'), 'mine too');

    const made: string[] = [first.last!.file!];
    for (let day = 0; day < 40; day++) {
      clock.advance(day === 0 ? 60_000 : DAY);
      await server.app.backups.tick();
      // (Through the service: the session would have expired meanwhile.)
      const last = (await server.app.backups.view()).last!;
      expect(last.ok).toBe(true);
      made.push(last.file!);
    }
    expect(new Set(made).size).toBe(41);

    const after = await view(server, (await login(server, DEMO_ADMIN)).bearer);
    const kept = after.files.map((f) => f.name);
    const newestFirst = [...made].reverse();
    // The 7 newest (one a day), then the newest of each of the 4 ISO weeks before them.
    expect(kept.slice(0, 7)).toEqual(newestFirst.slice(0, 7));
    const older = newestFirst.slice(7);
    const weeks: string[] = [];
    const weekly: string[] = [];
    for (const name of older) {
      const week = isoWeek(backupTimeOf(name)!);
      if (weeks.includes(week) || weeks.length === 4) continue;
      weeks.push(week);
      weekly.push(name);
    }
    expect(kept.slice(7)).toEqual(weekly);
    expect(kept).toHaveLength(11);
    expect(fs.readdirSync(dir).sort()).toEqual([...kept, 'notes.txt', 'bob-old.bob-backup'].sort());
  });

  it('a failed backup is logged and shown with its error, never silent; the next start retries', async () => {
    const blocked = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(blocked, 'a file where the backup folder should be');
    const server = await start({ env: { BOB_BACKUP_DIR: blocked } });
    await server.app.backups.settled();
    const admin = await login(server, DEMO_ADMIN);
    const v = await view(server, admin.bearer);
    expect(v.last).toMatchObject({ ok: false, file: null, size: null, trigger: 'schedule' });
    expect(v.last!.error).toMatch(/EEXIST|ENOTDIR|exists|not a directory/i);
    expect(v.last_ok_at).toBeNull();
    // Retried within the hour, not only tomorrow.
    expect(new Date(v.next_at!).getTime() - new Date(v.last!.at).getTime()).toBeLessThanOrEqual(60 * 60 * 1000);
    expect(server.logs.some((l) => l.includes('backup failed') && l.includes('"level":"error"'))).toBe(true);

    const res = await server.send('POST', '/api/settings/backups/run', {}, admin.bearer);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, trigger: 'manual', error: expect.any(String) });
  });

  it('BOB_BACKUPS=off: no automatic backup, "Back up now" still works and restores with the same rows', async () => {
    const server = await start({ env: { BOB_BACKUPS: 'off' } });
    await server.app.backups.settled();
    const admin = await login(server, DEMO_ADMIN);
    const before = await view(server, admin.bearer);
    expect(before).toMatchObject({ automatic: false, last: null, next_at: null, files: [] });

    const res = await server.send('POST', '/api/settings/backups/run', {}, admin.bearer);
    expect(res.status).toBe(200);
    const last = (await res.json()) as BackupOutcome;
    expect(last).toMatchObject({ ok: true, trigger: 'manual' });
    const file = path.join(before.directory!, last.file!);
    expect(fs.statSync(file).size).toBe(last.size);
    const v = await view(server, admin.bearer);
    expect(v.last).toEqual(last);
    expect(v.files.map((f) => f.name)).toEqual([last.file]);

    const restored = path.join(tempDir(), 'restored');
    const report = await restore({ from: file, to: restored });
    expect(countDataDir(restored)).toEqual(report.tables);
    // The running Bob has what the backup had, besides the audit entry and the setting written after it.
    const now = countDataDir(server.dataDir);
    expect(now.audit_log).toBe(report.tables.audit_log! + 1);
    expect(now.app_settings).toBe(report.tables.app_settings! + 1);
    expect({ ...now, audit_log: 0, app_settings: 0 }).toEqual({ ...report.tables, audit_log: 0, app_settings: 0 });

    const audit = (await (await server.fetch('/api/audit?action=backup.', { headers: admin.bearer })).json()) as { data: { action: string; target_id: string | null }[] };
    expect(audit.data).toEqual([expect.objectContaining({ action: 'backup.run', target_id: last.file })]);
  });

  it('409 while a backup is running', async () => {
    const dataDir = tempDir();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const config = loadConfig({ BOB_DATA_DIR: dataDir, BOB_PORT: '0', BOB_LOG_LEVEL: 'silent', BOB_BACKUPS: 'off' });
    const server: RunningServer = await startServer({
      config,
      logger: createLogger('silent'),
      makeBackup: async (to) => {
        started();
        await gate;
        await backup({ from: dataDir, to });
        return { size: fs.statSync(to).size };
      },
    });
    servers.push(server);
    const send = (p: string, headers: Record<string, string>) => fetch(new URL(p, server.url), { method: 'POST', headers });
    const admin = await login({ send: (m, p, body) => fetch(new URL(p, server.url), { method: m, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }) }, DEMO_ADMIN);
    const first = send('/api/settings/backups/run', admin.bearer);
    await running;
    const second = await send('/api/settings/backups/run', admin.bearer);
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('backup_running');
    const during = (await (await fetch(new URL('/api/settings/backups', server.url), { headers: admin.bearer })).json()) as BackupsView;
    expect(during.running).toBe(true);
    release();
    expect((await first).status).toBe(200);
  });

  it('only an admin (settings.manage): 403 for an owner and an agent', async () => {
    const server = await start({ env: { BOB_BACKUPS: 'off' } });
    const owner = await login(server, DEMO_OWNER);
    expect((await server.send('POST', '/api/team', { email: 'agent@business.com', name: 'Agent', role: 'agent', password: 'agent-password-1' }, owner.bearer)).status).toBe(201);
    const agent = await login(server, { email: 'agent@business.com', password: 'agent-password-1' });
    for (const who of [owner, agent]) {
      expect((await server.fetch('/api/settings/backups', { headers: who.bearer })).status).toBe(403);
      expect((await server.send('POST', '/api/settings/backups/run', {}, who.bearer)).status).toBe(403);
    }
    expect(fs.existsSync(path.join(server.dataDir, 'backups'))).toBe(false);
  });
});

describe.runIf(onPostgres)('the server mode (PostgreSQL)', () => {
  it('two instances on one database: the due daily backup is made once, by the instance that claimed it', async () => {
    const clock = new TestClock();
    const a = await startTestServer({ clock, env: { BOB_BACKUPS: 'on' } });
    servers.push(a);
    await a.app.backups.settled();
    const b = await startTestServer({ clock, env: { BOB_BACKUPS: 'on', BOB_DATABASE_URL: a.databaseUrl! } });
    servers.push(b);
    await b.app.backups.settled();
    const files = () => ['a', 'b'].flatMap((who) => {
      const dir = path.join((who === 'a' ? a : b).dataDir, 'backups');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => backupTimeOf(f)).map((f) => `${who}/${f}`) : [];
    });
    expect(files()).toHaveLength(1); // at start: a made it, b found it made
    for (let day = 1; day <= 3; day++) {
      clock.advance(DAY + 60_000);
      await Promise.all([a.app.backups.tick(), b.app.backups.tick()]);
      await Promise.all([a.app.backups.settled(), b.app.backups.settled()]);
      expect(files(), `day ${day}`).toHaveLength(1 + day);
    }
  });

  it('backs the database up with pg_dump at start and on "Back up now"; the file restores with pg_restore', async () => {
    const server = await startTestServer({ env: { BOB_BACKUPS: 'on' } });
    servers.push(server);
    await server.app.backups.settled();
    const admin = await login(server, DEMO_ADMIN);
    const first = await view(server, admin.bearer);
    expect(first).toMatchObject({ mode: 'postgres', automatic: true, running: false, directory: path.join(server.dataDir, 'backups'), last: { ok: true, trigger: 'schedule' } });
    expect(first.files).toHaveLength(1);

    const res = await server.send('POST', '/api/settings/backups/run', {}, admin.bearer);
    expect(res.status).toBe(200);
    const made = (await res.json()) as BackupOutcome;
    expect(made).toMatchObject({ ok: true, trigger: 'manual' });
    const file = path.join(server.dataDir, 'backups', made.file!);
    expect(fs.statSync(file).size).toBe(made.size);
    const target = await createEmptyDatabase();
    try {
      const report = await restorePostgres({ from: file, url: target });
      expect(report.manifest.database.kind).toBe('postgres');
      expect(report.tables.tenants).toBe(report.manifest.tables.tenants);
    } finally {
      await dropTestDatabase(target);
    }
  });
});
