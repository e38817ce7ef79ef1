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

/**
 * The real server on port 0 with a temp SQLite file, as a user would run it; with
 * BOB_TEST_DB=postgres, on a fresh PostgreSQL database instead (`databaseUrl`: an existing one).
 */
export async function startTestServer(
  opts: { env?: Record<string, string>; clock?: Clock; dataDir?: string; databaseUrl?: string; llmApiKey?: () => Promise<string | null> } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bob-test-'));
  const databaseUrl = opts.databaseUrl ?? (onPostgres && !opts.env?.BOB_DATABASE_URL ? await createTestDatabase() : undefined);
  const config = loadConfig({ BOB_DATA_DIR: dataDir, BOB_PORT: '0', BOB_LOG_LEVEL: 'debug', ...(databaseUrl && { BOB_DATABASE_URL: databaseUrl }), ...opts.env });
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => logs.push(line) });
  let running: RunningServer;
  try {
    running = await startServer({ config, logger, clock: opts.clock, llmApiKey: opts.llmApiKey });
  } catch (err) {
    if (databaseUrl && !opts.databaseUrl) await dropTestDatabase(databaseUrl);
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
      // Leave a caller's own data dir and database alone (restart tests reuse them); remove the ones made here.
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (databaseUrl && !opts.databaseUrl) await dropTestDatabase(databaseUrl);
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
      return startTestServer({ ...opts, dataDir, databaseUrl });
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
