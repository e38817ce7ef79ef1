// Two (or more) Bob processes on one PostgreSQL database, as behind a load balancer: each its own
// OS process (runHeadless), its own data dir, BOB_INSTANCE_ID a, b, …. The test process reads the
// database through the repositories (records()) over a pool of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresDialect } from '../../src/server/storage/pg/dialect';
import { postgresStorage } from '../../src/server/storage/pg/postgres';
import { records } from '../helpers/db';
import { runHeadless } from '../helpers/process';
import type { Session } from '../helpers/server';
import { createTestDatabase, dropTestDatabase } from '../helpers/test-database';

export const ORIGIN = 'http://localhost:3000';

export interface Instance {
  id: string;
  url: string;
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  send(method: string, pathname: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The structured log lines it wrote so far (stderr, one JSON object per line). */
  logs(): { msg: string; [field: string]: unknown }[];
  /** kill -9, and waits for the process to be gone. */
  kill(): Promise<void>;
  readonly exited: Promise<number | null>;
}

async function start(id: string, databaseUrl: string, env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bob-multi-${id}-`));
  const proc = runHeadless({ BOB_DATABASE_URL: databaseUrl, BOB_DATA_DIR: dataDir, BOB_PORT: '0', BOB_INSTANCE_ID: id, BOB_LOG_LEVEL: 'debug', ...env });
  const { url } = await proc.listening(30_000);
  const fetchIt = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, url), init);
  const instance: Instance = {
    id,
    url,
    fetch: fetchIt,
    send: (method, pathname, body, headers = {}) => fetchIt(pathname, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) }),
    logs: () =>
      proc
        .err()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string }),
    async kill() {
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
    exited: proc.exited,
  };
  const stop = async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGTERM');
      const killed = setTimeout(() => proc.child.kill('SIGKILL'), 5000);
      await proc.exited;
      clearTimeout(killed);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { instance, stop };
}

/**
 * A fresh database and one Bob process per id on it. The first starts alone (it seeds the demo),
 * the others after it. `close()` stops them (what is still running) and drops the database.
 */
export async function startInstances(env: Record<string, string> = {}, ids = ['a', 'b']) {
  const databaseUrl = await createTestDatabase();
  const stops: (() => Promise<void>)[] = [];
  const db = postgresStorage(databaseUrl, { size: 4, name: 'bob-test' });
  const close = async () => {
    await Promise.all(stops.map((s) => s()));
    await db.close();
    await dropTestDatabase(databaseUrl);
  };
  try {
    const first = await start(ids[0]!, databaseUrl, env);
    stops.push(first.stop);
    const rest = await Promise.all(ids.slice(1).map((id) => start(id, databaseUrl, env)));
    stops.push(...rest.map((r) => r.stop));
    const instances = [first.instance, ...rest.map((r) => r.instance)];
    return { databaseUrl, instances, records: records({ database: { storage: db.storage, dialect: postgresDialect } }), close };
  } catch (err) {
    await close();
    throw err;
  }
}


/** Business Co's live widget key, as its owner reads it through the API. */
export async function demoKey(instance: Instance, owner: Session): Promise<string> {
  const res = await instance.fetch('/api/widget-keys', { headers: owner.bearer });
  const keys = ((await res.json()) as { data: { key: string; mode: string; status: string }[] }).data;
  return keys.find((k) => k.mode === 'live' && k.status === 'active')!.key;
}

/** A visitor's message through the widget; `ip`: the visitor's address as the proxy forwards it (BOB_TRUST_PROXY=1). */
export function widgetChat(instance: Instance, key: string, body: { session_id: string; message: string }, ip?: string) {
  return instance.send('POST', '/api/widget/chat', body, { 'X-Widget-Key': key, Origin: ORIGIN, ...(ip && { 'X-Forwarded-For': ip }) });
}
