// What tests read (and the few rows they set) in a running server's database besides its API,
// through the repositories: no test holds SQL text. The one exception is test/helpers/raw-sql.ts
// (probes of the storage itself, and the search's reference queries).
import { randomUUID } from 'node:crypto';
import type { TenantSettings } from '../../src/shared/schemas/tenants';
import { createAnswerTestsRepo } from '../../src/server/modules/answer-tests/answer-tests.repo';
import { createAuditRepo } from '../../src/server/modules/audit/audit.repo';
import { createAuthRepo } from '../../src/server/modules/auth/auth.repo';
import { createChatRepo } from '../../src/server/modules/chat/chat.repo';
import { createCreditsRepo } from '../../src/server/modules/credits/credits.repo';
import { createEventsRepo } from '../../src/server/modules/events/events.repo';
import { createFaqRepo } from '../../src/server/modules/faq/faq.repo';
import { createKnowledgeRepo } from '../../src/server/modules/knowledge/knowledge.repo';
import { createPersonasRepo } from '../../src/server/modules/personas/personas.repo';
import { createPricebookRepo } from '../../src/server/modules/pricebook/pricebook.repo';
import { createTeamRepo } from '../../src/server/modules/team/team.repo';
import { createTenantsRepo } from '../../src/server/modules/tenants/tenants.repo';
import { createWebhooksRepo, type QueueBound } from '../../src/server/modules/webhooks/webhooks.repo';
import { createWidgetKeysRepo } from '../../src/server/modules/widget-keys/widget-keys.repo';
import type { RunningServer } from '../../src/server/server';

const EVERYTHING = 1_000_000;

/** The records of a running server (its repositories over its database). */
export function records(server: { database: Pick<RunningServer['database'], 'storage' | 'dialect'> }) {
  const { storage, dialect } = server.database;
  const tenants = createTenantsRepo(storage);
  const chat = createChatRepo(storage, dialect);
  const keys = createWidgetKeysRepo(storage);
  const allTenants = () => tenants.page('', EVERYTHING);
  const tenant = (slug: string) => tenants.bySlug(slug);
  return {
    tenant,
    /** The platform's own business. */
    platform: async () => (await tenants.platform())!,
    /** Every tenant, by slug. */
    tenants: allTenants,
    async setTenantSettings(slug: string, settings: TenantSettings | Record<string, unknown>) {
      const t = (await tenant(slug))!;
      await tenants.update({ id: t.id, name: t.name, plan_id: t.plan_id, settings: settings as TenantSettings, at: new Date().toISOString() });
    },
    /** Every session of every tenant (console runs included), in the order created. */
    sessions: () => chat.everySession(),
    /** The first session a visitor's `session_id` names (any tenant). */
    session: async (externalId: string) => (await chat.everySession()).find((s) => s.external_id === externalId),
    /** Every message of every session, notes included. */
    messages: async () => {
      const messages = [];
      for (const s of await chat.everySession()) messages.push(...(await chat.transcript(s.id, Number.MAX_SAFE_INTEGER, EVERYTHING)).reverse());
      return messages;
    },
    /** Every audit entry in the order recorded, before/after as stored (JSON text). */
    audit: () => createAuditRepo(storage, dialect, () => new Date()).recorded(),
    /** Stored events after `afterId`, in order. */
    events: (afterId = 0) => createEventsRepo(storage).replay({}, afterId, EVERYTHING),
    credits: createCreditsRepo(storage, dialect),
    /** Every widget key, by its tenant's slug. */
    widgetKeys: async () => (await Promise.all((await allTenants()).map(async (t) => (await keys.forTenant(t.id)).map((k) => ({ ...k, slug: t.slug }))))).flat(),
    /** Revokes a key as if at once (bypassing the API and its audit). */
    async revokeKey(key: string) {
      const k = (await keys.byKey(key))!;
      await keys.revoke(k.tenant_id, k.id, new Date().toISOString());
    },
    /** The knowledge passages of every tenant. */
    passages: async () => {
      const knowledge = createKnowledgeRepo(storage, dialect);
      return (await Promise.all((await allTenants()).map((t) => knowledge.passages(t.id)))).flat();
    },
    /** Adds an answer test as if at once (bypassing the API, its limit and its audit). */
    addAnswerTest: (tenantId: string, question: string) =>
      createAnswerTestsRepo(storage).insert(tenantId, randomUUID(), { question, language: null, must_include: [], must_not_include: [], expect: 'answer' }, new Date().toISOString()),
    /** Adds an FAQ entry as if at once (bypassing the API and its audit). */
    addFaq: (e: { id: string; tenant_id: string; question: string; answer: string; at: string }) => createFaqRepo(storage, dialect).insert(e),
    personas: async () => {
      const personas = createPersonasRepo(storage);
      return (await Promise.all((await allTenants()).map((t) => personas.list(t.id)))).flat();
    },
    pricebooks: () => createPricebookRepo(storage).list(),
    /** Stored hashes of session tokens. */
    tokenHashes: () => createAuthRepo(storage).tokenHashes(),
    invites: () => createTeamRepo(storage).invites(),
    /** Deliveries queued for a webhook endpoint, whatever their status. */
    async deliveriesTo(endpointId: string) {
      const webhooks = createWebhooksRepo(storage, dialect);
      const e = await webhooks.endpoint(endpointId);
      return e ? webhooks.deliveries({ tenantId: e.tenant_id, endpointId, limit: EVERYTHING }) : [];
    },
    /** The server's webhook outbox with another queue bound (the server keeps 10,000 events or 30 days). */
    webhookOutbox: (bound: QueueBound) => createWebhooksRepo(storage, dialect, bound),
  };
}

/** Audit entries in time order, entries of the same instant in the order recorded. */
export const inTimeOrder = <T extends { at: string }>(rows: T[]) => [...rows].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
