import Koa from 'koa';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { errorMiddleware } from './errors';
import { compression } from './http/compression';
import type { AppState } from './http/context';
import { requestContext, securityHeaders } from './http/middleware';
import { memoryLimitStore } from './http/rate-limit';
import { ApiRouter } from './http/routes';
import { serveStatic } from './http/static';
import type { Logger } from './logger';
import { createAnswerTestsRepo } from './modules/answer-tests/answer-tests.repo';
import { registerAnswerTestsRoutes } from './modules/answer-tests/answer-tests.routes';
import { createAnswerTestsService } from './modules/answer-tests/answer-tests.service';
import { createAuditRepo } from './modules/audit/audit.repo';
import { registerAuditRoutes } from './modules/audit/audit.routes';
import { createAuthRepo } from './modules/auth/auth.repo';
import { createUserGuard } from './modules/auth/auth.guard';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { createAuthService } from './modules/auth/auth.service';
import { docsAssets, registerDocsRoutes } from './modules/docs/docs.routes';
import { createAgentToolsRepo } from './modules/agent-tools/agent-tools.repo';
import { registerAgentToolsRoutes } from './modules/agent-tools/agent-tools.routes';
import { createAgentToolsService } from './modules/agent-tools/agent-tools.service';
import { createChatRepo } from './modules/chat/chat.repo';
import { registerChatRoutes } from './modules/chat/chat.routes';
import { createChatService, type ChatLimits, type Responder } from './modules/chat/chat.service';
import { createCreditsRepo } from './modules/credits/credits.repo';
import { createCreditsService } from './modules/credits/credits.service';
import { EventBus } from './modules/events/events.bus';
import { createEventsRepo } from './modules/events/events.repo';
import { writeRunLog } from './modules/events/run-log';
import { createFaqRepo } from './modules/faq/faq.repo';
import { registerFaqRoutes } from './modules/faq/faq.routes';
import { createFaqService } from './modules/faq/faq.service';
import { createKnowledgeRepo } from './modules/knowledge/knowledge.repo';
import { registerKnowledgeRoutes } from './modules/knowledge/knowledge.routes';
import { createKnowledgeService } from './modules/knowledge/knowledge.service';
import { createHealthRepo } from './modules/health/health.repo';
import { registerHealthRoutes } from './modules/health/health.routes';
import { createPersonasRepo } from './modules/personas/personas.repo';
import { registerPersonasRoutes } from './modules/personas/personas.routes';
import { createPersonasService } from './modules/personas/personas.service';
import { createCatalogRepo, type PublishedCatalogCache } from './modules/catalog/catalog.repo';
import { registerCatalogRoutes } from './modules/catalog/catalog.routes';
import { createCatalogService } from './modules/catalog/catalog.service';
import { createPricebookRepo, type PublishedPricebookCache } from './modules/pricebook/pricebook.repo';
import { registerPricebookRoutes } from './modules/pricebook/pricebook.routes';
import { createPricebookService } from './modules/pricebook/pricebook.service';
import { createMemoryPresence } from './modules/realtime/presence';
import { registerRealtimeRoutes } from './modules/realtime/realtime.routes';
import { TypingSignals } from './modules/realtime/typing';
import { SseRegistry } from './modules/realtime/sse';
import { registerWidgetRoutes } from './modules/widget/widget.routes';
import { registerWidgetIdentityRoutes } from './modules/widget/widget-identity.routes';
import { createIdentityRepo } from './modules/identity/identity.repo';
import { createIdentityService } from './modules/identity/identity.service';
import { createConsentsRepo } from './modules/consent/consent.repo';
import { registerConsentRoutes } from './modules/consent/consent.routes';
import { createConsentService } from './modules/consent/consent.service';
import { registerWidgetScriptRoutes } from './modules/widget/widget-script.routes';
import { createWidgetKeysRepo } from './modules/widget-keys/widget-keys.repo';
import { createCallbacksRepo } from './modules/callbacks/callbacks.repo';
import { registerCallbacksRoutes } from './modules/callbacks/callbacks.routes';
import { createCallbacksService, type CallbacksService } from './modules/callbacks/callbacks.service';
import { registerWidgetKeysRoutes } from './modules/widget-keys/widget-keys.routes';
import { createWidgetKeysService } from './modules/widget-keys/widget-keys.service';
import { createTeamRepo } from './modules/team/team.repo';
import { registerTeamRoutes } from './modules/team/team.routes';
import { createTeamService } from './modules/team/team.service';
import { createTenantsRepo } from './modules/tenants/tenants.repo';
import { registerTenantsRoutes } from './modules/tenants/tenants.routes';
import { createRetentionRepo } from './modules/retention/retention.repo';
import { registerRetentionRoutes } from './modules/retention/retention.routes';
import { createRetentionService } from './modules/retention/retention.service';
import { createUsageRepo } from './modules/usage/usage.repo';
import { createCsatRepo } from './modules/csat/csat.repo';
import { registerCsatRoutes } from './modules/csat/csat.routes';
import { createCsatService } from './modules/csat/csat.service';
import { registerUsageRoutes } from './modules/usage/usage.routes';
import { createTenantsService } from './modules/tenants/tenants.service';
import { accountsWithDemoPasswords } from './modules/demo/demo.seed';
import { createInsightsRepo } from './modules/insights/insights.repo';
import { registerInsightsRoutes } from './modules/insights/insights.routes';
import { registerBackupsRoutes } from './modules/backups/backups.routes';
import { createBackupsService, type BackupsService, type MakeBackup } from './modules/backups/backups.service';
import { registerModelRoutes } from './modules/model/model.routes';
import { registerNetworkRoutes } from './modules/network/network.routes';
import type { ListenTarget, NetworkSettings } from './modules/network/network.settings';
import { createModelSettings } from './modules/model/model.settings';
import { createAppSettingsRepo } from './modules/settings/app-settings.repo';
import { createModelResponder } from './modules/responder/model';
import { DEFAULT_RETRY_SCHEDULE_MS, DEFAULT_TIMEOUT_MS, WebhookDispatcher, type DeliveryPolicy } from './modules/webhooks/webhooks.dispatcher';
import { createWebhooksRepo } from './modules/webhooks/webhooks.repo';
import { createVisitorsRepo } from './modules/visitors/visitors.repo';
import { registerVisitorsRoutes } from './modules/visitors/visitors.routes';
import { createVisitorsService } from './modules/visitors/visitors.service';
import { registerWebhooksRoutes } from './modules/webhooks/webhooks.routes';
import { createWebhooksService } from './modules/webhooks/webhooks.service';
import type { BobDatabase } from './storage/database';
import type { UnitOfWork } from './storage/unit-of-work';
import { EventRelay } from './modules/events/event-relay';
import { pgLeases } from './storage/pg/leases';
import { pgLimitStore } from './storage/pg/limit-store';
import { pgPresence } from './storage/pg/presence';
import { createAttachmentsRepo } from './modules/attachments/attachments.repo';
import { createAttachmentsService } from './modules/attachments/attachments.service';
import { registerAttachmentsRoutes } from './modules/attachments/attachments.routes';
import { createFileStore } from './modules/attachments/file-store';
import type { VisitorLinks } from './modules/realtime/projections';

