import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../src/server/clock';
import { loadConfig } from '../../src/server/config';
import { createLogger } from '../../src/server/logger';
import { startServer, type RunningServer } from '../../src/server/server';
import { createTestDatabase, dropTestDatabase, onPostgres } from './test-database';

/** A clock tests can move forward. */
export class TestClock implements Clock {
  private offset = 0;
  now() {
    return new Date(Date.now() + this.offset);
  }
  advance(ms: number) {
    this.offset += ms;
  }
}

export interface TestServer extends RunningServer {
  dataDir: string;
  /** On PostgreSQL (BOB_TEST_DB=postgres): the database this server uses. */
  databaseUrl?: string;
  /** Every structured log line the server wrote. */
  logs: string[];
  /** fetch against the server; a relative path is resolved on its URL. */
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  /** POST/PUT/PATCH with a JSON body. */
  send(method: string, pathname: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Closes and starts again on the same data dir (same port not guaranteed). */
  restart(): Promise<TestServer>;
}

export const DEMO_ADMIN = { email: 'admin@office16852.com', password: 'your_password' };
export const DEMO_OWNER = { email: 'customer@business.com', password: 'customer_password' };

/** On PostgreSQL, each data dir's database: a server started again on a data dir finds its data. */
const databaseOf = new Map<string, string>();

/**
 * The real server on port 0 with a temp SQLite file, as a user would run it; with
 * BOB_TEST_DB=postgres, on a PostgreSQL database of its own instead (the same one again for the
 * same `dataDir`; `database: 'sqlite'` keeps a test on SQLite whatever the run).
 */
export async function startTestServer(
  opts: { env?: Record<string, string>; clock?: Clock; dataDir?: string; database?: 'sqlite'; llmApiKey?: () => Promise<string | null> } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bob-test-'));
  let databaseUrl: string | undefined;
  if (onPostgres && opts.database !== 'sqlite' && !opts.env?.BOB_DATABASE_URL) {
    databaseUrl = databaseOf.get(dataDir);
    if (!databaseUrl) databaseOf.set(dataDir, (databaseUrl = await createTestDatabase()));
  }
  // The data dir and database a test made itself go when the server closes (a caller's own stay: restarts reuse them).
  const cleanUp = async () => {
    if (opts.dataDir) return;
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) {
      databaseOf.delete(dataDir);
      await dropTestDatabase(databaseUrl);
    }
  };
  // No automatic backup at each test server's start (test/server/backup-schedule.test.ts turns them on).
  const config = loadConfig({ BOB_DATA_DIR: dataDir, BOB_PORT: '0', BOB_LOG_LEVEL: 'debug', BOB_BACKUPS: 'off', ...(databaseUrl && { BOB_DATABASE_URL: databaseUrl }), ...opts.env });
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => logs.push(line) });
  let running: RunningServer;
  try {
    running = await startServer({ config, logger, clock: opts.clock, llmApiKey: opts.llmApiKey });
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const fetchIt = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, running.url), init);
  return {
    ...running,
    // Live: Settings → Connection can move the server to another address.
    get url() {
      return running.url;
    },
    get port() {
      return running.port;
    },
    async close() {
      await running.close();
      await cleanUp();
    },
    dataDir,
    databaseUrl,
    logs,
    fetch: fetchIt,
    send: (method, pathname, body, headers = {}) =>
      fetchIt(pathname, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async restart() {
      await running.close();
      return startTestServer({ ...opts, dataDir });
    },
  };
}

export interface Session {
  token: string;
  csrf: string;
  cookie: string;
  user: { id: string; tenant_id: string; role: string; permissions: string[] };
  bearer: Record<string, string>;
}

export async function login(server: Pick<TestServer, 'send'>, who: { email: string; password: string }): Promise<Session> {
  const res = await server.send('POST', '/api/auth/login', who);
  if (res.status !== 200) throw new Error(`login ${who.email} → ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; csrf_token: string; user: Session['user'] };
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('bob_session='))!.split(';')[0]!;
  return { token: body.token, csrf: body.csrf_token, cookie, user: body.user, bearer: { Authorization: `Bearer ${body.token}` } };
}
