import { randomUUID } from 'node:crypto';
import {
  WEBHOOK_TEST_TYPE,
  type WebhookCreate,
  type WebhookDelivery,
  type WebhookDeliveryDetail,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
  type WebhookPatch,
} from '../../../shared/schemas/webhooks';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import { decodeSeqCursor, pageOf } from '../../http/cursor';
import type { Audit } from '../audit/audit.repo';
import type { PricebookRepo } from '../pricebook/pricebook.repo';
import type { TenantRow, TenantsRepo } from '../tenants/tenants.repo';
import type { UnitOfWork } from '../../storage/unit-of-work';
import { assertPublicTarget, redactedUrl, UnsafeTargetError } from './address-guard';
import { isSuccess, postSigned, type DeliveryPolicy, type WebhookDispatcher } from './webhooks.dispatcher';
import { newSecret, secretHint } from './signing';
import { newMessageId, type DeliveryRow, type DeliveryStatus, type EndpointRow, type EndpointStats, type WebhooksRepo } from './webhooks.repo';

/** After a rotation the old secret keeps signing (beside the new one) for a day. */
export const SECRET_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

const toEndpoint = (r: EndpointRow & EndpointStats): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: JSON.parse(r.events) as WebhookEventType[],
  enabled: r.enabled === 1,
  disabled_reason: r.disabled_reason,
  disabled_at: r.disabled_at,
  secret_hint: secretHint(r.secret),
  previous_secret_expires_at: r.previous_secret_expires_at,
  pending: r.pending,
  failed: r.failed,
  waiting: r.waiting,
  dropped: r.dropped,
  last_delivery_at: r.last_delivery_at,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

const toDelivery = (d: DeliveryRow): WebhookDelivery => ({
  id: d.id,
  msg_id: d.msg_id,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: d.status === 'pending' ? d.next_attempt_at : null,
  last_attempt_at: d.last_attempt_at,
  last_status: d.last_status,
  last_error: d.last_error,
  created_at: d.created_at,
  delivered_at: d.delivered_at,
});

// What the audit log keeps of an endpoint: never the secret, nor the URL's query (tokens).
const summary = (e: WebhookEndpoint) => ({ url: redactedUrl(e.url), events: e.events, enabled: e.enabled, description: e.description });

export type WebhooksService = ReturnType<typeof createWebhooksService>;

