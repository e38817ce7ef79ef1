import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createApp, type AppDeps, type BobApp } from './app';
import type { Clock } from './clock';
import { isLoopbackHost, type Config } from './config';
import type { Logger } from './logger';
import { backup } from './db/backup';
import { backupPostgres } from './db/backup-postgres';
import { DataDirError } from './db/client';
import { createAuthRepo } from './modules/auth/auth.repo';
import { accountsWithDemoPasswords, seedDemoData } from './modules/demo/demo.seed';
import { PortInUseError } from './modules/network/network.routes';
import { createNetworkSettings, isLocalNetworkAddress, type ListenTarget } from './modules/network/network.settings';
import { createAppSettingsRepo } from './modules/settings/app-settings.repo';
import { openBobDatabase, type BobDatabase } from './storage/database';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../../out/widget', import.meta.url));
const SHUTDOWN_GRACE_MS = 10_000;

export class StartupError extends Error {}

export interface RunningServer {
  /** Where Bob answers now (a wildcard bind reads as 127.0.0.1); changes when Settings → Connection re-listens. */
  readonly url: string;
  readonly port: number;
  app: BobApp;
  /** The database (SQLite or PostgreSQL) this instance serves from. */
  database: BobDatabase;
  /** Called with the new URL after a re-listen (the desktop window follows it). */
  onUrlChange(listener: (url: string) => void): () => void;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  rendererDir?: string;
  widgetDir?: string;
  migrationsDir?: string;
  /** When the port is taken at start, take any free one instead of failing (the desktop app must open). */
  anyPortIfTaken?: boolean;
  /** better-sqlite3's native build to load (the Electron-ABI one in the desktop app); default: Node's. */
  nativeBinding?: string;
  responder?: AppDeps['responder'];
  llmApiKey?: AppDeps['llmApiKey'];
  chatLimits?: AppDeps['chatLimits'];
  /** How a backup is made; default: the SQLite data dir's (db/backup.ts), none in the server mode. */
  makeBackup?: AppDeps['makeBackup'];
}

const urlOf = (host: string, port: number) => {
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
};

