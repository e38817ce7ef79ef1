import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp, type AppDeps, type BobApp } from './app';
import type { Clock } from './clock';
import { isLoopbackHost, type Config } from './config';
import { closeDatabase, openDatabase, type Db } from './db/client';
import { migrate } from './db/migrate';
import type { Logger } from './logger';
import { createAuthRepo } from './modules/auth/auth.repo';
import { accountsWithDemoPasswords, seedDemoData } from './modules/demo/demo.seed';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../../out/widget', import.meta.url));
const SHUTDOWN_GRACE_MS = 10_000;

export class StartupError extends Error {}

export interface RunningServer {
  url: string;
  port: number;
  app: BobApp;
  db: Db;
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
  responder?: AppDeps['responder'];
  llmApiKey?: AppDeps['llmApiKey'];
  chatLimits?: AppDeps['chatLimits'];
}

/** Opens the data, seeds the demo on first run and listens. Shared by npm run serve, Electron and tests. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config, logger } = opts;
  const db = openDatabase(config.dataDir);
  try {
    const applied = migrate(db, opts.migrationsDir);
    if (applied.length) logger.info('database migrated', { versions: applied });
    if (await seedDemoData(db, opts.clock ? opts.clock.now() : new Date())) {
      logger.info('demo data seeded', { tenants: ['office16852-platform', 'business-co'] });
    }
    if (!isLoopbackHost(config.host)) {
      const demo = await accountsWithDemoPasswords(createAuthRepo(db));
      if (demo.length) {
        throw new StartupError(
          `Refusing to listen on ${config.host}: ${demo.join(', ')} still use the published demo passwords. ` +
            'Sign in on 127.0.0.1 and change them (POST /api/auth/password, or Mission Control → your account), ' +
            'then start again; or keep BOB_HOST=127.0.0.1.',
        );
      }
    }
  } catch (err) {
    closeDatabase(db);
    throw err;
  }

  const app = createApp({
    db,
    config,
    logger,
    clock: opts.clock,
    rendererDir: opts.rendererDir ?? DEFAULT_RENDERER_DIR,
    widgetDir: opts.widgetDir ?? DEFAULT_WIDGET_DIR,
    responder: opts.responder,
    llmApiKey: opts.llmApiKey,
    chatLimits: opts.chatLimits,
  });
  const handle = app.koa.callback();
  let shuttingDown = false;
  // While shutting down, a finished answer closes its connection so keep-alive sockets do not hold exit.
  const server = http.createServer((req, res) => {
    res.once('finish', () => shuttingDown && req.socket.end());
    void handle(req, res);
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      app.close();
      closeDatabase(db);
      reject(
        err.code === 'EADDRINUSE'
          ? new StartupError(`Port ${config.port} on ${config.host} is already in use. Set BOB_PORT to another port, or 0 for any free port.`)
          : err,
      );
    });
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  app.setListeningUrl(url);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    db,
    close() {
      closing ??= new Promise<void>((resolve) => {
        shuttingDown = true;
        app.close();
        const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          closeDatabase(db);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
