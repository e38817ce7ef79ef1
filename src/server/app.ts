import Koa from 'koa';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import type { Db } from './db/client';
import { errorMiddleware } from './errors';
import type { AppState } from './http/context';
import { requestContext, securityHeaders } from './http/middleware';
import { ApiRouter } from './http/routes';
import { serveStatic } from './http/static';
import type { Logger } from './logger';
import { createAuditRepo } from './modules/audit/audit.repo';
import { createAuthRepo } from './modules/auth/auth.repo';
import { createUserGuard } from './modules/auth/auth.guard';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { createAuthService } from './modules/auth/auth.service';
import { docsAssets, registerDocsRoutes } from './modules/docs/docs.routes';
import { registerHealthRoutes } from './modules/health/health.routes';
import { createTenantsRepo } from './modules/tenants/tenants.repo';
import { registerTenantsRoutes } from './modules/tenants/tenants.routes';

export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Built Mission Control (electron-vite's renderer output), served at /app/. */
  rendererDir: string;
}

export interface BobApp {
  koa: Koa<AppState>;
  api: ApiRouter;
  /** BOB_PUBLIC_URL, or the URL the server listens on once known. */
  publicUrl(): string;
  setListeningUrl(url: string): void;
  /** Stops timers and open streams; the caller closes the HTTP server and the database. */
  close(): void;
}

/** Builds the whole HTTP application from its dependencies. Never imports Electron. */
export function createApp(deps: AppDeps): BobApp {
  const { db, config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  let listeningUrl = `http://${config.host}:${config.port}`;
  const publicUrl = () => config.publicUrl ?? listeningUrl;

  const audit = createAuditRepo(db, () => clock.now());
  const authRepo = createAuthRepo(db);
  const auth = createAuthService({ repo: authRepo, audit, clock });
  const api = new ApiRouter(createUserGuard(auth));

  registerHealthRoutes(api, db);
  registerAuthRoutes(api, { auth, repo: authRepo });
  registerTenantsRoutes(api, createTenantsRepo(db));
  registerDocsRoutes(api, publicUrl);

  const koa = new Koa<AppState>({ proxy: false });
  koa.use(requestContext(logger));
  koa.use(errorMiddleware(logger));
  koa.use(securityHeaders);
  koa.use(
    serveStatic({
      prefix: '/app',
      root: deps.rendererDir,
      fallback: 'index.html',
      missing: 'Mission Control has not been built yet. Run `npm run build` (npm start does this for you), then reload.',
    }),
  );
  koa.use(docsAssets());
  koa.use(api.routes());
  koa.use(async (ctx, next) => {
    if (ctx.path === '/') return ctx.redirect('/app/');
    await next();
  });

  const purge = setInterval(() => auth.purgeExpiredTokens(), 60 * 60 * 1000);
  purge.unref();

  return {
    koa,
    api,
    publicUrl,
    setListeningUrl: (url) => {
      listeningUrl = url;
    },
    close() {
      clearInterval(purge);
    },
  };
}