export interface AppDeps {
  /** The database, opened and migrated (storage/database.ts). */
  database: BobDatabase;
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Built Mission Control (electron-vite's renderer output), served at /app/. */
  rendererDir: string;
  /** Built widget (scripts/build-widget.mjs output), served per tenant at /widget/:id/widget.js. */
  widgetDir: string;
  /** What answers visitors; by default the configured model (if any) with the built-in responder behind it. */
  responder?: Responder;
  /** The model provider's API key, read at call time (the desktop app: the OS keychain). Default: BOB_LLM_API_KEY. */
  llmApiKey?: () => Promise<string | null>;
  /** Chat rate limits (benchmarks raise them). */
  chatLimits?: ChatLimits;
  /** Settings → Connection: the stored network settings and a way to re-listen (the HTTP server's). */
  network: { settings: NetworkSettings; relisten: (target: ListenTarget) => Promise<void> };
  /** How a backup is made (the SQLite data dir's, from startServer); without it there are no backups. */
  makeBackup?: MakeBackup;
}

export interface BobApp {
  koa: Koa<AppState>;
  api: ApiRouter;
  /** The event bus, for in-process listeners (the desktop shell's tray and notifications). */
  bus: EventBus;
  /** Runs that only emit events (benchmarks store many at once). */
  uow: UnitOfWork<object>;
  /** The webhook dispatcher (benchmarks wait for it to drain). */
  webhooks: WebhookDispatcher;
  /** Automatic backups (startServer starts them) and "Back up now". */
  backups: BackupsService;
  /** Issue #23: requests to be answered later; `sweep()` tells timed-out handoffs now (tests). */
  callbacks: CallbacksService;
  /** BOB_PUBLIC_URL, else the public address saved in Settings → Connection, else the URL the server listens on. */
  publicUrl(): string;
  setListeningUrl(url: string): void;
  /** Bob's close of idle conversations (every minute; tests run it after moving their clock): how many it closed. */
  closeIdle(): Promise<number>;
  /** Stops timers and open streams; the caller closes the HTTP server and the database. */
  close(): Promise<void>;
}

/** Builds the whole HTTP application from its dependencies. Never imports Electron. */
export async function createApp(deps: AppDeps): Promise<BobApp> {
  const { database, config, logger } = deps;
  const { storage, dialect } = database;
  const clock = deps.clock ?? systemClock;
  let listeningUrl = `http://${config.host}:${config.port}`;
  const publicUrl = () => deps.network.settings.publicUrl(listeningUrl);

  const audit = createAuditRepo(storage, dialect, () => clock.now());
  // Limits on the app's clock: in memory for one SQLite process; shared by the instances of the server mode.
  const serverMode = database.kind === 'postgres';
  const sharedLimits = serverMode ? pgLimitStore(storage, () => clock.now().getTime()) : undefined;
  const limitStore = sharedLimits ?? memoryLimitStore(() => clock.now().getTime());
  // Modules read through `storage` and write through `uow` (src/server/storage).
  const tenants = createTenantsRepo(storage);
  const keys = createWidgetKeysRepo(storage);
  // The published pricebook and catalogs, parsed once per version: shared by the root repos and the runs'.
  const publishedPricebook: PublishedPricebookCache = {};
  const publishedCatalogs: PublishedCatalogCache = new Map();
  const pricebookRepo = createPricebookRepo(storage, publishedPricebook);
  const catalogRepo = createCatalogRepo(storage, publishedCatalogs);
  const credits = createCreditsService(createCreditsRepo(storage, dialect), () => clock.now());
  const authRepo = createAuthRepo(storage);
  const chatRepo = createChatRepo(storage, dialect);
  const webhooksRepo = createWebhooksRepo(storage, dialect);
  const personas = createPersonasRepo(storage);
  const webhookPolicy: DeliveryPolicy = {
    allowPrivate: config.webhooks.allowPrivate,
    retryScheduleMs: config.webhooks.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
    timeoutMs: config.webhooks.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const bus = new EventBus();
  // Several instances on one database: every event reaches this instance's bus through the relay,
  // in id order, whichever instance stored it. One SQLite process publishes its own as they commit.
  const relay =
    database.kind === 'postgres'
      ? new EventRelay({ events: createEventsRepo(storage), bus, notifications: database.notifications, pollMs: 1000, logger })
      : undefined;
  await relay?.start();
  // Each run's events and audit entries are written as it ends; every event also lands in the
  // webhook outbox, in the same transaction, and wakes the dispatcher (which writes through this
  // unit of work: it is first woken once both exist).
  const uow = database.unitOfWork({
    publish: (events) => (relay ? relay.committed(events) : bus.publish(events)),
    now: () => clock.now(),
    writeLog: writeRunLog({ wake: () => dispatcher.wake() }),
    repos: (q) => ({
      events: createEventsRepo(q),
      auditLog: createAuditRepo(q, dialect, () => clock.now()),
      answerTests: createAnswerTestsRepo(q),
      auth: createAuthRepo(q),
      chat: createChatRepo(q, dialect),
      faq: createFaqRepo(q, dialect),
      knowledge: createKnowledgeRepo(q, dialect),
      webhooks: createWebhooksRepo(q, dialect),
      team: createTeamRepo(q),
      tenants: createTenantsRepo(q),
      keys: createWidgetKeysRepo(q),
      appSettings: createAppSettingsRepo(q),
      personas: createPersonasRepo(q),
      pricebook: createPricebookRepo(q, publishedPricebook),
      catalog: createCatalogRepo(q, publishedCatalogs),
      credits: createCreditsRepo(q, dialect),
      consents: createConsentsRepo(q),
      visitors: createVisitorsRepo(q),
      retention: createRetentionRepo(q),
      identity: createIdentityRepo(q),
      csat: createCsatRepo(q),
      attachments: createAttachmentsRepo(q),
      callbacks: createCallbacksRepo(q),
      agentTools: createAgentToolsRepo(q),
    }),
  });
  const dispatcher = new WebhookDispatcher({
    repo: webhooksRepo,
    uow,
    policy: webhookPolicy,
    clock,
    logger,
    // Server mode: one attempt in flight per endpoint across instances (leases); woken by any instance's enqueue, and a slow poll.
    ...(serverMode && {
      leases: pgLeases(storage, config.instanceId, config.webhookCoordination.leaseMs ?? webhookPolicy.timeoutMs + 20_000),
      pollMs: config.webhookCoordination.pollMs,
    }),
  });
  await database.notifications.listen('bob_webhooks', () => dispatcher.wake());
  database.notifications.onReconnect(() => dispatcher.wake());
  const auth = createAuthService({ repo: authRepo, uow, clock, limitStore });
  const api = new ApiRouter(createUserGuard(auth));
  const faq = createFaqRepo(storage, dialect);
  const knowledgeRepo = createKnowledgeRepo(storage, dialect);
  const sse = new SseRegistry(config.streams);
  const modelSettings = await createModelSettings({
    repo: createAppSettingsRepo(storage),
    uow,
    config,
    clock,
    apiKey: deps.llmApiKey ?? (async () => config.llm.apiKey ?? null),
  });
  const consentsRepo = createConsentsRepo(storage);
  const consent = createConsentService({ repo: consentsRepo, appSettings: createAppSettingsRepo(storage), uow, clock });
  const chat = createChatService({
    repo: chatRepo,
    uow,
    personas,
    faq,
    knowledge: { version: knowledgeRepo.version, passages: knowledgeRepo.passages },
    pricebook: pricebookRepo,
    catalog: catalogRepo,
    tenants,
    credits,
    clock,
    responder: deps.responder ?? createModelResponder({ settings: modelSettings, logger }),
    limits: deps.chatLimits,
    limitStore,
    consent,
    publicUrl,
  });
  // Issue #23: files sent in conversations, outside the database rows.
  const attachmentsRepo = createAttachmentsRepo(storage);
  const attachments = createAttachmentsService({
    repo: attachmentsRepo,
    uow,
    chat,
    store: createFileStore(config.attachments.dir),
    appSettings: createAppSettingsRepo(storage),
    pricebook: pricebookRepo,
    limitStore,
    clock,
  });
  await attachments.start();
  const visitorLinks: VisitorLinks = attachments.forVisitor;

  // Staff watching Mission Control right now, per tenant (on any instance): the widget shows "online" from this.
  const sharedPresence = serverMode ? pgPresence(storage, config.instanceId, logger) : undefined;
  await sharedPresence?.start();
  const presence = sharedPresence ?? createMemoryPresence();
  // Settings kept in memory: another instance saved them.
  await database.notifications.listen('bob_settings', () => {
    void Promise.all([modelSettings.reload(), deps.network.settings.reload()]).catch((err: unknown) => logger.error('settings could not be reloaded', { err: String(err) }));
  });

  registerHealthRoutes(api, { repo: createHealthRepo(storage), checkSecret: deps.network.settings.checkSecret, databaseKind: database.kind, instance: config.instanceId });
  registerAuthRoutes(api, { auth, repo: authRepo });
  // Typing indicators (issue #23): in-process on SQLite, NOTIFY between PostgreSQL instances.
  const typing = new TypingSignals({ shared: database.kind === 'postgres' ? { storage, dialect, notifications: database.notifications } : null });
  await typing.start();
  const agentTools = createAgentToolsService({ repo: createAgentToolsRepo(storage), uow, clock });
  registerChatRoutes(api, { chat, repo: chatRepo, tenants, publicUrl, typing, labels: agentTools.withLabels });
  registerAgentToolsRoutes(api, { tools: agentTools, chats: chatRepo, tenants });
  registerConsentRoutes(api, { consent, tenants, publicUrl });
  // Issue #23: when nobody is there (out of hours, or a handoff not taken in time).
  const callbacks = createCallbacksService({ repo: createCallbacksRepo(storage), chat: chatRepo, tenants, uow, clock, logger, limitStore, allowPrivateSmtp: config.smtp.allowPrivate });
  registerCallbacksRoutes(api, { callbacks, tenants, keys, clock });
  const identity = createIdentityService({ repo: createIdentityRepo(storage), keys, uow, clock });
  const csatRepo = createCsatRepo(storage);
  registerWidgetRoutes(api, {
    chat,
    consent,
    identity,
    repo: chatRepo,
    tenants,
    personas,
    keys,
    clock,
    isOnline: (tenantId) => presence.isOnline(tenantId),
    visitorLinks,
    availability: callbacks.availability,
    rated: async (tenantId, sessionId) => !!(await csatRepo.bySession(tenantId, sessionId)),
    typing,
  });
  registerWidgetIdentityRoutes(api, { identity, keys, chat: chatRepo, tenants, clock });
  registerAttachmentsRoutes(api, { attachments, repo: attachmentsRepo, chats: chatRepo, tenants, keys, clock, consent });
  registerRealtimeRoutes(api, { bus, events: createEventsRepo(storage), sse, presence, chats: chatRepo, tenants, keys, clock, visitorLinks, typing });
  registerVisitorsRoutes(api, {
    visitors: createVisitorsService({ chat: chatRepo, consents: consentsRepo, identity: createIdentityRepo(storage), uow, clock, files: { forSession: attachmentsRepo.forSession, removeFiles: attachments.removeFiles } }),
    tenants,
    keys,
    clock,
  });
  registerWidgetScriptRoutes(api, { widgetDir: deps.widgetDir, tenants, keys, personas, clock, publicUrl });
  registerWidgetKeysRoutes(api, { keys: createWidgetKeysService({ repo: keys, uow, clock }), tenants, publicUrl });
  // Answer tests ask the widget's responder path (chat.preview); publishing a catalog or the
  // default persona passes them first where the business asks for it (the publish gate).
  const answerTests = createAnswerTestsService({ repo: createAnswerTestsRepo(storage), uow, chat, catalog: catalogRepo, personas, tenants, clock });
  registerAnswerTestsRoutes(api, { tests: answerTests, tenants });
  const personasService = createPersonasService({
    repo: personas,
    uow,
    clock,
    publishGate: (a, persona) => answerTests.check(a, { persona }, 'persona_publish'),
  });
  registerPersonasRoutes(api, { personas: personasService, tenants });
  registerAuditRoutes(api, { audit, tenants });
  registerFaqRoutes(api, { faq: createFaqService({ repo: faq, uow, clock }), tenants });
  registerKnowledgeRoutes(api, {
    knowledge: createKnowledgeService({
      repo: knowledgeRepo,
      uow,
      keys,
      clock,
      fetch: { allowPrivate: config.webhooks.allowPrivate, timeoutMs: config.knowledge.fetchTimeoutMs },
    }),
    tenants,
  });
  const team = createTeamService({ repo: createTeamRepo(storage), uow, tenants, pricebook: pricebookRepo, clock, publicUrl });
  registerTeamRoutes(api, { team, tenants, auth, authRepo });
  // Retention: conversations older than a business's policy go, hourly (and now), in batches.
  const retention = createRetentionService({ repo: createRetentionRepo(storage), tenants, settings: createAppSettingsRepo(storage), uow, clock, logger, removeFiles: attachments.removeFiles, batch: config.retentionBatch });
  registerRetentionRoutes(api, { retention, tenants });
  registerCsatRoutes(api, { csat: createCsatService({ repo: csatRepo, uow, clock }), chats: chatRepo, tenants, keys, clock });
  registerUsageRoutes(api, { usage: createUsageRepo(storage), tenants, credits, pricebook: pricebookRepo, clock, retention, csat: csatRepo, storage: attachments.storage });
  registerInsightsRoutes(api, { insights: createInsightsRepo(storage, dialect), tenants, clock });
  registerTenantsRoutes(api, {
    repo: tenants,
    tenants: createTenantsService({ repo: tenants, pricebook: pricebookRepo, team, uow, clock }),
  });
  registerPricebookRoutes(api, createPricebookService({ repo: pricebookRepo, uow, clock }));
  registerCatalogRoutes(api, {
    catalog: createCatalogService({ repo: catalogRepo, uow, clock, publishGate: (a, catalog) => answerTests.check(a, { catalog }, 'catalog_publish') }),
    tenants,
  });
  registerWebhooksRoutes(api, {
    tenants,
    webhooks: createWebhooksService({ repo: webhooksRepo, uow, dispatcher, policy: webhookPolicy, pricebook: pricebookRepo, clock }),
  });
  registerModelRoutes(api, { settings: modelSettings });
  registerNetworkRoutes(api, {
    settings: deps.network.settings,
    relisten: deps.network.relisten,
    listening: () => ({ url: listeningUrl, port: Number(new URL(listeningUrl).port) }),
    demoAccounts: () => accountsWithDemoPasswords(authRepo),
    uow,
  });
  const backups = createBackupsService({
    mode: database.kind,
    dir: config.backups.dir,
    automatic: config.backups.automatic,
    makeBackup: deps.makeBackup,
    repo: createAppSettingsRepo(storage),
    uow,
    clock,
    logger,
  });
  registerBackupsRoutes(api, { backups });
  registerDocsRoutes(api, publicUrl);

  const koa = new Koa<AppState>({ proxy: config.trustProxy });
  // Errors after the response started (mostly a visitor closing a page with a live stream).
  koa.on('error', (err: NodeJS.ErrnoException) => {
    const gone = err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE';
    logger[gone ? 'debug' : 'error']('response stream error', { code: err.code, message: err.message });
  });
  koa.use(requestContext(logger));
  koa.use(compression()); // outside the error handler, so a large JSON error is compressed too
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

  dispatcher.wake(); // deliveries left waiting by the last run (or a crash) go out now

  const purge = setInterval(() => {
    auth.purgeExpiredTokens().catch((err: unknown) => logger.error('expired session tokens could not be purged', { err: String(err) }));
  }, 60 * 60 * 1000);
  purge.unref();
  // Expired rate-limit windows and forgotten login delays (server mode; in memory they go by themselves).
  const sweep = sharedLimits
    ? setInterval(() => {
        sharedLimits.sweep().catch((err: unknown) => logger.error('rate limits could not be swept', { err: String(err) }));
      }, 60 * 1000)
    : undefined;
  sweep?.unref();
  retention.start();
  // Bob closes the conversations he alone had once idle (chat.service IDLE_CLOSE_MS); one run at a time.
  let closing: Promise<number> | undefined;
  const closeIdle = () =>
    (closing ??= chat.closeIdle().finally(() => {
      closing = undefined;
    }));
  const idleTimer = setInterval(() => {
    closeIdle().catch((err: unknown) => logger.error('idle conversations could not be closed', { err: String(err) }));
  }, 60 * 1000);
  idleTimer.unref();
  callbacks.start();

  return {
    koa,
    api,
    bus,
    uow,
    webhooks: dispatcher,
    backups,
    callbacks,
    publicUrl,
    setListeningUrl: (url) => {
      listeningUrl = url;
    },
    closeIdle,
    async close() {
      await backups.stop();
      clearInterval(purge);
      clearInterval(sweep);
      clearInterval(idleTimer);
      await closing?.catch(() => undefined);
      await retention.stop();
      await callbacks.stop();
      relay?.stop();
      dispatcher.stop();
      sse.closeAll();
      await sharedPresence?.close();
    },
  };
}