export function createWebhooksService(deps: {
  /** Reads outside a unit of work. */
  repo: WebhooksRepo;
  /** Writes: each with its audit record in one transaction. */
  uow: UnitOfWork<{ webhooks: WebhooksRepo; pricebook: PricebookRepo; tenants: Pick<TenantsRepo, 'holdLimits'> }>;
  dispatcher: WebhookDispatcher;
  policy: DeliveryPolicy;
  pricebook: PricebookRepo;
  clock: Clock;
}) {
  const { repo, uow, clock, policy } = deps;
  const find = async (tenantId: string, id: string, r: WebhooksRepo = repo) => {
    const row = await r.byId(tenantId, id);
    if (!row) throw notFound('Webhook endpoint');
    return row;
  };
  const record = (audit: Audit, auth: AuthContext, ip: string, tenantId: string, action: string, id: string, before: unknown, after: unknown) =>
    audit({ tenantId, actorId: auth.userId, actorEmail: auth.email, action, targetType: 'webhook', targetId: id, before, after, ip });

  async function checkUrl(raw: string): Promise<string> {
    const url = new URL(raw); // the schema refused credentials
    if (!policy.allowPrivate) {
      try {
        await assertPublicTarget(url.href);
      } catch (err) {
        if (!(err instanceof UnsafeTargetError)) throw err;
        throw new HttpError(400, 'invalid_request', `This URL cannot receive webhooks: ${err.message}. Local integrations need BOB_ALLOW_PRIVATE_WEBHOOKS=1 on the server.`, [{ path: ['body', 'url'], message: err.message }]);
      }
    }
    return url.href;
  }

  const integrations = async (tenant: TenantRow, r: WebhooksRepo = repo, pricebook: PricebookRepo = deps.pricebook) => ({
    used: await r.count(tenant.id),
    limit: (await pricebook.published())?.plans.find((p) => p.id === tenant.plan_id)?.integrations ?? 0,
  });
  async function assertWithinPlan(tenant: TenantRow, r: WebhooksRepo = repo, pricebook: PricebookRepo = deps.pricebook) {
    const { used, limit } = await integrations(tenant, r, pricebook);
    if (used >= limit) {
      throw conflict('integration_limit_reached', `The ${tenant.plan_id} plan includes ${limit} integration${limit === 1 ? '' : 's'} and ${used === 1 ? 'it is' : 'all are'} in use. Delete an endpoint or upgrade the plan.`, { used, limit });
    }
  }

  return {
    list: async (tenant: TenantRow) => ({ data: (await repo.forTenant(tenant.id)).map(toEndpoint), next_cursor: null, integrations: await integrations(tenant) }),
    get: async (tenantId: string, id: string) => toEndpoint(await find(tenantId, id)),

    async create(auth: AuthContext, ip: string, tenant: TenantRow, input: WebhookCreate): Promise<WebhookEndpointWithSecret> {
      await assertWithinPlan(tenant); // fail fast, before resolving the host
      const url = await checkUrl(input.url);
      const secret = newSecret();
      const id = randomUUID();
      const created = await uow.run(async ({ webhooks, pricebook, tenants, audit }) => {
        await tenants.holdLimits(tenant.id);
        await assertWithinPlan(tenant, webhooks, pricebook); // again, atomically with the insert
        await webhooks.insert({ id, tenant_id: tenant.id, url, description: input.description, events: input.events, enabled: input.enabled, secret, at: clock.now().toISOString() });
        const e = toEndpoint(await find(tenant.id, id, webhooks));
        record(audit, auth, ip, tenant.id, 'webhook.created', id, null, summary(e));
        return e;
      });
      return { ...created, secret };
    },

    async update(auth: AuthContext, ip: string, tenantId: string, id: string, patch: WebhookPatch): Promise<WebhookEndpoint> {
      const before = toEndpoint(await find(tenantId, id));
      const url = patch.url ? await checkUrl(patch.url) : before.url;
      const after = await uow.run(async ({ webhooks, audit }) => {
        const current = await find(tenantId, id, webhooks);
        const now = clock.now().toISOString();
        if (patch.enabled && !current.enabled) await webhooks.resume(id, now);
        await webhooks.update({ id, tenant_id: tenantId, url, description: patch.description ?? before.description, events: patch.events ?? before.events, enabled: patch.enabled ?? before.enabled, at: now });
        const e = toEndpoint(await find(tenantId, id, webhooks));
        record(audit, auth, ip, tenantId, 'webhook.updated', id, summary(before), summary(e));
        return e;
      });
      if (after.enabled) deps.dispatcher.wake(); // waiting deliveries resume, in order
      return after;
    },

    async remove(auth: AuthContext, ip: string, tenantId: string, id: string): Promise<void> {
      const before = toEndpoint(await find(tenantId, id));
      await uow.run(async ({ webhooks, audit }) => {
        await webhooks.remove(tenantId, id);
        record(audit, auth, ip, tenantId, 'webhook.deleted', id, summary(before), null);
      });
    },

    async rotateSecret(auth: AuthContext, ip: string, tenantId: string, id: string): Promise<WebhookEndpointWithSecret> {
      await find(tenantId, id);
      const secret = newSecret();
      const now = clock.now();
      const until = new Date(now.getTime() + SECRET_ROTATION_GRACE_MS).toISOString();
      const after = await uow.run(async ({ webhooks, audit }) => {
        await webhooks.rotateSecret(tenantId, id, secret, until, now.toISOString());
        record(audit, auth, ip, tenantId, 'webhook.secret_rotated', id, null, { previous_secret_signs_until: until });
        return toEndpoint(await find(tenantId, id, webhooks));
      });
      return { ...after, secret };
    },

    /** Sends a signed `webhook.test` at once, outside the ordered queue, and logs it like any delivery. */
    async test(tenantId: string, id: string): Promise<WebhookDeliveryDetail> {
      const endpoint = await find(tenantId, id);
      const now = clock.now();
      const msgId = newMessageId();
      const payload = JSON.stringify({ type: WEBHOOK_TEST_TYPE, timestamp: now.toISOString(), data: { endpoint_id: id, message: 'Test event from Bob: your endpoint is reachable and can verify the signature.' } });
      const result = await postSigned(endpoint, msgId, payload, policy, now);
      const ok = isSuccess(result);
      const delivery = await uow.run(async ({ webhooks }) => {
        const d = await webhooks.insertDelivery({ endpointId: id, tenantId, msgId, type: WEBHOOK_TEST_TYPE, payload, at: now.toISOString() });
        await webhooks.settle({ delivery_id: d.id, at: now.toISOString(), duration_ms: result.durationMs, url: result.url, response_status: result.status, response_body: result.body, error: result.error, status: ok ? 'delivered' : 'failed', next_attempt_at: now.toISOString() });
        return d;
      });
      return this.delivery(tenantId, id, delivery.id);
    },

    async deliveries(tenantId: string, id: string, q: { status?: DeliveryStatus; cursor?: string; limit: number }) {
      await find(tenantId, id);
      const rows = await repo.deliveries({ tenantId, endpointId: id, status: q.status, beforeId: decodeSeqCursor(q.cursor), limit: q.limit + 1 });
      const page = pageOf(rows, q.limit, (last) => String(last.id));
      return { data: page.data.map(toDelivery), next_cursor: page.next_cursor };
    },

    async delivery(tenantId: string, id: string, deliveryId: number): Promise<WebhookDeliveryDetail> {
      const endpoint = await find(tenantId, id);
      const d = await repo.delivery(tenantId, id, deliveryId);
      if (!d) throw notFound('Delivery');
      // Timestamp and signature differ on every attempt; the log says what they are.
      const headers = { 'content-type': 'application/json', 'webhook-id': d.msg_id, 'webhook-timestamp': '(the attempt time, Unix seconds)', 'webhook-signature': 'v1,(HMAC-SHA256 of id.timestamp.body)' };
      return {
        ...toDelivery(d),
        request: { url: endpoint.url, headers, body: d.payload },
        attempt_log: (await repo.attempts(d.id)).map((a) => ({ at: a.at, duration_ms: a.duration_ms, url: a.url, response_status: a.response_status, response_body: a.response_body, error: a.error })),
      };
    },

    /** Queues a delivery again (a failed one, or a delivered one the receiver lost), first in line. */
    async redeliver(auth: AuthContext, ip: string, tenantId: string, id: string, deliveryId: number): Promise<WebhookDeliveryDetail> {
      await find(tenantId, id);
      const d = await repo.delivery(tenantId, id, deliveryId);
      if (!d) throw notFound('Delivery');
      if (d.type === WEBHOOK_TEST_TYPE) throw conflict('test_not_redeliverable', 'Send a new test instead');
      if (d.status === 'pending') throw conflict('delivery_pending', 'This delivery is already waiting to be sent');
      await uow.run(async ({ webhooks, audit }) => {
        await webhooks.redeliver(tenantId, id, deliveryId, clock.now().toISOString());
        record(audit, auth, ip, tenantId, 'webhook.redelivered', id, null, { delivery_id: deliveryId, msg_id: d.msg_id, type: d.type });
      });
      deps.dispatcher.wake();
      return this.delivery(tenantId, id, deliveryId);
    },
  };
}