/**
 * Requests Node's HTTP parser refuses before Bob sees them (a URL or headers over 16 KiB, a
 * malformed request line) still get an answer in the one error shape.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex) {
  if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request line or headers are larger than 16 KB']
      : [400, 'invalid_request', 'Malformed HTTP request'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Opens the data, seeds the demo on first run and listens. Shared by npm run serve, Electron and tests. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config, logger } = opts;
  const now = () => (opts.clock ? opts.clock.now() : new Date());
  const { database, migrated } = await openBobDatabase({ config, logger, nativeBinding: opts.nativeBinding, migrationsDir: opts.migrationsDir }).catch((err: unknown) => {
    // PostgreSQL that cannot be reached, refuses the login, or sorts text the wrong way: one clear line.
    if (!config.database.url || err instanceof DataDirError) throw err;
    const where = new URL(config.database.url);
    where.password = where.password ? '***' : '';
    throw new StartupError(`Cannot use the PostgreSQL database ${where.href} (BOB_DATABASE_URL): ${err instanceof Error ? err.message : String(err)}`);
  });
  const { storage } = database;
  let network;
  try {
    if (migrated.length) logger.info('database migrated', { kind: database.kind, versions: migrated });
    if (await seedDemoData(storage, database.dialect, now())) {
      logger.info('demo data seeded', { tenants: ['office16852-platform', 'business-co'] });
    }
    network = await createNetworkSettings({ repo: createAppSettingsRepo(storage), config, now });
    const host = network.target().host;
    if (!isLoopbackHost(host)) {
      const demo = await accountsWithDemoPasswords(createAuthRepo(storage));
      if (demo.length) {
        throw new StartupError(
          `Refusing to listen on ${host}: ${demo.join(', ')} still use the published demo passwords. ` +
            'Sign in on 127.0.0.1 and change them (POST /api/auth/password, or Mission Control → your account), ' +
            'then start again; or keep BOB_HOST=127.0.0.1.',
        );
      }
    }
  } catch (err) {
    await database.close();
    throw err;
  }

  let shuttingDown = false;
  const servers = new Set<http.Server>();
  // Open connections, and those with a request in progress: at shutdown, a connection a client
  // opened ahead and never used (browsers and fetch do) would hold close() until it times out.
  const sockets = new Set<Socket>();
  const busy = new WeakSet<Socket>();
  // Requests still being handled (their client may be gone): the database closes after them.
  let handling = 0;
  const idle: (() => void)[] = [];
  let current: http.Server | undefined;
  let bound: ListenTarget | undefined;
  const urlListeners = new Set<(url: string) => void>();

  let app: BobApp;
  try {
    app = await createApp({
    database,
    config,
    logger,
    clock: opts.clock,
    rendererDir: opts.rendererDir ?? DEFAULT_RENDERER_DIR,
    widgetDir: opts.widgetDir ?? DEFAULT_WIDGET_DIR,
    responder: opts.responder,
    llmApiKey: opts.llmApiKey,
    chatLimits: opts.chatLimits,
    network: { settings: network, relisten },
    // The SQLite data dir with SQLite's online backup (db/backup.ts); the server mode's database with pg_dump (db/backup-postgres.ts).
    makeBackup:
      opts.makeBackup ??
      (async (to) => {
        if (config.database.url) await backupPostgres({ url: config.database.url, to, now, attachmentsDir: config.attachments.dir });
        else await backup({ from: config.dataDir, to, now, attachmentsDir: config.attachments.dir });
        return { size: fs.statSync(to).size };
      }),
  });
  } catch (err) {
    await database.close();
    throw err;
  }
  const handle = app.koa.callback();

  /** One HTTP server on one address; several exist only while an old one drains after a re-listen. */
  async function bind(target: ListenTarget): Promise<http.Server> {
    // A finished answer closes its connection when this server is shutting down or was replaced,
    // so keep-alive sockets neither hold exit nor keep using an old address.
    const server: http.Server = http.createServer((req, res) => {
      busy.add(req.socket);
      res.once('close', () => busy.delete(req.socket));
      res.once('finish', () => (shuttingDown || server !== current) && req.socket.end());
      handling++;
      void handle(req, res).finally(() => {
        if (--handling === 0) for (const done of idle.splice(0)) done();
      });
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    server.headersTimeout = 20_000;
    server.requestTimeout = 30_000;
    server.on('clientError', answerClientError);
    if (target.lanOnly) {
      server.on('connection', (socket) => {
        if (!isLocalNetworkAddress(socket.remoteAddress)) socket.destroy();
      });
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new PortInUseError(`Port ${target.port} on ${target.host} is already in use.`) : err),
      );
      server.listen(target.port, target.host, () => resolve());
    });
    servers.add(server);
    server.once('close', () => servers.delete(server));
    return server;
  }

  function use(server: http.Server, target: ListenTarget) {
    current = server;
    bound = { ...target, port: (server.address() as AddressInfo).port };
    app.setListeningUrl(urlOf(bound.host, bound.port));
  }

  /** Settings → Connection: listen somewhere else without a restart; on failure the old address stays. */
  async function relisten(wanted: ListenTarget): Promise<void> {
    if (shuttingDown || !current || !bound) throw new Error('Bob is shutting down');
    const target = { ...wanted, port: wanted.port || bound.port };
    if (target.host === bound.host && target.port === bound.port && target.lanOnly === bound.lanOnly) return;
    const old = current;
    const previous = bound;
    // The same port must be let go first: a wildcard and a specific address cannot both hold it.
    const samePort = target.port === previous.port;
    if (samePort) old.close();
    try {
      use(await bind(target), target);
    } catch (err) {
      if (samePort) use(await bind(previous), previous);
      throw err;
    }
    if (!samePort) old.close();
    old.closeIdleConnections();
    logger.info('listening elsewhere', { url: urlOf(target.host, target.port), lan_only: target.lanOnly });
    for (const listener of urlListeners) listener(urlOf(target.host, target.port));
  }

  try {
    const target = network.target();
    try {
      use(await bind(target), target);
    } catch (err) {
      if (!(err instanceof PortInUseError && opts.anyPortIfTaken)) throw err;
      logger.warn('preferred port taken, using a free one', { port: target.port });
      use(await bind({ ...target, port: 0 }), target);
    }
  } catch (err) {
    await app.close();
    await database.close();
    if (err instanceof PortInUseError) throw new StartupError(`${err.message} Set BOB_PORT to another port, or 0 for any free port.`);
    throw err;
  }

  // At start when the last good backup is older than a day (or there is none), then daily.
  app.backups.start();

  let closing: Promise<void> | undefined;
  return {
    get url() {
      return urlOf(bound!.host, bound!.port);
    },
    get port() {
      return bound!.port;
    },
    app,
    database,
    onUrlChange(listener) {
      urlListeners.add(listener);
      return () => urlListeners.delete(listener);
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        await app.close();
        await Promise.all(
          [...servers].map(
            (server) =>
              new Promise<void>((resolve) => {
                const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
                server.close(() => {
                  clearTimeout(force);
                  resolve();
                });
                server.closeIdleConnections();
                for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
              }),
          ),
        );
        // A request whose client left still runs to its end (its writes are kept), within the grace period.
        if (handling > 0) await new Promise<void>((resolve) => {
          idle.push(resolve);
          setTimeout(resolve, SHUTDOWN_GRACE_MS).unref();
        });
        await database.close();
      })();
      return closing;
    },
  };
}
