import type { AuditFilter } from './office';

/** Query-key factory: every cache entry's key is built here, so invalidation has one source. */
export const keys = {
  auth: {
    all: ['auth'] as const,
    me: () => [...keys.auth.all, 'me'] as const,
  },
  sessions: {
    all: ['sessions'] as const,
    list: (filter: { status?: string; q?: string; label?: string; assignee?: string; channel?: string }) => [...keys.sessions.all, 'list', filter] as const,
    detail: (id: string) => [...keys.sessions.all, 'detail', id] as const,
  },
  personas: {
    all: ['personas'] as const,
    list: () => [...keys.personas.all, 'list'] as const,
    versions: (id: string) => [...keys.personas.all, 'versions', id] as const,
  },
  widgetKeys: { all: ['widget-keys'] as const },
  widgetSetup: { all: ['widget-setup'] as const },
  pricebook: {
    all: ['pricebook'] as const,
    published: () => [...keys.pricebook.all, 'published'] as const,
    versions: () => [...keys.pricebook.all, 'versions'] as const,
  },
  catalog: {
    all: ['catalog'] as const,
    published: (businessId: string) => [...keys.catalog.all, 'published', businessId] as const,
    versions: () => [...keys.catalog.all, 'versions'] as const,
  },
  faq: { all: ['faq'] as const },
  knowledge: {
    all: ['knowledge'] as const,
    list: () => [...keys.knowledge.all, 'list'] as const,
    detail: (id: string) => [...keys.knowledge.all, 'detail', id] as const,
  },
  insights: {
    all: ['insights'] as const,
    unanswered: (from: string, to: string) => [...keys.insights.all, 'unanswered', from, to] as const,
    outcomes: (from: string, to: string) => [...keys.insights.all, 'outcomes', from, to] as const,
  },
  answerTests: {
    all: ['answer-tests'] as const,
    list: () => [...keys.answerTests.all, 'list'] as const,
    runs: (against: string, limit: number) => [...keys.answerTests.all, 'runs', against, limit] as const,
    run: (id: string) => [...keys.answerTests.all, 'run', id] as const,
  },
  tenant: { all: ['tenant'] as const },
  businesses: { all: ['businesses'] as const },
  model: { all: ['model'] as const },
  network: { all: ['network'] as const },
  webhooks: {
    all: ['webhooks'] as const,
    list: () => [...keys.webhooks.all, 'list'] as const,
    deliveries: (id: string) => [...keys.webhooks.all, 'deliveries', id] as const,
    delivery: (id: string, deliveryId: number) => [...keys.webhooks.all, 'delivery', id, deliveryId] as const,
  },
  team: { all: ['team'] as const },
  audit: { list: (filter: AuditFilter) => ['audit', filter] as const },
  usage: { range: (from: string, to: string) => ['usage', from, to] as const },
};
