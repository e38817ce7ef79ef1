import { z } from 'zod';
import { listOf, paginationQuery, uuid } from '../../../shared/schemas/common';
import { WebhookCreate, WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookEndpointWithSecret, WebhookList, WebhookPatch } from '../../../shared/schemas/webhooks';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { WebhooksService } from './webhooks.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });
const DeliveryParams = z.object({ id: uuid, deliveryId: z.coerce.number().int().positive() });
const DeliveriesQuery = Scope.extend(paginationQuery.shape).extend({ status: z.enum(['pending', 'delivered', 'failed']).optional() });

export function registerWebhooksRoutes(api: ApiRouter, deps: { webhooks: WebhooksService; tenants: TenantsRepo }) {
  const { webhooks } = deps;
  const common = { tag: 'Webhooks', auth: 'user' as const, permission: 'webhooks.manage' as const, query: Scope, errors: [404] };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/webhooks',
    summary: 'The tenant\'s webhook endpoints (its plan\'s integrations), with waiting and failed delivery counts',
    response: WebhookList,
    handler: async (ctx, { query }) => webhooks.list(await tenantOf(deps.tenants, authOf(ctx), query.business_id)),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/webhooks',
    summary: 'Add an endpoint; the signing secret is in this response only. 409 integration_limit_reached when the plan\'s integrations are in use',
    description: 'Only http(s) URLs; loopback, private and link-local targets are refused unless the server runs with BOB_ALLOW_PRIVATE_WEBHOOKS=1.',
    body: WebhookCreate,
    status: 201,
    response: WebhookEndpointWithSecret,
    errors: [404, 409],
    handler: async (ctx, { query, body }) => webhooks.create(authOf(ctx), ctx.ip, await tenantOf(deps.tenants, authOf(ctx), query.business_id), body),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/webhooks/:id',
    summary: 'One endpoint',
    params: IdParams,
    response: WebhookEndpoint,
    handler: async (ctx, { query, params }) => webhooks.get((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id),
  });

  api.add({
    ...common,
    method: 'PATCH',
    path: '/api/webhooks/:id',
    summary: 'Change the URL, events or description, or turn the endpoint off and on (on: waiting deliveries resume in order)',
    params: IdParams,
    body: WebhookPatch,
    response: WebhookEndpoint,
    handler: async (ctx, { query, params, body }) => webhooks.update(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, body),
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/webhooks/:id',
    summary: 'Delete the endpoint and its delivery log',
    params: IdParams,
    status: 204,
    async handler(ctx, { query, params }) {
      await webhooks.remove(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id);
    },
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/webhooks/:id/rotate-secret',
    summary: 'A new signing secret (in this response only); the old one also signs for 24 hours',
    params: IdParams,
    response: WebhookEndpointWithSecret,
    handler: async (ctx, { query, params }) => webhooks.rotateSecret(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/webhooks/:id/test',
    summary: 'Send a signed webhook.test event now and return the attempt (also when the endpoint is off)',
    params: IdParams,
    response: WebhookDeliveryDetail,
    handler: async (ctx, { query, params }) => webhooks.test((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/webhooks/:id/deliveries',
    summary: 'The endpoint\'s deliveries, newest first (keyset-paged with cursor)',
    params: IdParams,
    query: DeliveriesQuery,
    response: listOf(WebhookDelivery),
    handler: async (ctx, { query, params }) => webhooks.deliveries((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, query),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/webhooks/:id/deliveries/:deliveryId',
    summary: 'One delivery: the request sent and every attempt\'s response (first 1 KiB) or error',
    params: DeliveryParams,
    response: WebhookDeliveryDetail,
    handler: async (ctx, { query, params }) => webhooks.delivery((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, params.deliveryId),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    summary: 'Send a delivered or failed delivery again (same webhook-id), ahead of newer ones',
    params: DeliveryParams,
    status: 202,
    response: WebhookDeliveryDetail,
    errors: [404, 409],
    handler: async (ctx, { query, params }) => webhooks.redeliver(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, params.deliveryId),
  });
}
